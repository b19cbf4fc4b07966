/**
 * heaptop never hurts the process it watches: whichever way it ends — q, Ctrl-C, SIGTERM, SIGHUP (the
 * terminal going away), a crash of heaptop itself, the target ending — the target is left as it was
 * (no heaptop.* symbol, no PerformanceObserver, no sampling heap profiler running) and keeps running,
 * and an inspector heaptop opened with SIGUSR1 is closed again. Each case runs the built CLI (the live
 * view in a real tmux terminal, or `check`) and then looks at the target through a fresh CDP session.
 */
import {test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {BIN, ROOT} from '../helpers/run-cli.js';
import {eventually, spawnTarget, tcpAccepts, type SpawnedTarget} from '../helpers/spawn-target.js';
import {CLEAN, isAlive, tracesIn} from '../helpers/safety-traces.js';
import {hasTmux, heaptopInTmux, type TmuxHeaptop} from '../helpers/safety-tmux.js';
import {listInspectorTargets} from '../../src/target/discover.js';

const TMUX = hasTmux() ? false : 'tmux is not installed';
const opts = {timeout: 60_000, skip: TMUX};

/** Heaptop is fully attached: its probe is in and allocation sampling runs. */
async function injected(webSocketUrl: string): Promise<void> {
	assert.ok(await eventually(async () => {
		const traces = await tracesIn(webSocketUrl);
		return traces.symbols.length === 1 && traces.observers === 1 && traces.sampling;
	}, 10_000, 200), 'heaptop injected its probe and started sampling');
}

async function attachedView(app: SpawnedTarget, ui: TmuxHeaptop): Promise<void> {
	await ui.waitForScreen(/Heap\s+used/);
	await injected(app.webSocketUrl!);
}

async function assertLeftClean(app: SpawnedTarget, webSocketUrl = app.webSocketUrl!): Promise<void> {
	assert.deepEqual(await tracesIn(webSocketUrl), CLEAN, 'nothing of heaptop is left in the target');
	assert.ok(isAlive(app.pid) && app.child.exitCode === null, 'the target keeps running');
}

/** Gone, or a zombie nobody reaps (the tmux server that started it is gone, and PID 1 may not reap). */
function gone(pid: number): boolean {
	if (!isAlive(pid)) return true;
	try {
		return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
	} catch {
		return true;
	}
}

test('q: the live view detaches and leaves the target as it was', opts, async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const ui = await heaptopInTmux(t, [String(app.port), '--snapshot-every', '0']);
	await attachedView(app, ui);
	ui.keys('q');
	assert.equal(await ui.waitForExit(), 0);
	await assertLeftClean(app);
});

test('Ctrl-C: same as q', opts, async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const ui = await heaptopInTmux(t, [String(app.port), '--snapshot-every', '0']);
	await attachedView(app, ui);
	ui.keys('C-c');
	assert.equal(await ui.waitForExit(), 0);
	await assertLeftClean(app);
});

test('SIGTERM to the live view: detaches before it goes', opts, async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const ui = await heaptopInTmux(t, [String(app.port), '--snapshot-every', '0']);
	await attachedView(app, ui);
	process.kill(ui.pid, 'SIGTERM');
	const status = await ui.waitForExit();
	assert.ok(status === 0 || status === 128 + 15, `exit status ${status}`);
	await assertLeftClean(app);
});

test('SIGHUP (the terminal closes, e.g. the SSH session drops): detaches', opts, async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const ui = await heaptopInTmux(t, [String(app.port), '--snapshot-every', '0']);
	await attachedView(app, ui);
	ui.hangUp();
	assert.ok(await eventually(() => gone(ui.pid), 10_000), 'heaptop ended after the hang-up');
	await assertLeftClean(app);
});

test('a crash inside the live view still detaches (exit status 2, the error on stderr)', opts, async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const ui = await heaptopInTmux(t, [String(app.port), '--snapshot-every', '0'], {HEAPTOP_TEST_CRASH_AFTER_MS: '4000'});
	await attachedView(app, ui);
	assert.equal(await ui.waitForExit(), 2);
	assert.match(ui.stderr(), /simulated crash/);
	await assertLeftClean(app);
});

