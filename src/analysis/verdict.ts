/**
 * The overall verdict (contract `verdict`) from the two kinds of evidence heaptop has:
 *
 * - snapshots (growth.ts) say *which class* keeps growing, with surviving generations: the stronger
 *   evidence, so a snapshot `leak` is the verdict, full stop;
 * - the live heap trend (trend.ts) only says the heap floor rises, which caches warming up and lazy
 *   initialisation also do for a while.
 *
 * The rule:
 *   1. snapshots say leak                                         → leak
 *   2. snapshots say no-leak:
 *        heap floor still growing strongly (see below)            → inconclusive (growth spread thinly
 *                                                                   over many classes, or too slow per class)
 *        otherwise                                                → no-leak
 *   3. too few snapshots (or none):
 *        heap floor growing strongly for long enough              → leak
 *        growing, but weak fit or short observation               → inconclusive
 *        stable, observed long enough, snapshots off              → no-leak
 *        stable, but snapshots were on and too few came in        → inconclusive (a slow leak of one
 *          class hides in a flat floor; the snapshots that would show it are missing)
 *        plateau                                                  → inconclusive (a cache that filled
 *          and a leak whose floor a late major GC hid look the same from heapUsed alone)
 *        unknown trend / too short                                → inconclusive
 * "Strongly" = trend shape growing with fit ≥ 0.8 over ≥ 45 s of samples; when the observation time is
 * not given, fit ≥ 0.9.
 */
import type {Trend, Verdict} from '../model/types.js';
import {MIN_SNAPSHOTS_FOR_VERDICT} from './growth.js';

export interface VerdictInput {
	/** rankGrowth's verdict over the snapshots taken */
	growth: Verdict;
	/** the live heap trend, or null when no metrics were sampled (analyze) */
	trend: Trend | null;
	snapshotCount: number;
	/** false when snapshots were turned off (--snapshot-every 0) */
	snapshotsEnabled: boolean;
	/** how long metrics were sampled (ms), when known */
	observedMs?: number;
}

export interface VerdictExplained {
	verdict: Verdict;
	reason: string;
}

const STRONG_FIT = 0.8;
const STRONG_FIT_UNKNOWN_DURATION = 0.9;
const STRONG_MIN_OBSERVED_MS = 45_000;
const SETTLED_MIN_OBSERVED_MS = 20_000;

export function isStrongGrowth(trend: Trend | null, observedMs?: number): boolean {
	if (!trend || trend.shape !== 'growing') return false;
	if (observedMs === undefined) return trend.fit >= STRONG_FIT_UNKNOWN_DURATION;
	return trend.fit >= STRONG_FIT && observedMs >= STRONG_MIN_OBSERVED_MS;
}

export function explainVerdict(input: VerdictInput): VerdictExplained {
	const {growth, trend, snapshotCount, snapshotsEnabled, observedMs} = input;
	const strong = isStrongGrowth(trend, observedMs);
	if (growth === 'leak') return {verdict: 'leak', reason: 'a class keeps growing across snapshots'};
	if (growth === 'no-leak') {
		return strong
			? {verdict: 'inconclusive', reason: `no single class keeps growing, but the heap floor does (${trend!.label})`}
			: {verdict: 'no-leak', reason: 'no class keeps growing across snapshots'};
	}
	const why = !snapshotsEnabled
		? 'snapshots are off'
		: `only ${snapshotCount} snapshot${snapshotCount === 1 ? '' : 's'} (${MIN_SNAPSHOTS_FOR_VERDICT} needed)`;
	if (strong) return {verdict: 'leak', reason: `the heap floor keeps growing (${trend!.label}, fit ${trend!.fit.toFixed(2)}); ${why}, so no class is named`};
	if (!trend || trend.shape === 'unknown') return {verdict: 'inconclusive', reason: `${why} and not enough heap samples`};
	if (trend.shape === 'growing') return {verdict: 'inconclusive', reason: `the heap floor rises (${trend.label}) but not clearly enough yet; ${why}`};
	if (trend.shape === 'plateau') {
		return {verdict: 'inconclusive', reason: `the heap floor rose, then levelled off: a cache filling up or a leak, ${why} to tell`};
	}
	if (observedMs !== undefined && observedMs < SETTLED_MIN_OBSERVED_MS) {
		return {verdict: 'inconclusive', reason: `the heap looks stable but was watched only ${Math.round(observedMs / 1000)} s; ${why}`};
	}
	if (snapshotsEnabled) return {verdict: 'inconclusive', reason: `the heap floor is stable, but ${why}`};
	return {verdict: 'no-leak', reason: `the heap floor is stable; ${why}`};
}

/** The overall verdict only (see explainVerdict for the rule and a reason). */
export function combineVerdict(input: VerdictInput): Verdict {
	return explainVerdict(input).verdict;
}
