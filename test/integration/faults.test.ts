/**
 * Faults between heaptop and its target, each ending with one clear line and the collected data kept:
 * the WebSocket dropped mid-watch (a proxy we cut), a second debugger already attached (both work,
 * and heaptop leaves the other session alone), and a hostile or broken inspector whose answers must
 * neither crash heaptop nor make it allocate or recurse without bound.
 * (Target exiting mid-watch and killed mid-snapshot: check-faults.test.ts. A busy target's timeouts:
 * sampler.test.ts and cdp-target.test.ts. 9229 taken with --pid: attach.test.ts.)
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {BIN, ROOT, runCli} from '../helpers/run-cli.js';
import {eventually, evaluateIn, rawSession, spawnTarget, tcpAccepts} from '../helpers/spawn-target.js';
import {CLEAN, isAlive, tracesIn} from '../helpers/safety-traces.js';
import {byValue, cuttableProxy, fakeInspector, type FakeHandler} from '../helpers/safety-fakes.js';
import {attach} from '../../src/target/attach.js';
import {TargetClosedError} from '../../src/target/errors.js';
import {MAX_PROFILE_DEPTH, ProtocolDataError} from '../../src/target/untrusted.js';
import {startSampler, type SamplerEvent} from '../../src/sampling/sampler.js';
import {buildAllocationSites} from '../../src/analysis/allocation-sites.js';
import type {SamplingProfileNode} from '../../src/target/target.js';

test('the WebSocket drops mid-watch: check says so in one line, reports the samples it had, the target lives on', {timeout: 60_000}, async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const proxy = await cuttableProxy(app.port!);
	t.after(() => proxy.close());
	const child = spawn(process.execPath, [BIN, 'check', `127.0.0.1:${proxy.port}`, '--duration', '60s', '--snapshot-every', '0', '--interval', '250ms', '--json'], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']});
	t.after(() => child.kill('SIGKILL'));
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', d => (stdout += d));
	child.stderr.on('data', d => (stderr += d));
	const exited = new Promise<number | null>(resolve => child.on('close', code => resolve(code)));
	// through the proxy: heaptop's probe and sampling are in, and a few samples are collected
	assert.ok(await eventually(async () => (await tracesIn(app.webSocketUrl!)).sampling, 15_000, 200), 'attached through the proxy');
	await new Promise(resolve => setTimeout(resolve, 1500));
	proxy.cut();
	const code = await exited;
	assert.equal(code, 2, stderr);
	const lost = `the connection to the target was lost: the inspector connection to 127.0.0.1:${proxy.port} was closed`;
	assert.ok(stderr.includes(`heaptop: ${lost}`), stderr);
	assert.equal(/\n\s+at /.test(stderr), false, 'no stack trace');
	const report = JSON.parse(stdout);
	assert.ok(report.samples.length >= 3, `samples kept: ${report.samples.length}`);
	assert.ok(report.notes.includes(lost), JSON.stringify(report.notes));
	assert.ok(isAlive(app.pid) && app.child.exitCode === null, 'the target lives on');
	// nothing could be removed over a dead connection: the sampler stopped with the session, the probe
	// stays until its watchdog (30 s without polls; cdp-target.test.ts shows it removing itself)
	const traces = await tracesIn(app.webSocketUrl!);
	assert.equal(traces.sampling, false);
	assert.deepEqual(traces.symbols, ['Symbol(heaptop.gc)']);
});

test('a second debugger already attached: heaptop works alongside it and leaves its session open', {timeout: 60_000}, async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const other = await rawSession(app.webSocketUrl!);
	t.after(() => other.close());
	assert.equal(await evaluateIn(other, '6 * 7'), 42);
	const result = await runCli(['check', String(app.port), '--duration', '3s', '--snapshot-every', '1s', '--interval', '250ms', '--json'], {timeoutMs: 45_000});
	assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}: ${result.stderr}`);
	const report = JSON.parse(result.stdout);
	assert.ok(report.samples.length >= 5 && report.snapshots.length >= 1, `${report.samples.length} samples, ${report.snapshots.length} snapshots`);
	// the other session still answers, the inspector is still open (heaptop did not open it, so it did not close it)
	assert.equal(await evaluateIn(other, '6 * 7'), 42);
	assert.ok(await tcpAccepts('127.0.0.1', app.port!));
	assert.deepEqual(await tracesIn(app.webSocketUrl!), CLEAN);
});

/** Answers like a Node target for identity and set-up, and with `hostile` for everything else. */
function nodeLike(hostile: FakeHandler): FakeHandler {
	return (method, params, send) => {
		if (method === 'Runtime.evaluate' && /typeof process\.pid/.test(params.expression)) return byValue([999_999, 'v20.0.0', '/hostile.js']);
		if (method === 'Runtime.evaluate' && /Symbol\.for\("heaptop\.gc"\)/.test(params.expression) && /PerformanceObserver/.test(params.expression)) return byValue('installed');
		if (method.startsWith('NodeRuntime.')) return {};
		return hostile(method, params, send);
	};
}