test('q while a snapshot pauses the target: waits for it, then detaches cleanly', opts, async t => {
	const app = await spawnTarget(t, 't-big-heap.js');
	const ui = await heaptopInTmux(t, [String(app.port), '--snapshot-every', '1s', '--force-snapshot']);
	await attachedView(app, ui);
	await ui.waitForScreen(/capturing \d+%/, 20_000);
	ui.keys('q');
	assert.equal(await ui.waitForExit(20_000), 0);
	await assertLeftClean(app);
});

test('the target ends: heaptop lets it exit at once, keeps the view, and quits cleanly', opts, async t => {
	// heaptop needs a few seconds to start and attach on a loaded machine; then the target's loop runs dry
	const app = await spawnTarget(t, 't-exit-soon.js', {args: ['8000', '3']});
	const ui = await heaptopInTmux(t, [String(app.port), '--snapshot-every', '0']);
	await ui.waitForScreen(/Heap\s+used/);
	const status = await Promise.race([app.exited, new Promise(resolve => setTimeout(() => resolve('still running'), 10_000))]);
	assert.deepEqual(status, {code: 3, signal: null}, 'the target was not held by the attached debugger');
	await ui.waitForScreen(/target ended: the target exited/);
	assert.match(ui.screen(), /Heap\s+used/, 'the charts stay');
	ui.keys('q');
	assert.equal(await ui.waitForExit(), 0);
});

test('--pid: the inspector heaptop opened is closed again (the port refuses), nothing is left, the app runs on', opts, async t => {
	// --inspect-port=0: SIGUSR1 opens a random port, so the test cannot collide with anything on 9229
	const app = await spawnTarget(t, 't-idle.js', {inspect: false, nodeArgs: ['--inspect-port=0']});
	const ui = await heaptopInTmux(t, ['--pid', String(app.pid), '--snapshot-every', '0']);
	const banner = await app.waitForLine(/Debugger listening on ws:\/\//);
	const url = /(ws:\/\/\S+)/.exec(banner)![1]!;
	const port = Number(new URL(url).port);
	await ui.waitForScreen(/Heap\s+used/);
	await injected(url);
	ui.keys('q');
	assert.equal(await ui.waitForExit(), 0);
	assert.ok(await eventually(async () => !(await tcpAccepts('127.0.0.1', port)), 3000), 'the inspector port is closed');
	assert.ok(isAlive(app.pid) && app.child.exitCode === null, 'the app keeps running');
	// reopen it ourselves (SIGUSR1 reopens the same port) to look inside
	process.kill(app.pid, 'SIGUSR1');
	assert.ok(await eventually(() => tcpAccepts('127.0.0.1', port), 5000), 'the inspector reopens');
	const [endpoint] = await listInspectorTargets('127.0.0.1', port);
	await assertLeftClean(app, endpoint!.webSocketUrl!);
});

test('SIGTERM to `check`: reports what it collected and detaches', {timeout: 60_000}, async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const child = spawn(process.execPath, [BIN, 'check', String(app.port), '--duration', '60s', '--snapshot-every', '0', '--json'], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']});
	t.after(() => child.kill('SIGKILL'));
	let stdout = '';
	child.stdout.on('data', d => (stdout += d));
	const exited = new Promise<number | null>(resolve => child.on('close', code => resolve(code)));
	await injected(app.webSocketUrl!);
	child.kill('SIGTERM');
	const code = await exited;
	assert.notEqual(code, null, 'it ended by itself, not by the signal');
	const report = JSON.parse(stdout);
	assert.ok(report.notes.some((n: string) => /interrupted by SIGTERM/.test(n)), JSON.stringify(report.notes));
	await assertLeftClean(app);
});

test('control: SIGKILL cannot be handled — the probe stays until its watchdog, sampling ends with the session', opts, async (t: TestContext) => {
	// shows that the checks above can see a leftover probe, and what the watchdog is there for
	const app = await spawnTarget(t, 't-idle.js');
	const ui = await heaptopInTmux(t, [String(app.port), '--snapshot-every', '0']);
	await attachedView(app, ui);
	process.kill(ui.pid, 'SIGKILL');
	await ui.waitForExit();
	assert.ok(await eventually(async () => !(await tracesIn(app.webSocketUrl!)).sampling, 3000), 'the sampling profiler stops with the session');
	const traces = await tracesIn(app.webSocketUrl!);
	assert.deepEqual([traces.symbols, traces.observers], [['Symbol(heaptop.gc)'], 1]);
	assert.ok(isAlive(app.pid));
});
