/**
 * The heap *floor*: what stays in the heap after garbage collection. heapUsed itself is a sawtooth
 * (it climbs between GCs and drops at each one), so fitting a line through it measures the GC rhythm
 * as much as retention. The floor is what a leak raises.
 */
import type {MetricsSample} from '../model/types.js';

export interface FloorPoint {
	/** ms since attach */
	t: number;
	bytes: number;
}

export interface HeapFloor {
	points: FloorPoint[];
	/** 'major-gc': heapUsed right after each observed major GC; 'rolling-min': minimum per time bucket */
	source: 'major-gc' | 'rolling-min';
}

/** Fewer major-GC readings than this and the floor falls back to rolling minima of heapUsed. */
const MIN_MAJOR_GC_POINTS = 6;
/** The major-GC readings must also cover this share of the window, or the recent part is blind. */
const MIN_MAJOR_GC_COVERAGE = 0.6;

function isFiniteNumber(x: number | null | undefined): x is number {
	return typeof x === 'number' && Number.isFinite(x);
}

/** One point per major GC: the heap right after it, at the first sample that saw that GC. */
export function majorGcFloor(samples: readonly MetricsSample[]): FloorPoint[] {
	const points: FloorPoint[] = [];
	let lastMajor: number | null = null;
	for (const s of samples) {
		if (!isFiniteNumber(s.gcMajor) || !isFiniteNumber(s.t)) continue;
		if (lastMajor !== null && s.gcMajor > lastMajor && isFiniteNumber(s.heapAfterLastMajorGc)) {
			points.push({t: s.t, bytes: s.heapAfterLastMajorGc});
		}
		lastMajor = s.gcMajor;
	}
	return points;
}

/**
 * Minimum heapUsed per time bucket. A bucket must span at least one GC cycle so that its minimum is a
 * post-GC value, otherwise the minima trace the sawtooth itself (a long GC cycle looks like growth).
 * So the bucket width is the larger of span/count and the GC cycle seen in the data. Each point keeps
 * the minimum's own time, which is where the trough really was.
 */
export function rollingMinFloor(samples: readonly MetricsSample[], bucketCount?: number): FloorPoint[] {
	const valid = samples.filter(s => isFiniteNumber(s.t) && isFiniteNumber(s.heapUsed));
	if (valid.length === 0) return [];
	const t0 = valid[0]!.t;
	const span = valid[valid.length - 1]!.t - t0;
	if (span <= 0) return [{t: t0, bytes: Math.min(...valid.map(s => s.heapUsed))}];
	const wanted = Math.max(1, bucketCount ?? Math.min(24, Math.max(4, Math.floor(valid.length / 3))));
	const cycle = bucketCount === undefined ? gcCycleMs(valid) : 0;
	const buckets = Math.max(1, Math.min(wanted, Math.floor(span / Math.max(cycle, 1e-9))));
	const mins: Array<FloorPoint | undefined> = new Array(buckets);
	for (const s of valid) {
		const b = Math.min(buckets - 1, Math.floor(((s.t - t0) / span) * buckets));
		const cur = mins[b];
		if (!cur || s.heapUsed < cur.bytes) mins[b] = {t: s.t, bytes: s.heapUsed};
	}
	return mins.filter((p): p is FloorPoint => p !== undefined);
}

/** A drop must be at least this big, and at least this share of the heap's spread, to be a GC. */
const MIN_GC_DROP_BYTES = 256 * 1024;
const MIN_GC_DROP_SHARE = 0.25;

/**
 * The typical time between clear heapUsed drops (GCs that freed a visible share), or 0 when fewer than
 * two were seen. Noise smaller than a quarter of the heap's spread does not count as a drop.
 */
export function gcCycleMs(samples: readonly MetricsSample[]): number {
	const used = samples.map(s => s.heapUsed).sort((a, b) => a - b);
	if (used.length < 3) return 0;
	const spread = used[Math.floor(used.length * 0.95)]! - used[Math.floor(used.length * 0.05)]!;
	const threshold = Math.max(MIN_GC_DROP_BYTES, MIN_GC_DROP_SHARE * spread);
	const dropTimes: number[] = [];
	for (let i = 1; i < samples.length; i++) {
		if (samples[i - 1]!.heapUsed - samples[i]!.heapUsed >= threshold) dropTimes.push(samples[i]!.t);
	}
	if (dropTimes.length < 2) return 0;
	const gaps = dropTimes.slice(1).map((t, i) => t - dropTimes[i]!).sort((a, b) => a - b);
	return gaps[gaps.length >> 1]!;
}

/** The best floor available for these samples (already cut to the analysis window). */
export function heapFloor(samples: readonly MetricsSample[]): HeapFloor {
	const major = majorGcFloor(samples);
	const times = samples.filter(s => isFiniteNumber(s.t) && isFiniteNumber(s.heapUsed)).map(s => s.t);
	const span = times.length > 1 ? times[times.length - 1]! - times[0]! : 0;
	const covered = major.length > 1 ? major[major.length - 1]!.t - major[0]!.t : 0;
	if (major.length >= MIN_MAJOR_GC_POINTS && span > 0 && covered >= MIN_MAJOR_GC_COVERAGE * span) {
		return {points: major, source: 'major-gc'};
	}
	return {points: rollingMinFloor(samples), source: 'rolling-min'};
}
