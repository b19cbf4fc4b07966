import {test} from 'node:test';
import assert from 'node:assert/strict';
import {effectiveInterval, isSnapshotDue, nextSnapshotDue, pauseShare, recentPauseMs} from '../../src/analysis/schedule.js';

test('a long pause stretches the interval so the pause stays within the share', () => {
	assert.equal(effectiveInterval(10_000, 0.05, [3000]), 60_000); // 3 s at 5 % → 60 s
	assert.equal(effectiveInterval(10_000, 0.1, [3000]), 30_000);
	assert.equal(effectiveInterval(10_000, 0.05, [200]), 10_000); // short pauses: the base interval stands
	assert.equal(effectiveInterval(10_000, 0.05, []), 10_000);
	for (const pause of [100, 1000, 3000, 8000, 40_000]) {
		const interval = effectiveInterval(30_000, 0.05, [pause]);
		assert.ok(pause / interval <= 0.05 + 1e-12 && interval >= 30_000, `${pause} → ${interval}`);
	}
});

test('the largest of the recent pauses sets the pace; old or bad ones do not', () => {
	assert.equal(recentPauseMs([9000, 1000, 2000, 1500]), 2000);
	assert.equal(recentPauseMs([NaN, -5, 1000]), 1000);
	assert.equal(effectiveInterval(10_000, 0.05, [4000, 500, 500]), 80_000);
});

test('snapshots off, and a nonsense share falls back to the default', () => {
	assert.equal(effectiveInterval(0, 0.05, [3000]), 0);
	assert.equal(effectiveInterval(10_000, 0, [3000]), 60_000);
	assert.equal(effectiveInterval(10_000, 7, [3000]), 60_000);
});

test('next due: first right away, then interval after the last start, never before it finished', () => {
	const plan = {baseMs: 10_000, maxPauseShare: 0.05, pausesMs: [] as number[], lastStartedAt: null, lastFinishedAt: null};
	assert.equal(nextSnapshotDue(plan), 0);
	assert.equal(nextSnapshotDue({...plan, lastStartedAt: 5000, lastFinishedAt: 5400, pausesMs: [300]}), 15_000);
	assert.equal(nextSnapshotDue({...plan, lastStartedAt: 5000, lastFinishedAt: 9000, pausesMs: [3000]}), 65_000);
	// parsing took longer than the interval: due when it finished
	assert.equal(nextSnapshotDue({...plan, lastStartedAt: 0, lastFinishedAt: 25_000, pausesMs: [100]}), 25_000);
	assert.equal(nextSnapshotDue({...plan, baseMs: 0}), null);
	assert.equal(isSnapshotDue(14_999, {...plan, lastStartedAt: 5000, lastFinishedAt: 5400}), false);
	assert.equal(isSnapshotDue(15_000, {...plan, lastStartedAt: 5000, lastFinishedAt: 5400}), true);
	assert.equal(isSnapshotDue(1e9, {...plan, baseMs: 0}), false);
});

test('pause share for the status line', () => {
	assert.equal(pauseShare([3000], 60_000), 0.05);
	assert.equal(pauseShare([], 60_000), 0);
	assert.equal(pauseShare([3000], 0), 0);
});
