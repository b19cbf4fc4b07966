/**
 * The "map" half of growth analysis (memlab's map-then-reduce): a window of snapshot summaries becomes
 * one small series per class. Only names and numbers cross over; no summary is kept.
 */
import type {SnapshotSummary} from '../model/types.js';
import {risingConsistency, theilSenSlope} from './stats.js';

export interface ClassSeries {
	name: string;
	/** x positions of the snapshots: ms since attach when every snapshot has it, else their order */
	xs: number[];
	/** count per snapshot, oldest first (0 where absent) */
	counts: number[];
	/** self bytes per snapshot */
	sizes: number[];
	/** the bytes series growth is judged on: retained sizes when every snapshot has them, else self */
	bytes: number[];
	bytesKind: 'retained' | 'self';
	/** the latest snapshot's retained size for the class, when computed */
	retainedSize: number | null;
	/**
	 * Live instances in the latest snapshot per *intermediate* generation of the window (born between
	 * two earlier snapshots of the window), oldest first; null when id history is missing (first
	 * snapshot of an id epoch, files from different processes, …).
	 */
	generations: number[] | null;
}

/** Everything the rules and the score look at, computed once per class. */
export interface GrowthStats {
	snapshots: number;
	deltaCount: number;
	deltaBytes: number;
	/** Theil–Sen slopes per unit of x */
	countSlope: number;
	bytesSlope: number;
	/** Kendall-style consistency of the rise, −1…1 */
	countConsistency: number;
	bytesConsistency: number;
	/** sum of `generations` (0 when unknown) */
	survivors: number;
}

export function seriesStats(s: ClassSeries): GrowthStats {
	const last = s.counts.length - 1;
	return {
		snapshots: s.counts.length,
		deltaCount: s.counts[last]! - s.counts[0]!,
		deltaBytes: s.bytes[last]! - s.bytes[0]!,
		countSlope: theilSenSlope(s.xs, s.counts),
		bytesSlope: theilSenSlope(s.xs, s.bytes),
		countConsistency: risingConsistency(s.counts),
		bytesConsistency: risingConsistency(s.bytes),
		survivors: s.generations ? s.generations.reduce((a, b) => a + b, 0) : 0,
	};
}

/**
 * Which generations of the latest snapshot were born *between* two snapshots of this window.
 * countsByGeneration[g] counts ids in (boundaries[g-1], boundaries[g]]; the last entry is "born since
 * the previous snapshot" and entry 0 "born before any snapshot" — neither says anything about
 * survival across the window, so both are left out.
 */
export function intermediateGenerationRange(latest: SnapshotSummary, windowSize: number): [number, number] | null {
	const generations = latest.generationBoundaries.length + 1;
	const first = Math.max(1, generations - windowSize + 1);
	const last = generations - 2;
	return last >= first ? [first, last] : null;
}

export function buildClassSeries(window: readonly SnapshotSummary[]): ClassSeries[] {
	if (window.length === 0) return [];
	const latest = window[window.length - 1]!;
	const useTime = window.every(s => s.t !== null && Number.isFinite(s.t));
	const xs = window.map((s, i) => (useTime ? (s.t as number) : i));
	const genRange = intermediateGenerationRange(latest, window.length);

	const byName = new Map<string, ClassSeries>();
	const retainedKnown = new Map<string, boolean>();
	window.forEach((summary, i) => {
		for (const c of summary.classes) {
			let s = byName.get(c.name);
			if (!s) {
				s = {
					name: c.name, xs, counts: new Array(window.length).fill(0), sizes: new Array(window.length).fill(0),
					bytes: new Array(window.length).fill(0), bytesKind: 'self', retainedSize: null, generations: null,
				};
				byName.set(c.name, s);
				retainedKnown.set(c.name, true);
			}
			s.counts[i] = c.count;
			s.sizes[i] = c.selfSize;
			s.bytes[i] = c.retainedSize ?? 0;
			if (c.retainedSize === null) retainedKnown.set(c.name, false);
		}
	});
	for (const c of latest.classes) {
		const s = byName.get(c.name)!;
		s.retainedSize = c.retainedSize;
		if (genRange) s.generations = genRange[0] <= genRange[1] ? padGenerations(c.countsByGeneration, genRange) : null;
	}
	for (const s of byName.values()) {
		if (retainedKnown.get(s.name)) s.bytesKind = 'retained';
		else s.bytes = [...s.sizes];
		// a class missing from the latest snapshot has no survivors; say so rather than "unknown"
		if (genRange && s.generations === null) s.generations = new Array(genRange[1] - genRange[0] + 1).fill(0);
	}
	return [...byName.values()];
}

function padGenerations(counts: readonly number[], [first, last]: [number, number]): number[] {
	const out: number[] = [];
	for (let g = first; g <= last; g++) out.push(counts[g] ?? 0);
	return out;
}
