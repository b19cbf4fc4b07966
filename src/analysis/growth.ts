/**
 * Which classes keep growing across snapshots, and is that a leak?
 *
 * Map-then-reduce: each snapshot is already a small summary; the last `window` of them become one
 * series per class (class-series.ts), each series runs through the ordered rules in rules/ (first
 * decision wins), and the classes judged `leak` are ranked by a score that weighs how consistently
 * they rose, how many generations survive, and how much they grew in objects and bytes.
 */
import type {GrowthCandidate, SnapshotSummary, Verdict} from '../model/types.js';
import {buildClassSeries, seriesStats, type ClassSeries} from './class-series.js';
import {GENERIC_CLASS_WEIGHT, isGenericClass} from './class-kinds.js';
import {formatCount, formatSignedBytes} from './format.js';
import {applyRules, GROWTH_RULES} from './rules/index.js';
import {churnRule} from './rules/churn.rule.js';
import {plateauRule} from './rules/plateau.rule.js';
import {DEFAULT_THRESHOLDS, growthDriver, survivingGenerations, type GrowthRule, type GrowthThresholds, type RuleInput} from './rules/rule.js';

export interface GrowthOptions {
	/** how many of the most recent snapshots to judge (default 8) */
	window?: number;
	thresholds?: Partial<GrowthThresholds>;
	/** at most this many candidates (default 50) */
	limit?: number;
}

export interface GrowthResult {
	candidates: GrowthCandidate[];
	verdict: Verdict;
	reason: string;
}

/** Three snapshots are the fewest that can show a trend and a generation that survived. */
export const MIN_SNAPSHOTS_FOR_VERDICT = 3;
const DEFAULT_WINDOW = 8;
const DEFAULT_LIMIT = 50;
/** With two snapshots only: the shape and survival rules cannot judge yet. */
const TENTATIVE_RULES: readonly GrowthRule[] = GROWTH_RULES.filter(r => r !== plateauRule && r !== churnRule);

export function rankGrowth(summaries: SnapshotSummary[], options: GrowthOptions = {}): GrowthResult {
	const thresholds = {...DEFAULT_THRESHOLDS, ...options.thresholds};
	const n = summaries.length;
	const needMore = `need at least ${MIN_SNAPSHOTS_FOR_VERDICT} snapshots to tell a leak from churn, have ${n}`;
	if (n < 2) return {candidates: [], verdict: 'inconclusive', reason: needMore};

	const window = summaries.slice(-Math.max(2, options.window ?? DEFAULT_WINDOW));
	const tentative = window.length < MIN_SNAPSHOTS_FOR_VERDICT;
	const rules = tentative ? TENTATIVE_RULES : GROWTH_RULES;
	const candidates: GrowthCandidate[] = [];
	const levelled: Array<{name: string; deltaBytes: number}> = [];
	for (const series of buildClassSeries(window)) {
		const input: RuleInput = {series, stats: seriesStats(series), thresholds};
		const outcome = applyRules(input, rules);
		if (outcome.decision === 'leak') candidates.push(toCandidate(input, tentative));
		else if (outcome.ruleId === 'plateau') levelled.push({name: series.name, deltaBytes: input.stats.deltaBytes});
	}
	candidates.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
	const limited = candidates.slice(0, options.limit ?? DEFAULT_LIMIT);

	if (tentative) return {candidates: limited, verdict: 'inconclusive', reason: needMore};
	if (limited.length > 0) {
		const top = limited[0]!;
		const more = limited.length > 1 ? ` (and ${limited.length - 1} more class${limited.length > 2 ? 'es' : ''})` : '';
		return {candidates: limited, verdict: 'leak', reason: `${top.name}: ${top.reason}${more}`};
	}
	levelled.sort((a, b) => b.deltaBytes - a.deltaBytes);
	const cache = levelled[0] ? `; ${levelled[0].name} rose, then levelled off (a cache filling up?)` : '';
	return {candidates: [], verdict: 'no-leak', reason: `no class keeps growing over the last ${window.length} snapshots${cache}`};
}

function toCandidate(input: RuleInput, tentative: boolean): GrowthCandidate {
	const {series, stats} = input;
	return {
		name: series.name,
		counts: [...series.counts],
		sizes: [...series.sizes],
		retainedSize: series.retainedSize,
		survivors: stats.survivors,
		deltaCount: stats.deltaCount,
		score: growthScore(input),
		reason: growthReason(input) + (tentative ? '; one more snapshot will confirm or clear it' : ''),
	};
}

/**
 * Higher = more suspicious. Magnitude is logarithmic in both objects and bytes (so neither a flood of
 * tiny objects nor one big array wins outright), scaled by how consistently it rose and by the share
 * of generations that survive (0.6 when unknown; not counted when old objects grow in bytes), and
 * discounted for generic classes (class-kinds.ts).
 */
export function growthScore(input: RuleInput): number {
	const {stats} = input;
	const driver = growthDriver(input) ?? 'count';
	const consistency = Math.max(0, driver === 'count' ? stats.countConsistency : stats.bytesConsistency);
	const gens = survivingGenerations(input);
	const survival = heldByExistingObjects(input) ? 1 : gens ? gens.surviving / gens.total : 0.6;
	const magnitude = Math.log10(1 + Math.max(0, stats.deltaCount)) + Math.log10(1 + Math.max(0, stats.deltaBytes) / 1024);
	const specificity = isGenericClass(input.series.name) ? GENERIC_CLASS_WEIGHT : 1;
	return Math.round(consistency * (0.5 + 0.5 * survival) * magnitude * specificity * 100) / 100;
}

/** "+4,000 in 4 snapshots, every generation survives" — a few words a person can check. */
export function growthReason(input: RuleInput): string {
	const {series, stats} = input;
	const n = stats.snapshots;
	const driver = growthDriver(input) ?? 'count';
	const head = driver === 'count'
		? `+${formatCount(stats.deltaCount)} in ${n} snapshots`
		: `${formatSignedBytes(stats.deltaBytes)} ${series.bytesKind} in ${n} snapshots (count ${stats.deltaCount >= 0 ? '+' : ''}${formatCount(stats.deltaCount)})`;
	return `${head}, ${survivalPhrase(input, series)}`;
}

/** Bytes-driven growth with (almost) no new objects: existing objects grow; generations say nothing. */
function heldByExistingObjects(input: RuleInput): boolean {
	return growthDriver(input) === 'bytes' && (input.stats.deltaCount <= 0 || survivingGenerations(input)?.surviving === 0);
}

function survivalPhrase(input: RuleInput, series: ClassSeries): string {
	if (heldByExistingObjects(input)) return 'existing objects hold more and more';
	const gens = survivingGenerations(input);
	if (gens) {
		if (gens.surviving === gens.total) return gens.total === 1 ? 'the previous generation survives' : 'every generation survives';
		return `${gens.surviving} of ${gens.total} generations survive`;
	}
	const values = growthDriver(input) === 'bytes' ? series.bytes : series.counts;
	const rises = values.slice(1).filter((v, i) => v > values[i]!).length;
	return rises === values.length - 1 ? 'rising every time' : `rising in ${rises} of ${values.length - 1} steps`;
}
