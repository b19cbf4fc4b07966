import {test} from 'node:test';
import assert from 'node:assert/strict';
import {classifyTrend, discountLaterFreed, NOT_ENOUGH_DATA} from '../../src/analysis/trend.js';
import {gcCycleMs, heapFloor, majorGcFloor, rollingMinFloor} from '../../src/analysis/heap-floor.js';
import type {HeapLimits, MetricsSample} from '../../src/model/types.js';

const MB = 1024 * 1024;

/** Deterministic pseudo-random noise so the tests are repeatable. */
function rng(seed: number): () => number {
	let s = seed >>> 0;
	return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * Samples every second: heapUsed = floor(t) + sawtooth garbage that builds up over `gcEvery` seconds
 * and is collected; optional major-GC floor readings every `majorEvery` seconds.
 */
function series(seconds: number, floorAt: (sec: number) => number, opts: {gcEvery?: number; garbage?: number; noise?: number; majorEvery?: number; seed?: number} = {}): MetricsSample[] {
	const {gcEvery = 5, garbage = 8 * MB, noise = 0, majorEvery, seed = 1} = opts;
	const rand = rng(seed);
	const out: MetricsSample[] = [];
	let gcMajor = 0;
	let afterMajor: number | null = null;
	for (let sec = 0; sec < seconds; sec++) {
		const floor = floorAt(sec) + (rand() - 0.5) * noise;
		const heapUsed = floor + ((sec % gcEvery) / gcEvery) * garbage;
		if (majorEvery && sec > 0 && sec % majorEvery === 0) { gcMajor++; afterMajor = floor; }
		out.push({
			t: sec * 1000, heapUsed, heapTotal: heapUsed + 4 * MB, rss: heapUsed + 30 * MB + sec * 1000,
			external: 1 * MB, arrayBuffers: 0, gcCount: sec, gcPauseMs: sec, gcMinor: sec, gcMajor,
			heapAfterLastMajorGc: afterMajor,
		});
	}
	return out;
}

const limits: HeapLimits = {heapSizeLimit: 4096 * MB, totalAvailableSize: 4000 * MB, usedHeapSize: 40 * MB, totalHeapSize: 60 * MB};

test('linear growth under sawtooth GC noise is growing, with the slope, a good fit and a countdown', () => {
	// 50 KB/s of retained growth (~2.9 MB/min) under an 8 MB sawtooth
	const samples = series(120, sec => 40 * MB + sec * 50 * 1024, {noise: 256 * 1024});
	const trend = classifyTrend(samples, limits);
	assert.equal(trend.shape, 'growing');
	assert.ok(Math.abs(trend.heapBytesPerSec - 50 * 1024) < 5 * 1024, `slope ${trend.heapBytesPerSec}`);
	assert.ok(trend.fit > 0.9, `fit ${trend.fit}`);
	assert.match(trend.label, /^growing \+2\.\d MB\/min$/);
	assert.ok(trend.secondsToHeapLimit !== null);
	// (4096 − ~46) MB at 50 KB/s ≈ 82,900 s
	assert.ok(Math.abs(trend.secondsToHeapLimit - (4096 * MB - 46 * MB) / (50 * 1024)) < 8000, `${trend.secondsToHeapLimit}`);
	assert.ok(trend.rssBytesPerSec !== null && trend.rssBytesPerSec > 0);
});

test('a plain least-squares fit on heapUsed would be fooled by the sawtooth; the floor is not', () => {
	// flat floor, big slow sawtooth: heapUsed itself trends upward inside each long GC cycle
	const samples = series(200, () => 40 * MB, {gcEvery: 30, garbage: 30 * MB});
	assert.equal(classifyTrend(samples, limits).shape, 'stable');
	// only three GC cycles: too few floor readings to say anything, and certainly not "growing"
	assert.equal(classifyTrend(samples.slice(0, 90), limits).shape, 'unknown');
	assert.ok(Math.abs(gcCycleMs(samples) - 30_000) < 1500);
});

test('old-generation garbage that climbs and is freed by a late major GC is not growth', () => {
	// scavenge troughs climb 6 MB over 100 s as garbage is promoted, then one major GC frees it all
	const samples = series(120, sec => 40 * MB + (sec < 110 ? sec * 60 * 1024 : 0), {noise: 128 * 1024});
	const trend = classifyTrend(samples, limits);
	assert.equal(trend.shape, 'stable', trend.label);
});

test('a leak under a slow old-generation sawtooth is still growing', () => {
	// true floor +50 KB/s; on top, 6 MB of old-space garbage builds up over each 30 s major-GC cycle
	const samples = series(180, sec => 40 * MB + sec * 50 * 1024 + (sec % 30) * 200 * 1024, {noise: 64 * 1024});
	const trend = classifyTrend(samples, limits);
	assert.equal(trend.shape, 'growing', trend.label);
	assert.ok(trend.heapBytesPerSec > 25 * 1024 && trend.heapBytesPerSec < 100 * 1024, `${trend.heapBytesPerSec}`);
});

test('discounting later-freed memory ignores wiggles and caps only across clear drops', () => {
	const pts = [10, 12, 14, 9, 11, 13, 12.8].map((mb, i) => ({t: i * 1000, bytes: mb * MB}));
	assert.deepEqual(discountLaterFreed(pts, 2 * MB).map(p => p.bytes / MB), [9, 9, 9, 9, 11, 13, 12.8]);
	assert.deepEqual(discountLaterFreed(pts, 10 * MB).map(p => p.bytes / MB), [10, 12, 14, 9, 11, 13, 12.8]);
});

test('growth that levels off is a plateau', () => {
	// rises 60 KB/s for 80 s, then flat for the last 70 s
	const samples = series(150, sec => 40 * MB + Math.min(sec, 80) * 60 * 1024, {noise: 128 * 1024});
	const trend = classifyTrend(samples, limits);
	assert.equal(trend.shape, 'plateau');
	assert.equal(trend.label, 'plateau');
	assert.equal(trend.secondsToHeapLimit, null);
});

test('flat but noisy is stable', () => {
	for (const seed of [1, 2, 3, 4, 5]) {
		const samples = series(120, () => 40 * MB, {noise: 2 * MB, seed});
		const trend = classifyTrend(samples, limits);
		assert.equal(trend.shape, 'stable', `seed ${seed}: ${trend.label} fit ${trend.fit}`);
		assert.equal(trend.label, 'stable');
	}
});

test('a shrinking heap is stable, not growing', () => {
	const samples = series(120, sec => 80 * MB - sec * 100 * 1024);
	assert.equal(classifyTrend(samples, limits).shape, 'stable');
});

test('too few samples or too short a window is unknown, and says so', () => {
	const short = series(5, sec => 40 * MB + sec * MB);
	const trend = classifyTrend(short, limits);
	assert.equal(trend.shape, 'unknown');
	assert.equal(trend.label, NOT_ENOUGH_DATA);
	assert.equal(trend.secondsToHeapLimit, null);
	// many samples but only 4 s of them
	const dense = series(40, sec => 40 * MB + sec * MB).map((s, i) => ({...s, t: i * 100}));
	assert.equal(classifyTrend(dense, limits).shape, 'unknown');
	assert.equal(classifyTrend([], null).shape, 'unknown');
});

test('a one-off step up in the middle of the window is a plateau, not a leak', () => {
	const samples = series(120, sec => 40 * MB + (sec >= 60 ? 20 * MB : 0), {noise: 128 * 1024});
	assert.equal(classifyTrend(samples, limits).shape, 'plateau');
});

test('flat, then rising steadily in the recent part, is growing', () => {
	const samples = series(150, sec => 40 * MB + Math.max(0, sec - 90) * 100 * 1024, {noise: 64 * 1024});
	assert.equal(classifyTrend(samples, limits).shape, 'growing');
});

test('gaps (NaN samples while the target was paused) are tolerated', () => {
	const samples = series(120, sec => 40 * MB + sec * 50 * 1024);
	for (let i = 30; i < 45; i++) samples[i] = {...samples[i]!, heapUsed: NaN, heapTotal: NaN, rss: NaN};
	samples[80] = {...samples[80]!, t: NaN};
	const trend = classifyTrend(samples, limits);
	assert.equal(trend.shape, 'growing');
	assert.ok(Number.isFinite(trend.heapBytesPerSec) && Number.isFinite(trend.fit));
	assert.ok(trend.rssBytesPerSec !== null && Number.isFinite(trend.rssBytesPerSec));
});

test('only the sliding window counts: old growth followed by a long flat stretch is stable', () => {
	const samples = series(900, sec => 40 * MB + Math.min(sec, 200) * 50 * 1024);
	assert.equal(classifyTrend(samples, limits, {windowMs: 5 * 60_000}).shape, 'stable');
	assert.equal(classifyTrend(samples, limits, {windowMs: 15 * 60_000}).shape, 'plateau');
});

test('the major-GC floor is used when enough major GCs were seen, and it ignores heapUsed noise', () => {
	const samples = series(120, sec => 40 * MB + sec * 50 * 1024, {majorEvery: 10});
	assert.equal(majorGcFloor(samples).length, 11);
	assert.equal(heapFloor(samples).source, 'major-gc');
	assert.equal(classifyTrend(samples, limits).shape, 'growing');
	// a flat floor under a wildly rising heapUsed: the post-GC floor wins
	const wild = samples.map((s, i) => ({...s, heapAfterLastMajorGc: s.heapAfterLastMajorGc === null ? null : 40 * MB + (i % 2) * 1024}));
	assert.equal(classifyTrend(wild, limits).shape, 'stable');
	// too few major GCs: rolling minima of heapUsed instead
	assert.equal(heapFloor(series(120, () => 40 * MB, {majorEvery: 50})).source, 'rolling-min');
});

test('rolling minima pick the troughs of the sawtooth', () => {
	const samples = series(60, () => 40 * MB, {gcEvery: 5, garbage: 10 * MB});
	const floor = rollingMinFloor(samples, 6);
	assert.equal(floor.length, 6);
	for (const p of floor) assert.equal(p.bytes, 40 * MB);
});

test('no RSS readings (not Node) gives a null RSS slope', () => {
	const samples = series(60, () => 40 * MB).map(s => ({...s, rss: null}));
	assert.equal(classifyTrend(samples, limits).rssBytesPerSec, null);
});
