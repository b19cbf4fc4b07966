/**
 * The overview: heap used vs total, RSS, and GC pause per interval as charts sized to the terminal,
 * the trend and the countdown to the heap limit, and the top of the "keeps rising" table.
 */
import React, {useMemo} from 'react';
import {Box} from 'ink';
import type {GrowthCandidate, MetricsSample, Trend} from '../../model/types.js';
import {latestSample, selectDisplay, selectedGrowthIndex, visibleGrowthRows, type DisplayData, type HistoryEntry, type MemoryLimit} from '../../session/state.js';
import {downsample, perInterval, plotLines, seriesOf, type ChartRun} from '../chart-data.js';
import {Chart} from '../components/chart.js';
import {GrowthTable} from '../components/growth-table.js';
import {Line, clipSegments, type Segment} from '../components/line.js';
import {formatBytes, formatCount, formatDuration, formatMs, formatRate} from '../format.js';
import {useAppState} from '../use-store.js';
import {useTheme, type Theme} from '../theme.js';

const LABEL_WIDTH = 9;

export interface OverviewLayout {
	heap: number;
	rss: number;
	gc: number;
	/** table lines including its header; 0 = no table */
	table: number;
}

/** Splits `height` lines between three titled charts and the growth table. Pure, for tests. */
export function overviewLayout(height: number, growthRows: number): OverviewLayout {
	const table = growthRows === 0 ? 0 : 1 + Math.min(growthRows, Math.max(2, Math.min(10, Math.floor(height * 0.15))));
	const charts = Math.max(0, height - table - 3); // three title lines
	if (charts < 6) return {heap: Math.max(0, height - table - 1), rss: 0, gc: 0, table};
	const heap = Math.round(charts * 0.45);
	const rss = Math.round(charts * 0.3);
	return {heap, rss, gc: charts - heap - rss, table};
}

interface ChartSet {
	heap: ChartRun[][];
	rss: ChartRun[][];
	gc: ChartRun[][];
}

function buildCharts(history: readonly HistoryEntry[], window: number, points: number, layout: OverviewLayout): ChartSet {
	const shown = history.slice(Math.max(0, history.length - window));
	const fitTo = (values: number[]) => downsample(values, points);
	const heap = layout.heap > 0
		? plotLines([fitTo(seriesOf(shown, s => s.heapTotal)), fitTo(seriesOf(shown, s => s.heapUsed))], {height: layout.heap, labelWidth: LABEL_WIDTH, format: formatBytes})
		: [];
	const rss = layout.rss > 0
		? plotLines([fitTo(seriesOf(shown, s => s.rss))], {height: layout.rss, labelWidth: LABEL_WIDTH, format: formatBytes})
		: [];
	const gc = layout.gc > 0
		? plotLines([fitTo(perInterval(shown, s => s.gcPauseMs))], {height: layout.gc, labelWidth: LABEL_WIDTH, format: formatMs, floor: 0})
		: [];
	return {heap, rss, gc};
}

function heapTitle(display: DisplayData, latest: MetricsSample | null, theme: Theme): Segment[] {
	const segments: Segment[] = [{text: 'Heap ', bold: true}];
	if (!latest) return [...segments, {text: 'waiting for the first sample'}];
	segments.push(
		{text: 'used ', color: theme.heapUsed},
		{text: formatBytes(latest.heapUsed), bold: true},
		{text: '  total ', color: theme.heapTotal},
		{text: formatBytes(latest.heapTotal)},
	);
	// most important first: a narrow terminal cuts the end of the line
	const trend = display.trend;
	if (trend) {
		const color = trend.shape === 'growing' ? theme.bad : trend.shape === 'plateau' ? theme.warn : trend.shape === 'stable' ? theme.good : theme.muted;
		segments.push({text: ' │ '}, {text: trend.label || `${trend.shape} ${formatRate(trend.heapBytesPerSec)}`, color, bold: trend.shape === 'growing'});
		if (trend.shape === 'growing' && trend.secondsToHeapLimit !== null) {
			segments.push({text: ` │ limit in ~${formatDuration(trend.secondsToHeapLimit * 1000)}`, color: theme.bad});
		}
		// how well a straight line explains the floor: a countdown from a poor fit is a rough guess
		if (trend.shape === 'growing' || trend.shape === 'plateau') segments.push({text: ` · fit ${trend.fit.toFixed(2)}`, color: theme.muted});
	}
	if (latest.heapAfterLastMajorGc !== null) segments.push({text: ` · after GC ${formatBytes(latest.heapAfterLastMajorGc)}`});
	if (display.heapLimits) segments.push({text: ` · limit ${formatBytes(display.heapLimits.heapSizeLimit)}`});
	return segments;
}

