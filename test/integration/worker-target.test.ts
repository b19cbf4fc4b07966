/**
 * --worker: watching a worker thread through its process's main-thread inspector (NodeWorker
 * tunnel), against a real process (test/fixtures/targets/t-worker-leak.js) whose worker
 * "leaky-worker" keeps WorkerLeakRecord objects and carries 16 MB of ballast, while MainThreadOnly
 * objects live only in the main thread. Library attach for the target-level facts, the built CLI
 * for `check` and the error path.
 */
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {attach} from '../../src/target/attach.js';
import {AttachError} from '../../src/target/errors.js';
import {findInspectorOfPid} from '../../src/target/discover.js';
import {parseTargetString} from '../../src/target/target-spec.js';
import type {InspectorTarget, TargetEndReason} from '../../src/target/target.js';
import {eventually, evaluateIn, rawSession, spawnTarget, TARGETS_DIR, type SpawnedTarget} from '../helpers/spawn-target.js';
import {CLEAN, tracesIn, workerTracesIn} from '../helpers/safety-traces.js';
import {killAllStarted, pollUntil, runHeaptop, signalGroup, startHeaptop, type HeaptopResult, type HeaptopRun} from '../helpers/e2e-process.js';
import {ROOT} from '../helpers/run-cli.js';
import {shellQuote, TmuxSession} from '../helpers/tmux.js';

const FIXTURE = 't-worker-leak.js';
const WORKER_TITLE = '[worker 1] leaky-worker';

/** Objects of each class in a heap snapshot's JSON (nodes of type "object", by name). */
function objectCounts(json: string, names: string[]): Record<string, number> {
	const o = JSON.parse(json);
	const fields: string[] = o.snapshot.meta.node_fields;
	const objectType = (o.snapshot.meta.node_types[0] as string[]).indexOf('object');
	const [typeAt, nameAt] = [fields.indexOf('type'), fields.indexOf('name')];
	const wanted = new Map(names.map(n => [o.strings.indexOf(n) as number, n]));
	const counts = Object.fromEntries(names.map(n => [n, 0]));
	for (let i = 0; i < o.nodes.length; i += fields.length) {
		const name = wanted.get(o.nodes[i + nameAt]);
		if (name !== undefined && o.nodes[i + typeAt] === objectType) counts[name]!++;
	}
	return counts;
}

async function snapshotText(target: InspectorTarget): Promise<string> {
	const chunks: string[] = [];
	await target.takeHeapSnapshot(chunk => chunks.push(chunk));
	return chunks.join('');
}

const CHECK_ARGS = ['check', '--json', '--worker', 'leaky-worker', '--duration', '20s', '--snapshot-every', '2s', '--max-pause-share', '0.5', '--', 'node', TARGETS_DIR + FIXTURE];

let app: SpawnedTarget;
let checkHeaptop: HeaptopRun | null = null;
let checkRun: Promise<HeaptopResult>;

before(async () => {
	// The CLI run takes longest: it watches in the background while the library tests run. Those load
	// the machine and stretch snapshot pauses (and so the spacing of snapshots): 20 s leave room for
	// the 3 snapshots a verdict needs.
	const run = startHeaptop(CHECK_ARGS);
	checkHeaptop = run;
	checkRun = run.exited.then(({code, signal}) => ({code, signal, stdout: run.stdout, stderr: run.stderr}));
	app = await spawnTarget(null, FIXTURE);
});

after(async () => {
	await app?.kill();
	// A failed or filtered run may leave the check running: SIGTERM lets heaptop stop the app it
	// started (a SIGKILL would orphan it), then whatever is left goes.
	if (checkHeaptop) {
		signalGroup(checkHeaptop.pid, 'SIGTERM');
		await Promise.race([checkHeaptop.exited, new Promise(resolve => setTimeout(resolve, 15_000).unref())]);
	}
	killAllStarted();
});

test('without --worker: the main thread is watched, and the worker is named once in the log', async () => {
	const lines: string[] = [];
	const main = await attach(parseTargetString(app.webSocketUrl!), {log: line => lines.push(line)});
	try {
		assert.ok(await eventually(() => lines.some(l => /worker thread/.test(l)), 3000), `log: ${JSON.stringify(lines)}`);
		const notices = lines.filter(l => /worker thread/.test(l));
		assert.equal(notices.length, 1, JSON.stringify(lines));
		assert.equal(notices[0], 'this process has 1 worker thread: 1 (leaky-worker); heaptop watches the main thread — --worker ID watches a worker');
		assert.match(main.info.title, /t-worker-leak\.js$/);
	} finally {
		await main.close();
	}
});

