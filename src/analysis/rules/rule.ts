/**
 * A growth rule decides one thing about one class, memlab style: `leak`, `not-leak`, or `undefined`
 * (no opinion: ask the next rule). Rules run in the order of rules/index.ts; the first decision wins.
 * Each rule lives in its own file so it can be read and tested alone.
 */
import type {ClassSeries, GrowthStats} from '../class-series.js';

export type RuleDecision = 'leak' | 'not-leak' | undefined;

export interface GrowthThresholds {
	/** net count growth over the window below this (and bytes below minBytes) is too small to matter */
	minCount: number;
	minBytes: number;
	/** V8-internal noise classes are only considered past this byte growth */
	hugeBytes: number;
	/** a class "rises" when its Kendall consistency reaches this (1 = every later value is higher) */
	minConsistency: number;
	/** …and this when there is no id history to show which generations survive */
	minConsistencyWithoutGenerations: number;
	/** the last steps must rise at least this share of the robust slope, else it levelled off */
	minRecentShare: number;
	/** at least this share of intermediate generations must still have live objects */
	minSurvivingShare: number;
	/** a generation "survives" when it keeps this share of the per-snapshot growth (and ≥ 1 object) */
	survivorShareOfStep: number;
}

export const DEFAULT_THRESHOLDS: GrowthThresholds = {
	minCount: 20,
	minBytes: 256 * 1024,
	hugeBytes: 32 * 1024 * 1024,
	minConsistency: 0.5,
	minConsistencyWithoutGenerations: 0.7,
	minRecentShare: 0.25,
	minSurvivingShare: 0.5,
	survivorShareOfStep: 0.1,
};

export interface RuleInput {
	series: ClassSeries;
	stats: GrowthStats;
	thresholds: GrowthThresholds;
}

export interface GrowthRule {
	/** short id, used in notes and tests */
	id: string;
	decide(input: RuleInput): RuleDecision;
}

/** What carries the growth: the number of objects, or their bytes (few objects that get bigger). */
export type GrowthDriver = 'count' | 'bytes';

export function growthDriver({stats, thresholds, series}: RuleInput): GrowthDriver | null {
	const need = series.generations ? thresholds.minConsistency : thresholds.minConsistencyWithoutGenerations;
	if (stats.deltaCount >= thresholds.minCount && stats.countSlope > 0 && stats.countConsistency >= need) return 'count';
	if (stats.deltaBytes >= thresholds.minBytes && stats.bytesSlope > 0 && stats.bytesConsistency >= need) return 'bytes';
	return null;
}

/** Generations (of the window) whose objects are still alive in meaningful numbers. */
export function survivingGenerations({series, stats, thresholds}: RuleInput): {surviving: number; total: number} | null {
	if (!series.generations || series.generations.length === 0) return null;
	const perStep = Math.max(0, stats.deltaCount) / Math.max(1, stats.snapshots - 1);
	const enough = Math.max(1, thresholds.survivorShareOfStep * perStep);
	return {surviving: series.generations.filter(n => n >= enough).length, total: series.generations.length};
}
