import {test} from 'node:test';
import assert from 'node:assert/strict';
import {runInNewContext} from 'node:vm';
import {GC_PROBE_REMOVE_SOURCE, GcTotalsTracker, gcProbeInstallSource, gcTotalsFromPoll, type GcPoll} from '../../src/target/gc-probe.js';

test('GC kinds: scavenges (1, 2) are minor, kind 4 is major, kind 8 adds major pause only', () => {
	const poll: GcPoll = [9, {1: 5, 2: 1, 4: 2, 8: 1}, {1: 2.5, 2: 0.5, 4: 6, 8: 1.5, 16: 0.25}, 12345];
	assert.deepEqual(gcTotalsFromPoll(poll), {count: 8, pauseMs: 10.75, minor: 6, minorMs: 3, major: 2, majorMs: 7.5, heapAfterLastMajorGc: 12345});
	assert.deepEqual(gcTotalsFromPoll([0, {}, {}, null]), {count: 0, pauseMs: 0, minor: 0, minorMs: 0, major: 0, majorMs: 0, heapAfterLastMajorGc: null});
});

test('totals stay cumulative when the probe is lost and re-installed', () => {
	const tracker = new GcTotalsTracker();
	assert.equal(tracker.update([3, {1: 3}, {1: 3}, null]).totals!.count, 3);
	assert.equal(tracker.update([5, {1: 4, 4: 1}, {1: 4, 4: 2}, 100]).totals!.count, 5);
	const lost = tracker.update(null);
	assert.equal(lost.lost, true);
	assert.equal(lost.totals!.count, 5, 'what the lost probe saw');
	const fresh = tracker.update([2, {1: 2}, {1: 1}, null]);
	assert.deepEqual(fresh, {totals: {count: 7, pauseMs: 7, minor: 6, minorMs: 5, major: 1, majorMs: 2, heapAfterLastMajorGc: 100}, lost: false});
	assert.equal(tracker.update(null).totals!.count, 7);
	assert.equal(tracker.update(null).totals!.count, 7, 'two losses in a row do not double count');
});

test('the injected source parses, installs once per user and is removed by the last one', () => {
	// Run it in a sandbox with a stand-in perf_hooks/v8 to check the bookkeeping, not V8's GC.
	const observers: Array<{disconnected: boolean}> = [];
	class PerformanceObserver {
		disconnected = false;
		constructor(readonly callback: unknown) {
			observers.push(this);
		}
		observe() {}
		disconnect() {
			this.disconnected = true;
		}
	}
	const timers: unknown[] = [];
	const sandbox: Record<string, unknown> = {
		process: {getBuiltinModule: (id: string) => (id === 'perf_hooks' ? {PerformanceObserver} : {getHeapStatistics: () => ({used_heap_size: 1})})},
		setInterval: () => {
			const timer = {unref() {}};
			timers.push(timer);
			return timer;
		},
		clearInterval: (timer: unknown) => timers.splice(timers.indexOf(timer), 1),
		Date,
		Symbol,
		Object,
	};
	sandbox.globalThis = sandbox;
	assert.equal(runInNewContext(gcProbeInstallSource(), sandbox), 'installed');
	assert.equal(runInNewContext(gcProbeInstallSource(), sandbox), 'shared');
	assert.equal(Object.keys(sandbox).includes('Symbol(heaptop.gc)'), false);
	assert.equal(runInNewContext(GC_PROBE_REMOVE_SOURCE, sandbox), 'shared');
	assert.equal(observers[0]!.disconnected, false);
	assert.equal(runInNewContext(GC_PROBE_REMOVE_SOURCE, sandbox), 'removed');
	assert.equal(observers.length, 1);
	assert.equal(observers[0]!.disconnected, true);
	assert.equal(timers.length, 0, 'watchdog cleared');
	assert.equal(runInNewContext(GC_PROBE_REMOVE_SOURCE, sandbox), 'none');
});
