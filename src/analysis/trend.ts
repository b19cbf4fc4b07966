/**
 * Live heap trend: is the heap floor growing, has it levelled off, or is it flat?
 *
 * Method: cut the samples to a sliding window, take the heap floor (heap-floor.ts), fit a least-squares
 * line (slope + R²), then compare the recent third of the window with the whole:
 *   growing — the floor rose by a meaningful amount with a good fit, and the recent third still rises
 *             at a fair share of the overall rate (or the recent third alone rises cleanly);
 *   plateau — the floor rose earlier in the window, but the recent third is flat;
 *   stable  — no meaningful rise (noise, flat, or falling);
 *   unknown — too few samples or too short a window to say anything.
 */
import type {HeapLimits, MetricsSample, Trend} from '../model/types.js';
import {formatRatePerMinute} from './format.js';
import {heapFloor, type FloorPoint} from './heap-floor.js';
import {linearFit, median} from './stats.js';

export interface TrendOptions {
	/** only the most recent `windowMs` of samples are considered (default 10 min) */
	windowMs?: number;
	/** fewer valid samples than this → unknown (default 8) */
	minSamples?: number;
	/** a shorter window than this → unknown (default 10 s) */
	minSpanMs?: number;
}

const DEFAULT_WINDOW_MS = 10 * 60_000;
const DEFAULT_MIN_SAMPLES = 8;
const DEFAULT_MIN_SPAN_MS = 10_000;
/** Fewer floor readings (GC cycles) than this and a chance line through noise is too likely. */
const MIN_FLOOR_POINTS = 6;
/** A rise smaller than this is never "growth" (GC and JIT jitter is hundreds of KB)… */
const MIN_RISE_BYTES = 512 * 1024;
/** …nor smaller than this share of the floor's level. */
const MIN_RISE_SHARE = 0.02;
/** The line must explain at least this much of the floor's variance to call it growth. */
const MIN_FIT = 0.6;
/** "Still rising": the recent third's slope is at least this share of the whole window's slope. */
const STILL_RISING_SHARE = 0.35;
/** A clean rise confined to the recent third (flat, then rising) also counts as growing. */
const RECENT_ONLY_FIT = 0.8;
/** …and it needs this many floor points in the recent third, or noise can fake a clean line. */
const RECENT_ONLY_POINTS = 6;

/** A rise (or a level change between the first and last third) must stand this many noise spreads clear. */
const STEP_OVER_NOISE = 3;

/** A drop only counts as "freed by a major GC" this many noise spreads deep (noise must not bend the floor). */
const FREED_DROP_OVER_NOISE = 5;

export const NOT_ENOUGH_DATA = 'not enough data yet';

interface Fit {slopePerSec: number; r2: number; riseBytes: number}

function fitPoints(points: readonly FloorPoint[]): Fit {
	if (points.length < 2) return {slopePerSec: 0, r2: 0, riseBytes: 0};
	const fit = linearFit(points.map(p => p.t / 1000), points.map(p => p.bytes));
	const spanSec = (points[points.length - 1]!.t - points[0]!.t) / 1000;
	return {slopePerSec: fit.slope, r2: fit.r2, riseBytes: fit.slope * spanSec};
}

function rssSlope(samples: readonly MetricsSample[]): number | null {
	const valid = samples.filter(s => s.rss !== null && Number.isFinite(s.rss) && Number.isFinite(s.t));
	if (valid.length < 2) return null;
	return linearFit(valid.map(s => s.t / 1000), valid.map(s => s.rss as number)).slope;
}

/**
 * The samples of the last `windowMs`, gaps dropped. Walks back from the end: sessions keep up to
 * 100k samples and this runs on every tick.
 */
function windowed(samples: readonly MetricsSample[], windowMs: number): MetricsSample[] {
	const out: MetricsSample[] = [];
	let end: number | null = null;
	for (let i = samples.length - 1; i >= 0; i--) {
		const s = samples[i]!;
		if (!Number.isFinite(s.t) || !Number.isFinite(s.heapUsed)) continue;
		if (end === null) end = s.t;
		else if (s.t < end - windowMs) break;
		out.push(s);
	}
	return out.reverse();
}

