import {test} from 'node:test';
import assert from 'node:assert/strict';
import {combineVerdict, explainVerdict, isStrongGrowth} from '../../src/analysis/verdict.js';
import type {Trend} from '../../src/model/types.js';

const trend = (shape: Trend['shape'], fit: number): Trend => ({
	shape, fit, heapBytesPerSec: shape === 'growing' ? 50_000 : 0, rssBytesPerSec: null, secondsToHeapLimit: null,
	label: shape === 'growing' ? 'growing +2.9 MB/min' : shape === 'unknown' ? 'not enough data yet' : shape,
});

test('a snapshot leak is a leak whatever the heap trend says', () => {
	for (const t of [null, trend('stable', 0), trend('unknown', 0), trend('plateau', 0.7)]) {
		assert.equal(combineVerdict({growth: 'leak', trend: t, snapshotCount: 5, snapshotsEnabled: true}), 'leak');
	}
});

test('snapshots say no leak: no-leak, unless the heap floor keeps growing strongly', () => {
	assert.equal(combineVerdict({growth: 'no-leak', trend: trend('stable', 0.1), snapshotCount: 6, snapshotsEnabled: true, observedMs: 60_000}), 'no-leak');
	assert.equal(combineVerdict({growth: 'no-leak', trend: trend('growing', 0.5), snapshotCount: 6, snapshotsEnabled: true, observedMs: 60_000}), 'no-leak');
	const strong = explainVerdict({growth: 'no-leak', trend: trend('growing', 0.95), snapshotCount: 6, snapshotsEnabled: true, observedMs: 60_000});
	assert.equal(strong.verdict, 'inconclusive');
	assert.match(strong.reason, /heap floor does \(growing \+2\.9 MB\/min\)/);
});

test('without snapshots, a strong long rise of the heap floor is a leak; a weak or short one is not', () => {
	const strong = explainVerdict({growth: 'inconclusive', trend: trend('growing', 0.92), snapshotCount: 0, snapshotsEnabled: false, observedMs: 60_000});
	assert.equal(strong.verdict, 'leak');
	assert.match(strong.reason, /snapshots are off/);
	assert.equal(combineVerdict({growth: 'inconclusive', trend: trend('growing', 0.6), snapshotCount: 0, snapshotsEnabled: false, observedMs: 60_000}), 'inconclusive');
	assert.equal(combineVerdict({growth: 'inconclusive', trend: trend('growing', 0.95), snapshotCount: 1, snapshotsEnabled: true, observedMs: 20_000}), 'inconclusive');
	// duration unknown: only a very clean fit counts
	assert.equal(combineVerdict({growth: 'inconclusive', trend: trend('growing', 0.85), snapshotCount: 2, snapshotsEnabled: true}), 'inconclusive');
	assert.equal(combineVerdict({growth: 'inconclusive', trend: trend('growing', 0.93), snapshotCount: 2, snapshotsEnabled: true}), 'leak');
});

test('without enough snapshots, a stable heap is no-leak; a plateau or an unknown one inconclusive', () => {
	assert.equal(combineVerdict({growth: 'inconclusive', trend: trend('stable', 0), snapshotCount: 0, snapshotsEnabled: false, observedMs: 60_000}), 'no-leak');
	// a filled cache and a leak whose floor a late major GC hid look alike from heapUsed alone
	const plateau = explainVerdict({growth: 'inconclusive', trend: trend('plateau', 0.7), snapshotCount: 2, snapshotsEnabled: true, observedMs: 60_000});
	assert.equal(plateau.verdict, 'inconclusive');
	assert.match(plateau.reason, /rose, then levelled off: a cache filling up or a leak, only 2 snapshots \(3 needed\) to tell/);
	assert.equal(combineVerdict({growth: 'inconclusive', trend: trend('stable', 0), snapshotCount: 0, snapshotsEnabled: false, observedMs: 5_000}), 'inconclusive');
	const unknown = explainVerdict({growth: 'inconclusive', trend: trend('unknown', 0), snapshotCount: 1, snapshotsEnabled: true});
	assert.equal(unknown.verdict, 'inconclusive');
	assert.match(unknown.reason, /only 1 snapshot \(3 needed\)/);
	assert.equal(combineVerdict({growth: 'inconclusive', trend: null, snapshotCount: 2, snapshotsEnabled: true}), 'inconclusive');
});

test('strong growth needs the growing shape', () => {
	assert.equal(isStrongGrowth(trend('plateau', 0.99), 600_000), false);
	assert.equal(isStrongGrowth(trend('growing', 0.8), 45_000), true);
	assert.equal(isStrongGrowth(trend('growing', 0.79), 45_000), false);
});

test('snapshots on but too few taken: a flat heap floor alone does not clear the target', () => {
	const v = explainVerdict({growth: 'inconclusive', trend: trend('stable', 0), snapshotCount: 1, snapshotsEnabled: true, observedMs: 60_000});
	assert.equal(v.verdict, 'inconclusive');
	assert.match(v.reason, /only 1 snapshot/);
});
