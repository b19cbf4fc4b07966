import {test} from 'node:test';
import assert from 'node:assert/strict';
import {MetricsSeries} from '../../src/sampling/series.js';
import type {MetricsSample} from '../../src/model/types.js';

const sample = (t: number, heapUsed = t * 10): MetricsSample => ({
	t,
	heapUsed,
	heapTotal: heapUsed * 2,
	rss: t % 2 === 0 ? heapUsed * 3 : null,
	external: 5,
	arrayBuffers: 1,
	gcCount: t,
	gcPauseMs: t / 2,
	gcMinor: t,
	gcMajor: 0,
	heapAfterLastMajorGc: null,
});

test('keeps the newest rows, oldest first, and never grows', () => {
	const series = new MetricsSeries(4);
	assert.equal(series.length, 0);
	assert.deepEqual([...series.toArray('t')], []);
	for (let t = 1; t <= 3; t++) series.push(sample(t));
	assert.deepEqual([...series.toArray('t')], [1, 2, 3]);
	for (let t = 4; t <= 10; t++) series.push(sample(t));
	assert.equal(series.length, 4);
	assert.deepEqual([...series.toArray('t')], [7, 8, 9, 10]);
	assert.deepEqual([...series.toArray('heapUsed')], [70, 80, 90, 100]);
	assert.deepEqual([...series.toArray('heapUsed', 2)], [90, 100]);
	assert.deepEqual([...series.toArray('heapUsed', 99)], [70, 80, 90, 100]);
	assert.deepEqual([...series.toArray('heapUsed', 0)], []);
	assert.equal(series.get('t', 0), 7);
	assert.throws(() => series.get('t', 4), RangeError);
});

test('gaps and nulls are NaN', () => {
	const series = new MetricsSeries(8);
	series.push(sample(1));
	series.pushGap(2);
	series.push(sample(4));
	assert.deepEqual([...series.toArray('t')], [1, 2, 4]);
	const heap = series.toArray('heapUsed');
	assert.equal(heap[0], 10);
	assert.ok(Number.isNaN(heap[1]!));
	assert.equal(series.isGap(1), true);
	assert.equal(series.isGap(2), false);
	const rss = series.toArray('rss');
	assert.ok(Number.isNaN(rss[0]!), 'null rss of t=1');
	assert.equal(rss[2], 120);
});

test('latestSample skips gaps and restores nulls', () => {
	const series = new MetricsSeries(3);
	assert.equal(series.latestSample(), null);
	series.push(sample(1));
	series.pushGap(2);
	assert.deepEqual(series.latestSample(), sample(1));
	series.push(sample(4));
	assert.deepEqual(series.latestSample(), sample(4));
});

test('version changes on every write', () => {
	const series = new MetricsSeries(2);
	const seen = new Set([series.version]);
	series.push(sample(1));
	seen.add(series.version);
	series.pushGap(2);
	seen.add(series.version);
	series.push(sample(3)); // overwrites
	seen.add(series.version);
	series.clear();
	seen.add(series.version);
	assert.equal(seen.size, 5);
	assert.equal(series.length, 0);
});

test('rejects a bad capacity', () => {
	assert.throws(() => new MetricsSeries(0), RangeError);
	assert.throws(() => new MetricsSeries(2.5), RangeError);
});