function rssTitle(latest: MetricsSample | null, display: DisplayData, memoryLimit: MemoryLimit | null, theme: Theme): Segment[] {
	const segments: Segment[] = [{text: 'RSS ', bold: true, color: theme.rss}];
	if (!latest) return segments;
	if (latest.rss === null) return [...segments, {text: 'n/a (the target does not report it)'}];
	segments.push({text: formatBytes(latest.rss), bold: true});
	segments.push({text: `  outside JS heap ${formatBytes(latest.rss - latest.heapTotal)}`});
	if (latest.external !== null) segments.push({text: `  external ${formatBytes(latest.external)}`});
	if (latest.arrayBuffers !== null) segments.push({text: `  buffers ${formatBytes(latest.arrayBuffers)}`});
	// a rate from the first few samples is start-up noise (RSS jumps while the app warms up): show it
	// only once the trend has enough data to be judged at all
	if (display.trend?.rssBytesPerSec != null && display.trend.shape !== 'unknown') segments.push({text: `  │ ${formatRate(display.trend.rssBytesPerSec)}`});
	const toCgroup = secondsToMemoryLimit(memoryLimit, display.trend);
	if (toCgroup !== null) segments.push({text: ` │ cgroup limit ${formatBytes(memoryLimit!.limit)} in ~${formatDuration(toCgroup * 1000)}`, color: theme.bad});
	else if (memoryLimit) segments.push({text: `  cgroup ${formatBytes(memoryLimit.usage)} of ${formatBytes(memoryLimit.limit)}`});
	return segments;
}

/**
 * Seconds until the target's cgroup runs out of memory at the current RSS slope, or null when it is
 * not growing (or there is no limit). The whole cgroup's usage counts: other processes in it share the limit.
 */
export function secondsToMemoryLimit(memoryLimit: MemoryLimit | null, trend: Trend | null): number | null {
	if (!memoryLimit || !trend || trend.shape !== 'growing' || trend.rssBytesPerSec === null || !(trend.rssBytesPerSec > 0)) return null;
	return Math.max(0, (memoryLimit.limit - memoryLimit.usage) / trend.rssBytesPerSec);
}

function gcTitle(history: readonly HistoryEntry[], latest: MetricsSample | null, theme: Theme): Segment[] {
	const segments: Segment[] = [{text: 'GC pause per interval ', bold: true, color: theme.gc}];
	if (!latest) return segments;
	const prev = history.length >= 2 ? history[history.length - 2]! : null;
	if (prev && !('gap' in prev) && history[history.length - 1] === latest) {
		segments.push({text: ` last ${latest.gcCount - prev.gcCount} GCs ${formatMs(latest.gcPauseMs - prev.gcPauseMs)}`});
	}
	segments.push({text: `  │ total ${formatCount(latest.gcCount)} (${formatCount(latest.gcMinor)} minor, ${formatCount(latest.gcMajor)} major) ${formatMs(latest.gcPauseMs)}`});
	return segments;
}

export function OverviewScreen({width, height}: {width: number; height: number}): React.JSX.Element {
	const state = useAppState();
	const theme = useTheme();
	const display = selectDisplay(state);
	const rows: GrowthCandidate[] = useMemo(() => visibleGrowthRows(display.growth, state.growthTable), [display.growth, state.growthTable]);
	const layout = overviewLayout(height, rows.length);
	const points = Math.max(2, width - LABEL_WIDTH - 1);
	const {history, seriesVersion} = display;
	// recomputed once per sample (seriesVersion) or on resize/zoom, never per frame
	const charts = useMemo(
		() => buildCharts(history, state.chartWindow, points, layout),
		// eslint-disable-next-line react-hooks/exhaustive-deps
		[seriesVersion, history, state.chartWindow, points, layout.heap, layout.rss, layout.gc],
	);
	const latest = latestSample(history);
	const windowText = `last ${formatDuration(windowSpanMs(history, state.chartWindow))}`;
	const topSuspect = rows.length === 0 ? null : display.growth.reduce((a, b) => (b.score > a.score ? b : a)).name;
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<Line segments={clipSegments([...heapTitle(display, latest, theme), {text: `  (${windowText})`, color: theme.muted}], width)} />
			<Chart lines={charts.heap} colors={[theme.heapTotal, theme.heapUsed]} height={layout.heap} />
			{layout.rss > 0 && <Line segments={clipSegments(rssTitle(latest, display, state.memoryLimit, theme), width)} />}
			{layout.rss > 0 && <Chart lines={charts.rss} colors={[theme.rss]} height={layout.rss} />}
			{layout.gc > 0 && <Line segments={clipSegments(gcTitle(history, latest, theme), width)} />}
			{layout.gc > 0 && <Chart lines={charts.gc} colors={[theme.gc]} height={layout.gc} />}
			{layout.table > 0 && (
				<GrowthTable
					rows={rows}
					selectedIndex={selectedGrowthIndex(rows, state.growthTable)}
					width={width}
					height={layout.table}
					snapshotCount={display.snapshots.length}
					topSuspect={topSuspect}
					showSelection
				/>
			)}
		</Box>
	);
}

function windowSpanMs(history: readonly HistoryEntry[], window: number): number {
	if (history.length < 2) return 0;
	const first = history[Math.max(0, history.length - window)]!;
	return history[history.length - 1]!.t - first.t;
}