test('--worker by id and by name: the worker\'s own heap, GC and limits; main thread figures differ', async () => {
	const main = await attach(parseTargetString(app.webSocketUrl!));
	const byId = await attach(parseTargetString(String(app.port)), {worker: '1'});
	const lines: string[] = [];
	const byName = await attach(parseTargetString(app.webSocketUrl!), {worker: 'leaky-worker', log: line => lines.push(line)});
	try {
		for (const w of [byId, byName]) {
			assert.equal(w.info.title, WORKER_TITLE);
			assert.equal(w.info.pid, app.pid);
			assert.match(w.info.url, /t-worker-leak\.js$/);
		}
		assert.ok(lines.some(l => /watching worker thread 1 \(leaky-worker\).*RSS is the whole process's/.test(l)), JSON.stringify(lines));
		assert.ok(!lines.some(l => /unavailable|failed|not installed/.test(l)), `quiet attach: ${JSON.stringify(lines)}`);

		const [m, w] = [await main.readMetrics(2000), await byName.readMetrics(2000)];
		// the worker holds 16 MB of ballast the main thread does not have
		assert.ok(w.heapUsed > m.heapUsed + 12e6, `worker heapUsed ${w.heapUsed}, main ${m.heapUsed}`);
		const limits = await byName.heapLimits(2000);
		assert.ok(limits.usedHeapSize > 16e6 && limits.heapSizeLimit > limits.usedHeapSize, JSON.stringify(limits));

		// The GC probe runs in the worker: a GC forced there is counted there.
		assert.ok(w.gc, 'GC probe installed in the worker');
		const before = w.gc.major;
		const independent = await rawSession(app.webSocketUrl!);
		try {
			await forceWorkerGc(independent);
		} finally {
			await independent.close();
		}
		assert.ok(await eventually(async () => ((await byName.readMetrics(2000)).gc?.major ?? 0) > before, 3000), 'the forced worker GC is counted');
	} finally {
		await Promise.all([main.close(), byId.close(), byName.close()]);
	}
});

test('a worker snapshot holds the worker\'s objects and none of the main thread\'s; sampling sees the worker\'s allocations', async () => {
	const main = await attach(parseTargetString(app.webSocketUrl!));
	const worker = await attach(parseTargetString(app.webSocketUrl!), {worker: 'leaky-worker'});
	try {
		const names = ['WorkerLeakRecord', 'MainThreadOnly'];
		const inWorker = objectCounts(await snapshotText(worker), names);
		assert.ok(inWorker.WorkerLeakRecord! >= 5000, JSON.stringify(inWorker));
		assert.equal(inWorker.MainThreadOnly, 0, JSON.stringify(inWorker));
		const inMain = objectCounts(await snapshotText(main), names);
		assert.deepEqual(inMain, {WorkerLeakRecord: 0, MainThreadOnly: 2000});

		await worker.startAllocationSampling(4096);
		await new Promise(resolve => setTimeout(resolve, 700));
		const profile = await worker.getAllocationProfile();
		await worker.stopAllocationSampling();
		const urls = new Set<string>();
		const walk = (node: typeof profile.head) => {
			urls.add(node.callFrame.url);
			node.children.forEach(walk);
		};
		walk(profile.head);
		assert.ok([...urls].some(u => u.endsWith(FIXTURE)), `sampled frames: ${[...urls].join(', ')}`);
	} finally {
		await Promise.all([main.close(), worker.close()]);
	}
});

test('after close, nothing heaptop injected is left in the worker, and process and worker run on', async () => {
	const worker = await attach(parseTargetString(app.webSocketUrl!), {worker: '1'});
	await worker.readMetrics(2000);
	await worker.startAllocationSampling(32768);
	const during = await workerTracesIn(app.webSocketUrl!, 'leaky-worker');
	assert.equal(during.symbols.length, 1, 'the GC probe is in the worker while attached');
	assert.ok(during.sampling && during.observers === 1);
	assert.deepEqual(await tracesIn(app.webSocketUrl!), CLEAN, 'and nothing in the main thread');
	await worker.close();
	assert.deepEqual(await workerTracesIn(app.webSocketUrl!, 'leaky-worker'), CLEAN);
	assert.deepEqual(await tracesIn(app.webSocketUrl!), CLEAN);
	assert.equal(app.child.exitCode, null);
	assert.ok(!app.stdout.some(l => /worker exited/.test(l)), 'the worker runs on');
});

test('--pid with --worker: the inspector heaptop opened is closed again through the main thread', async t => {
	const other = await spawnTarget(t, FIXTURE, {inspect: false, nodeArgs: ['--inspect-port=0']});
	const worker = await attach({kind: 'pid', pid: other.pid}, {worker: 'leaky-worker'});
	assert.equal(worker.info.title, WORKER_TITLE);
	assert.equal(worker.info.attachedVia, 'pid');
	assert.ok((await worker.readMetrics(2000)).heapUsed > 16e6);
	assert.ok(await findInspectorOfPid(other.pid), 'open while attached');
	await worker.close();
	assert.ok(await eventually(async () => (await findInspectorOfPid(other.pid)) === null, 3000), 'the inspector is closed');
	// a --worker that matches nothing closes it as well
	await assert.rejects(attach({kind: 'pid', pid: other.pid}, {worker: 'nosuch', workerWaitMs: 300}), (e: unknown) => e instanceof AttachError && e.reason === 'no-worker');
	assert.ok(await eventually(async () => (await findInspectorOfPid(other.pid)) === null, 3000), 'the inspector is closed after the error too');
	assert.equal(other.child.exitCode, null);
	assert.ok(!other.stdout.some(l => /worker exited/.test(l)));
});

test('the watched worker exits: the target ends with that reason, the process runs on', async t => {
	const other = await spawnTarget(t, FIXTURE);
	const worker = await attach(parseTargetString(other.webSocketUrl!), {worker: 'leaky-worker'});
	const ended = new Promise<TargetEndReason>(resolve => worker.onEnd(resolve));
	const s = await rawSession(other.webSocketUrl!);
	try {
		await evaluateIn(s, 'globalThis.__leakyWorker.terminate(), 1');
	} finally {
		await s.close();
	}
	const reason = await ended;
	assert.deepEqual(reason, {kind: 'disconnected', message: 'worker thread 1 (leaky-worker) exited'});
	await worker.close();
	await other.waitForLine(/worker exited/);
	assert.equal(other.child.exitCode, null);
});

test('the process ends by itself while its worker is watched: heaptop lets go, the process exits', async t => {
	// Asked of a worker, exit notification would deadlock here (the worker waits for heaptop, the
	// exiting main thread waits for the worker): heaptop must ask the main thread only.
	const ending = await spawnTarget(t, FIXTURE, {args: ['end-soon']});
	const worker = await attach(parseTargetString(ending.webSocketUrl!), {worker: 'leaky-worker'});
	const ended = new Promise<TargetEndReason>(resolve => worker.onEnd(resolve));
	const exit = await Promise.race([ending.exited, new Promise<null>(resolve => setTimeout(() => resolve(null), 8000))]);
	assert.deepEqual(exit, {code: 0, signal: null}, 'the process exited by itself');
	assert.equal((await ended).kind, 'exited');
	await worker.close();
});

test('--worker that matches nothing, or a process without workers: one-line AttachError listing the workers', async t => {
	const lonely = await spawnTarget(t, 't-idle.js');
	const isAttachError = (reason: AttachError['reason'], message: RegExp) => (e: unknown) => {
		assert.ok(e instanceof AttachError, String(e));
		assert.equal(e.reason, reason);
		assert.match(e.message, message);
		assert.equal(e.message.includes('\n'), false, 'one line');
		return true;
	};
	await assert.rejects(
		attach(parseTargetString(app.webSocketUrl!), {worker: 'nosuch', workerWaitMs: 300}),
		isAttachError('no-worker', /no worker thread matches --worker nosuch; .* has 1: 1 \(leaky-worker\) — pass one of these ids/),
	);
	await assert.rejects(attach(parseTargetString(app.webSocketUrl!), {worker: '7', workerWaitMs: 300}), isAttachError('no-worker', /has 1: 1 \(leaky-worker\)/));
	await assert.rejects(attach(parseTargetString(lonely.webSocketUrl!), {worker: '1', workerWaitMs: 300}), isAttachError('no-worker', /has no worker threads/));
	// nothing was left attached: the worker is still clean
	assert.deepEqual(await workerTracesIn(app.webSocketUrl!, 'leaky-worker'), CLEAN);
});

test('CLI: a --worker that matches nothing exits 2 with one line', async () => {
	const result = await runHeaptop(['check', '--worker', 'nosuch', String(app.port)], {timeoutMs: 20_000});
	assert.equal(result.code, 2, result.stderr);
	const lines = result.stderr.trim().split('\n');
	assert.equal(lines.length, 1, result.stderr);
	assert.match(lines[0]!, /^heaptop: no worker thread matches --worker nosuch; .*has 1: 1 \(leaky-worker\)/);
});

test('CLI: check --json --worker leaky-worker -- node fixture names the worker\'s leaking class', async () => {
	type Report = {verdict: string; growing: Array<{name: string}>; snapshots: unknown[]; notes?: string[]};
	const parse = (r: HeaptopResult): Report | null => {
		try {
			return JSON.parse(r.stdout) as Report;
		} catch {
			return null;
		}
	};
	let result = await checkRun;
	// A loaded machine stretches snapshot pauses and so their spacing: too few to judge, once more.
	if ((parse(result)?.snapshots.length ?? 0) < 3) {
		console.log(`# the check run had under 3 snapshots; repeated (stderr: ${result.stderr.slice(-300)})`);
		result = await runHeaptop(CHECK_ARGS, {timeoutMs: 60_000});
	}
	const report = parse(result);
	assert.ok(report, `no JSON report (exit ${result.code}): ${result.stderr}`);
	const diagnostic = `exit ${result.code}, ${report.snapshots.length} snapshots, growing ${report.growing.map(g => g.name).join(', ')}, notes ${JSON.stringify(report.notes)}; stderr ${result.stderr}`;
	assert.equal(result.code, 1, diagnostic);
	assert.equal(report.verdict, 'leak', diagnostic);
	assert.equal(report.growing[0]?.name, 'WorkerLeakRecord', diagnostic);
	assert.ok(!report.growing.some(g => g.name === 'MainThreadOnly'), diagnostic);
	assert.match(result.stderr, /watching worker thread 1 \(leaky-worker\)/);
});

test('live view: the header names the worker, the status bar says which thread is watched', async () => {
	const command = `${shellQuote(process.execPath)} bin/heaptop.js --worker leaky-worker -- node ${shellQuote(TARGETS_DIR + FIXTURE)}`;
	const tmux = TmuxSession.start({columns: 160, rows: 40, command, cwd: ROOT});
	try {
		const shown = (s: string) => /heaptop LIVE .*\[worker 1\] leaky-worker/.test(s) && /watching worker thread 1 \(leaky-worker\)/.test(s);
		assert.ok(await pollUntil(() => shown(tmux.capture()), 20_000, 200), `screen:\n${tmux.capture()}`);
		await tmux.keys('q');
		assert.ok(await pollUntil(() => !tmux.paneAlive() || !/heaptop LIVE/.test(tmux.capture()), 15_000, 200), 'q quits');
	} finally {
		tmux.kill();
	}
});

/** A major GC inside the worker, through an independent session (cdp-facts §9.4). */
async function forceWorkerGc(s: {send(method: string, params?: object): Promise<any>}): Promise<void> {
	const raw = s as unknown as {on(event: string, listener: (params: any) => void): void};
	let sessionId: string | null = null;
	raw.on('NodeWorker.attachedToWorker', p => (sessionId ??= p.sessionId));
	let replied: () => void = () => {};
	const reply = new Promise<void>(resolve => (replied = resolve));
	raw.on('NodeWorker.receivedMessageFromWorker', p => {
		if (JSON.parse(p.message).id === 1) replied();
	});
	await s.send('NodeWorker.enable', {waitForDebuggerOnStart: false});
	assert.ok(sessionId, 'the worker is listed');
	await s.send('NodeWorker.sendMessageToWorker', {sessionId, message: JSON.stringify({id: 1, method: 'HeapProfiler.collectGarbage', params: {}})});
	await reply;
}