/** A chain `depth` frames deep, as JSON text (JSON.stringify itself would recurse that deep). */
function deepProfileJson(depth: number): string {
	const frame = (i: number) => `{"callFrame":{"functionName":"f${i}","scriptId":"1","url":"/hostile.js","lineNumber":${i},"columnNumber":0},"selfSize":1024,"id":${i + 1},"children":[`;
	let text = '';
	for (let i = 0; i < depth; i++) text += frame(i);
	return `{"profile":{"head":${text}${']}'.repeat(depth)}}}`;
}

test('a hostile inspector: malformed metrics, limits and chunks become errors, a degenerate profile is cut to size', {timeout: 60_000}, async t => {
	const server = await fakeInspector(nodeLike((method, params, send) => {
		if (method === 'Runtime.evaluate' && /memoryUsage/.test(params.expression)) return byValue(['lots', {}, -1, null, null, 'x']);
		if (method === 'Runtime.evaluate' && /heap_size_limit/.test(params.expression)) return byValue([Infinity, 'a', 1, 2]);
		if (method === 'HeapProfiler.getSamplingProfile') return deepProfileJson(100_000);
		if (method === 'HeapProfiler.takeHeapSnapshot') {
			send({method: 'HeapProfiler.addHeapSnapshotChunk', params: {chunk: {not: 'text'}}});
			return {};
		}
		return {};
	}));
	t.after(() => server.close());
	const target = await attach({kind: 'address', host: '127.0.0.1', port: server.port});
	t.after(() => target.close());
	assert.equal(target.info.pid, 999_999);

	await assert.rejects(target.readMetrics(2000), ProtocolDataError);
	await assert.rejects(target.heapLimits(2000), ProtocolDataError);
	await assert.rejects(target.takeHeapSnapshot(() => assert.fail('a non-text chunk reached the parser')), ProtocolDataError);

	// the sampler turns a malformed reading into a gap and keeps going
	const events: SamplerEvent[] = [];
	const abort = new AbortController();
	startSampler(target, {intervalMs: 100, signal: abort.signal, onEvent: e => events.push(e)});
	assert.ok(await eventually(() => events.length >= 3, 5000));
	abort.abort();
	assert.ok(events.every(e => e.kind === 'gap' && e.reason === 'error' && /not a byte count/.test(e.detail)), JSON.stringify(events.slice(0, 2)));

	// 100 000 frames deep: cut to MAX_PROFILE_DEPTH levels, and the analysis (recursive walks) copes
	const profile = await target.getAllocationProfile();
	let depth = 0;
	for (let node: SamplingProfileNode | undefined = profile.head; node; node = node.children[0]) depth++;
	assert.equal(depth, MAX_PROFILE_DEPTH + 1);
	assert.ok(Array.isArray(buildAllocationSites(profile, {previous: null})));

	await target.close();
	await assert.rejects(target.readMetrics(500), TargetClosedError);
});
