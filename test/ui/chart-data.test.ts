import {test} from 'node:test';
import assert from 'node:assert/strict';
import {downsample, perInterval, plotLines, seriesOf} from '../../src/ui/chart-data.js';
import {formatBytes} from '../../src/ui/format.js';
import type {HistoryEntry} from '../../src/session/state.js';
import {samples} from './fixtures/app-state.js';

test('downsampling keeps short series, and min/max per bucket for long ones', () => {
	assert.deepEqual(downsample([1, 2, 3], 10), [1, 2, 3]);
	const spike = Array.from({length: 100}, (_, i) => (i === 37 ? 1000 : 1));
	const small = downsample(spike, 20);
	assert.equal(small.length, 20);
	assert.equal(Math.max(...small), 1000, 'a one-sample spike survives');
	// order inside a bucket follows time: a falling bucket gives max then min
	assert.deepEqual(downsample([5, 4, 3, 2, 1, 0], 2), [5, 0]);
	assert.deepEqual(downsample([0, 1, 2, 3], 2), [0, 3]);
});

test('a bucket made only of gaps stays a gap', () => {
	const out = downsample([1, 2, NaN, NaN, NaN, NaN, NaN, NaN, 3, 4, 5, 6], 6);
	assert.deepEqual(out.map(v => (Number.isNaN(v) ? 'gap' : v)), [1, 2, 'gap', 'gap', 3, 6]);
	assert.deepEqual(downsample([NaN, NaN, NaN, NaN, 1, 2, 3, 4], 4).map(v => Number.isNaN(v)), [true, true, false, false]);
});

test('series and per-interval differences treat gaps as gaps', () => {
	const s = samples(4);
	const history: HistoryEntry[] = [s[0]!, s[1]!, {gap: true, t: 1500}, s[2]!, s[3]!];
	const heap = seriesOf(history, x => x.heapUsed);
	assert.ok(Number.isNaN(heap[2]!));
	assert.equal(heap[3], s[2]!.heapUsed);
	assert.deepEqual(seriesOf(history, () => null).every(Number.isNaN), true);
	const pauses = perInterval(history, x => x.gcPauseMs);
	assert.ok(Number.isNaN(pauses[0]!), 'no interval before the first sample');
	assert.equal(pauses[1], s[1]!.gcPauseMs - s[0]!.gcPauseMs);
	assert.ok(Number.isNaN(pauses[2]!) && Number.isNaN(pauses[3]!), 'the gap and the interval across it are unknown');
	assert.equal(pauses[4], s[3]!.gcPauseMs - s[2]!.gcPauseMs);
});

test('plotted lines have the requested height and width, labels in bytes, gaps blank', () => {
	const values = Array.from({length: 40}, (_, i) => (10 + i) * 1024 * 1024);
	values[20] = NaN;
	const lines = plotLines([values], {height: 6, labelWidth: 9, format: formatBytes});
	assert.equal(lines.length, 6);
	const text = lines.map(runs => runs.map(r => r.text).join(''));
	for (const line of text) assert.equal(Array.from(line).length, 9 + 40);
	assert.match(text[0]!, /^\s+49\.0 MB┤/);
	assert.match(text[5]!, /^\s+10\.0 MB┼/);
	// columns 9+1+19 and 9+1+20 join points 19–20 and 20–21: both touch the gap
	for (const line of text) {
		assert.equal(line[9 + 1 + 19], ' ');
		assert.equal(line[9 + 1 + 20], ' ');
	}
	const drawnColumns = new Set<number>();
	for (const line of text) for (let c = 10; c < line.length; c++) if (line[c] !== ' ') drawnColumns.add(c);
	assert.equal(drawnColumns.size, 39 - 2, 'every other column has a glyph');
	// glyphs carry their series index, labels and axis none
	assert.ok(lines.every(runs => runs[0]!.series === null));
	assert.ok(lines.some(runs => runs.some(r => r.series === 0)));
});

test('two series keep their own glyphs; flat and empty data do not break the plot', () => {
	const a = [1, 2, 3, 4, 5];
	const b = [5, 5, 5, 5, 5];
	const lines = plotLines([a, b], {height: 5, labelWidth: 6, format: v => v.toFixed(0)});
	assert.ok(lines.some(runs => runs.some(r => r.series === 1 && r.text.includes('─'))));
	assert.equal(plotLines([[7, 7, 7]], {height: 3, labelWidth: 6, format: v => v.toFixed(1)}).length, 3);
	assert.deepEqual(plotLines([[NaN, NaN]], {height: 3, labelWidth: 6, format: String}), []);
	assert.equal(plotLines([[0, 0, 1]], {height: 4, labelWidth: 6, format: String, floor: 0}).length, 4);
});
