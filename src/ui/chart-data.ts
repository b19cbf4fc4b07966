/**
 * Pure chart preparation: history → numeric series (NaN = gap) → downsampled to the chart width →
 * asciichart lines split into coloured runs. asciichart draws one column per value and knows nothing of
 * gaps, so gaps are filled for plotting and their columns blanked afterwards.
 */
import asciichart from 'asciichart';
import type {MetricsSample} from '../model/types.js';
import {isGap, type HistoryEntry} from '../session/state.js';
import {fit} from './format.js';

/** One value per history entry; NaN for gaps and for samples where `pick` has no value. */
export function seriesOf(history: readonly HistoryEntry[], pick: (sample: MetricsSample) => number | null): number[] {
	return history.map(entry => {
		if (isGap(entry)) return Number.NaN;
		const value = pick(entry);
		return value === null ? Number.NaN : value;
	});
}

/**
 * Per-interval difference of a cumulative counter (GC count, GC pause ms). The first entry and the
 * entry after a gap are NaN: the interval they close is unknown or spans the gap.
 */
export function perInterval(history: readonly HistoryEntry[], pick: (sample: MetricsSample) => number): number[] {
	const out = new Array<number>(history.length);
	for (let i = 0; i < history.length; i++) {
		const entry = history[i]!;
		const prev = i > 0 ? history[i - 1]! : null;
		out[i] = isGap(entry) || prev === null || isGap(prev) ? Number.NaN : Math.max(0, pick(entry) - pick(prev));
	}
	return out;
}

/**
 * Fits `values` into at most `width` points. Longer series are cut into width/2 buckets, each giving its
 * min and max in time order, so a spike between two columns still shows. A bucket with no finite value
 * stays a gap.
 */
export function downsample(values: readonly number[], width: number): number[] {
	if (width <= 0) return [];
	if (values.length <= width) return values.slice();
	const buckets = Math.max(1, Math.floor(width / 2));
	const out: number[] = [];
	for (let b = 0; b < buckets; b++) {
		const from = Math.floor((b * values.length) / buckets);
		const to = Math.floor(((b + 1) * values.length) / buckets);
		let min = Number.POSITIVE_INFINITY;
		let max = Number.NEGATIVE_INFINITY;
		let minAt = 0;
		let maxAt = 0;
		for (let i = from; i < to; i++) {
			const v = values[i]!;
			if (!Number.isFinite(v)) continue;
			if (v < min) { min = v; minAt = i; }
			if (v > max) { max = v; maxAt = i; }
		}
		if (min === Number.POSITIVE_INFINITY) out.push(Number.NaN, Number.NaN);
		else if (minAt <= maxAt) out.push(min, max);
		else out.push(max, min);
	}
	return out;
}

export interface ChartRun {
	text: string;
	/** index of the series these glyphs belong to, null for labels, axis and blanks */
	series: number | null;
}

export interface ChartOptions {
	/** lines of output */
	height: number;
	/** characters of the y-axis label column */
	labelWidth: number;
	format: (value: number) => string;
	/** lower bound for the y axis (e.g. 0 for counts); the data minimum otherwise */
	floor?: number;
}

// asciichart wraps each glyph in colour + glyph + reset; private control characters stand in for the
// colours so each glyph's series can be read back, and the real colours are applied by Ink.
const MARKERS = ['\u0001', '\u0002', '\u0003', '\u0004'];
const RESET = asciichart.reset;

/**
 * Plots up to four equally long series (NaN = gap) as lines of coloured runs. Each line is
 * labelWidth + length characters wide (labels, the axis, then one column per value after the first).
 * Returns [] when there is no finite value.
 */
export function plotLines(series: readonly (readonly number[])[], options: ChartOptions): ChartRun[][] {
	let min = Number.POSITIVE_INFINITY;
	let max = Number.NEGATIVE_INFINITY;
	for (const values of series) {
		for (const v of values) {
			if (!Number.isFinite(v)) continue;
			min = Math.min(min, v);
			max = Math.max(max, v);
		}
	}
	if (min === Number.POSITIVE_INFINITY || options.height < 1) return [];
	if (options.floor !== undefined) min = Math.min(min, options.floor);
	if (max === min) max = min + Math.max(1, Math.abs(min) * 0.01);

	const filled = series.map(fillGaps);
	const text = asciichart.plot(filled, {
		height: Math.max(1, options.height - 1),
		min,
		max,
		offset: 2,
		colors: MARKERS.slice(0, series.length),
		format: value => fit(options.format(value), options.labelWidth, 'right'),
	});
	const lines = text.split('\n').slice(0, options.height);
	return lines.map(line => toRuns(blankGaps(parseCells(line), series, options.labelWidth)));
}

/** Gaps take the nearest earlier finite value (or the first one), so asciichart can draw. */
function fillGaps(values: readonly number[]): number[] {
	const firstFinite = values.find(v => Number.isFinite(v)) ?? 0;
	let last = firstFinite;
	return values.map(v => (Number.isFinite(v) ? (last = v) : last));
}

interface Cell {
	ch: string;
	series: number | null;
}

function parseCells(line: string): Cell[] {
	const cells: Cell[] = [];
	for (let i = 0; i < line.length; i++) {
		const marker = MARKERS.indexOf(line[i]!);
		if (marker >= 0) {
			cells.push({ch: line[i + 1]!, series: marker});
			i += 1 + RESET.length;
			continue;
		}
		cells.push({ch: line[i]!, series: null});
	}
	cells.pop(); // asciichart leaves one unused column after the last point
	return cells;
}

/** The glyph of series j in column labelWidth+1+x joins points x and x+1: blank it if either is a gap. */
function blankGaps(cells: Cell[], series: readonly (readonly number[])[], labelWidth: number): Cell[] {
	for (let col = labelWidth + 1; col < cells.length; col++) {
		const cell = cells[col]!;
		if (cell.series === null) continue;
		const values = series[cell.series]!;
		const x = col - labelWidth - 1;
		if (!Number.isFinite(values[x]!) || !Number.isFinite(values[x + 1] ?? values[x]!)) {
			cells[col] = {ch: ' ', series: null};
		}
	}
	return cells;
}

function toRuns(cells: Cell[]): ChartRun[] {
	const runs: ChartRun[] = [];
	for (const cell of cells) {
		const last = runs[runs.length - 1];
		if (last && last.series === cell.series) last.text += cell.ch;
		else runs.push({text: cell.ch, series: cell.series});
	}
	return runs;
}