export function classifyTrend(samples: MetricsSample[], limits: HeapLimits | null, options: TrendOptions = {}): Trend {
	const win = windowed(samples, options.windowMs ?? DEFAULT_WINDOW_MS);
	const rssBytesPerSec = rssSlope(win);
	const spanMs = win.length > 1 ? win[win.length - 1]!.t - win[0]!.t : 0;
	const floor = heapFloor(win);
	// thresholds come from the raw floor; then memory freed later in the window is discounted
	const level = floor.points.length ? median(floor.points.map(p => p.bytes)) : 0;
	const meaningful = Math.max(MIN_RISE_BYTES, MIN_RISE_SHARE * level);
	const clearRise = Math.max(meaningful, STEP_OVER_NOISE * pointNoise(floor.points));
	const pts = discountLaterFreed(floor.points, Math.max(clearRise, FREED_DROP_OVER_NOISE * pointNoise(floor.points)));
	const whole = fitPoints(pts);
	const unknown: Trend = {
		shape: 'unknown', heapBytesPerSec: whole.slopePerSec, rssBytesPerSec, fit: whole.r2,
		secondsToHeapLimit: null, label: NOT_ENOUGH_DATA,
	};
	if (win.length < (options.minSamples ?? DEFAULT_MIN_SAMPLES) || spanMs < (options.minSpanMs ?? DEFAULT_MIN_SPAN_MS) || pts.length < MIN_FLOOR_POINTS) {
		return unknown;
	}

	const end = pts[pts.length - 1]!.t;
	const start = pts[0]!.t;
	const third = (end - start) / 3;
	const recentPts = pickAtLeast(pts.filter(p => p.t >= end - third), pts, 3, 'last');
	const firstPts = pickAtLeast(pts.filter(p => p.t <= start + third), pts, 3, 'first');
	const recent = fitPoints(recentPts);

	const rose = whole.slopePerSec > 0 && whole.riseBytes >= clearRise && whole.r2 >= MIN_FIT;
	const stillRising = recent.slopePerSec > 0 && recent.slopePerSec >= STILL_RISING_SHARE * whole.slopePerSec;
	const risingOnlyRecently = recentPts.length >= RECENT_ONLY_POINTS && recent.riseBytes >= clearRise && recent.r2 >= RECENT_ONLY_FIT;
	const recentLevel = median(recentPts.map(p => p.bytes));
	const firstLevel = median(firstPts.map(p => p.bytes));
	const grewEarlier = recentLevel - firstLevel >= clearRise;

	const base = {heapBytesPerSec: whole.slopePerSec, rssBytesPerSec, fit: whole.r2};
	if ((rose && stillRising) || risingOnlyRecently) {
		const slope = rose ? whole.slopePerSec : recent.slopePerSec;
		const floorNow = pts[pts.length - 1]!.bytes;
		const secondsToHeapLimit = limits && limits.heapSizeLimit > 0 && slope > 0
			? Math.max(0, (limits.heapSizeLimit - floorNow) / slope)
			: null;
		return {...base, heapBytesPerSec: slope, shape: 'growing', secondsToHeapLimit, label: `growing ${formatRatePerMinute(slope)}`};
	}
	if (rose || grewEarlier) {
		return {...base, shape: 'plateau', secondsToHeapLimit: null, label: 'plateau'};
	}
	return {...base, shape: 'stable', secondsToHeapLimit: null, label: 'stable'};
}

/**
 * Point-to-point noise of the floor, as a standard deviation estimated from the median absolute first
 * difference: a slow trend or a single step barely moves it, unlike the spread around a level.
 */
function pointNoise(points: readonly FloorPoint[]): number {
	const diffs = points.slice(1).map((p, i) => Math.abs(p.bytes - points[i]!.bytes));
	return diffs.length ? median(diffs) / 0.954 : 0;
}

/**
 * Memory freed later was not leaked. Without major-GC readings the floor between two major GCs
 * includes old-generation garbage, which climbs like a leak and then vanishes at the next major GC.
 * So after each clear drop (at least `clearDrop`), every earlier point is capped at the lowest value
 * seen after the drop. Small wiggles do not trigger it: capping on noise would bend a flat series
 * into a rise at its end.
 */
export function discountLaterFreed(points: readonly FloorPoint[], clearDrop: number): FloorPoint[] {
	const out = points.map(p => ({...p}));
	let lowestAfter = Infinity;
	let capFromHere = Infinity;
	for (let i = out.length - 1; i >= 0; i--) {
		const p = out[i]!;
		const original = p.bytes;
		p.bytes = Math.min(p.bytes, capFromHere);
		lowestAfter = Math.min(lowestAfter, original);
		const before = points[i - 1];
		if (before && before.bytes - original >= clearDrop) capFromHere = Math.min(capFromHere, lowestAfter);
	}
	return out;
}

/** The subset, or the first/last `n` points of the whole series when the subset is too thin to fit. */
function pickAtLeast(subset: FloorPoint[], all: readonly FloorPoint[], n: number, side: 'first' | 'last'): FloorPoint[] {
	if (subset.length >= n) return subset;
	return side === 'last' ? all.slice(-n) : all.slice(0, n);
}
