import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseDuration, resolveOptions, splitCommand, UsageError} from '../../src/options.js';

test('durations: ms, s, m, h and 0', () => {
	assert.equal(parseDuration('1500ms', 'interval'), 1500);
	assert.equal(parseDuration('10s', 'interval'), 10_000);
	assert.equal(parseDuration('2m', 'interval'), 120_000);
	assert.equal(parseDuration('1h', 'interval'), 3_600_000);
	assert.equal(parseDuration('0.5s', 'interval'), 500);
	assert.equal(parseDuration('0', 'snapshot-every'), 0);
});

test('durations without a unit or with garbage are usage errors naming the flag', () => {
	assert.throws(() => parseDuration('10', 'interval'), (e: Error) => e instanceof UsageError && /--interval "10"/.test(e.message));
	assert.throws(() => parseDuration('fast', 'duration'), UsageError);
	assert.throws(() => parseDuration('-1s', 'duration'), UsageError);
});

test('splitCommand separates heaptop words from the command after --', () => {
	assert.deepEqual(splitCommand(['check', '--json', '--', 'node', 'app.js', '--port', '3']), {own: ['check', '--json'], command: ['node', 'app.js', '--port', '3']});
	assert.deepEqual(splitCommand(['9229']), {own: ['9229'], command: []});
});

test('no target in the live view means the demo; check needs a target', () => {
	assert.deepEqual(resolveOptions([], [], {}).target, {kind: 'demo'});
	assert.throws(() => resolveOptions(['check'], [], {}), /check needs a target/);
});

test('each way to name a target', () => {
	assert.deepEqual(resolveOptions(['9229'], [], {}).target, {kind: 'address', spec: '9229'});
	assert.deepEqual(resolveOptions(['check', 'ws://127.0.0.1:9229/abc'], [], {}).target, {kind: 'address', spec: 'ws://127.0.0.1:9229/abc'});
	assert.deepEqual(resolveOptions([], [], {pid: 42}).target, {kind: 'pid', pid: 42});
	assert.deepEqual(resolveOptions(['check'], ['node', 'a.js'], {}).target, {kind: 'command', argv: ['node', 'a.js']});
	assert.throws(() => resolveOptions(['9229'], [], {pid: 3}), /give one target/);
	assert.throws(() => resolveOptions(['1', '2'], [], {}), /unexpected argument/);
	assert.throws(() => resolveOptions([], [], {pid: -4}), /--pid needs a process id/);
});

test('mode defaults follow the contract', () => {
	const tui = resolveOptions([], [], {});
	assert.equal(tui.mode, 'tui');
	assert.equal(tui.intervalMs, 1000);
	assert.equal(tui.snapshotEveryMs, 30_000);
	const check = resolveOptions(['check', '9229'], [], {});
	assert.equal(check.snapshotEveryMs, 10_000);
	assert.equal(check.durationMs, 60_000);
	assert.equal(resolveOptions(['check', '9229'], [], {snapshotEvery: '0'}).snapshotEveryMs, 0);
});

test('analyze takes files and nothing else', () => {
	const o = resolveOptions(['analyze', 'a.heapsnapshot', 'b.heapsnapshot'], [], {json: true});
	assert.deepEqual(o.files, ['a.heapsnapshot', 'b.heapsnapshot']);
	assert.equal(o.target, null);
	assert.throws(() => resolveOptions(['analyze'], [], {}), /at least one/);
	assert.throws(() => resolveOptions(['analyze', 'a'], [], {pid: 3}), /takes no --pid/);
});

test('flag combinations that cannot work are refused', () => {
	assert.throws(() => resolveOptions([], [], {json: true}), /--json goes with check or analyze/);
	assert.throws(() => resolveOptions(['check', '1'], [], {redact: true}), /--redact/);
	assert.throws(() => resolveOptions(['check', '1'], [], {maxPauseShare: 2}), /--max-pause-share/);
	assert.throws(() => resolveOptions(['check', '1'], [], {samplingInterval: 10}), /--sampling-interval/);
	assert.throws(() => resolveOptions(['check', '1'], [], {interval: '10ms'}), /at least 100ms/);
});

test('pause budget: 5% for a process we attach to, 25% for one heaptop starts, a flag wins', () => {
	assert.equal(resolveOptions(['check', '9229'], [], {}).maxPauseShare, 0.05);
	assert.equal(resolveOptions(['check'], ['node', 'a.js'], {}).maxPauseShare, 0.25);
	assert.equal(resolveOptions([], [], {}).maxPauseShare, 0.25);
	assert.equal(resolveOptions(['check'], ['node', 'a.js'], {maxPauseShare: 0.1}).maxPauseShare, 0.1);
});

test('--worker goes with any target, never alone or with analyze', () => {
	assert.equal(resolveOptions(['9229'], [], {}).worker, null);
	assert.equal(resolveOptions(['check', '9229'], [], {worker: '2'}).worker, '2');
	assert.equal(resolveOptions([], [], {pid: 42, worker: ' leaky-worker '}).worker, 'leaky-worker');
	assert.equal(resolveOptions(['check'], ['node', 'a.js'], {worker: 'pool'}).worker, 'pool');
	assert.throws(() => resolveOptions(['analyze', 'a.heapsnapshot'], [], {worker: '1'}), /--worker goes with a target/);
	assert.throws(() => resolveOptions(['9229'], [], {worker: ' '}), /--worker needs a worker thread/);
	assert.throws(() => resolveOptions([], [], {worker: '1'}), /--worker needs a target/);
});
