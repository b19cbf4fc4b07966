import {test} from 'node:test';
import assert from 'node:assert/strict';
import {rankGrowth} from '../../src/analysis/growth.js';
import {buildClassSeries, intermediateGenerationRange, seriesStats, type ClassSeries} from '../../src/analysis/class-series.js';
import {applyRules, GROWTH_RULES} from '../../src/analysis/rules/index.js';
import {DEFAULT_THRESHOLDS, type RuleInput} from '../../src/analysis/rules/rule.js';
import {heaptopOwnRule} from '../../src/analysis/rules/heaptop-own.rule.js';
import {v8InternalsRule} from '../../src/analysis/rules/v8-internals.rule.js';
import {minGrowthRule} from '../../src/analysis/rules/min-growth.rule.js';
import {notRisingRule} from '../../src/analysis/rules/not-rising.rule.js';
import {plateauRule} from '../../src/analysis/rules/plateau.rule.js';
import {rootContainersRule} from '../../src/analysis/rules/root-containers.rule.js';
import {churnRule} from '../../src/analysis/rules/churn.rule.js';
import {sustainedGrowthRule} from '../../src/analysis/rules/sustained-growth.rule.js';
import type {ClassSummary, SnapshotSummary} from '../../src/model/types.js';

const MB = 1024 * 1024;

/**
 * A population model: alive(k, g) = objects born in generation g still alive at snapshot k, where
 * g = 0 is "before the first snapshot" and g = j (1…k) is "between snapshots j−1 and j". From it the
 * builder derives what a real summary would hold: counts, sizes and countsByGeneration bucketed by the
 * max ids of the earlier snapshots.
 */
interface ClassModel {
	alive: (k: number, g: number) => number;
	selfPerObject?: number;
	/** retained bytes per object; null = retained sizes not computed */
	retainedPerObject?: number | null;
	/** extra self bytes at snapshot k (one object that grows) */
	extraSelf?: (k: number) => number;
}

function summaries(n: number, models: Record<string, ClassModel>, opts: {withTime?: boolean; resetIdsAt?: number} = {}): SnapshotSummary[] {
	const out: SnapshotSummary[] = [];
	for (let k = 0; k < n; k++) {
		const epochStart = opts.resetIdsAt !== undefined && k >= opts.resetIdsAt ? opts.resetIdsAt : 0;
		const boundaries = out.slice(epochStart).map(s => s.maxNodeId);
		const classes: ClassSummary[] = [];
		for (const [name, m] of Object.entries(models)) {
			const gens: number[] = [];
			for (let g = 0; g <= k; g++) gens.push(Math.max(0, Math.round(m.alive(k, g))));
			const count = gens.reduce((a, b) => a + b, 0);
			if (count === 0 && !m.extraSelf) continue;
			// after an id epoch reset, every object looks "born before the first snapshot of the epoch"
			const byGeneration = epochStart > 0 ? [gens.slice(0, epochStart + 1).reduce((a, b) => a + b, 0), ...gens.slice(epochStart + 1)] : gens;
			const selfSize = count * (m.selfPerObject ?? 64) + (m.extraSelf?.(k) ?? 0);
			const retained = m.retainedPerObject === null ? null : count * (m.retainedPerObject ?? 200) + (m.extraSelf?.(k) ?? 0);
			classes.push({name, count, selfSize, retainedSize: retained, minId: 1, maxId: 1000 * (k + 1), countsByGeneration: byGeneration});
		}
		out.push({
			seq: k, t: opts.withTime === false ? null : k * 10_000, file: null, nodeCount: 1, edgeCount: 1,
			totalSize: classes.reduce((a, c) => a + c.selfSize, 0), maxNodeId: 1000 * (k + 1), generationBoundaries: boundaries,
			classes, captureMs: 10, parseMs: 5,
		});
	}
	return out;
}

/** Deterministic noise. */
function noise(seed: number): (k: number, g: number) => number {
	return (k, g) => {
		const x = Math.sin(seed * 12.9898 + k * 78.233 + g * 37.719) * 43758.5453;
		return x - Math.floor(x);
	};
}

/** 1,000 long-lived objects plus 200 young ones in flight at every snapshot. */
const steady: ClassModel = {alive: (k, g) => (g === 0 ? (k === 0 ? 1200 : 1000) : g === k ? 200 : 0)};
const leak = (perStep: number): ClassModel => ({alive: (_k, g) => (g === 0 ? 100 : perStep)});

test('a monotonic leak is found, with counts, survivors and a reason a person can check', () => {
	const result = rankGrowth(summaries(5, {Session: leak(1000), Steady: steady}));
	assert.equal(result.verdict, 'leak');
	assert.equal(result.candidates.length, 1);
	const c = result.candidates[0]!;
	assert.equal(c.name, 'Session');
	assert.deepEqual(c.counts, [100, 1100, 2100, 3100, 4100]);
	assert.deepEqual(c.sizes, c.counts.map(n => n * 64));
	assert.equal(c.deltaCount, 4000);
	assert.equal(c.survivors, 3000); // generations 1…3 (born between snapshots 0–1, 1–2, 2–3)
	assert.equal(c.retainedSize, 4100 * 200);
	assert.equal(c.reason, '+4,000 in 5 snapshots, every generation survives');
	assert.match(result.reason, /^Session: \+4,000 in 5 snapshots, every generation survives$/);
	assert.ok(c.score > 0);
});

test('steady classes and sawtooth churn are no leak', () => {
	const sawtooth: ClassModel = {alive: (k, g) => (g === k ? 500 + (k % 2) * 3000 : 0)};
	const result = rankGrowth(summaries(6, {Steady: steady, Request: sawtooth}));
	assert.equal(result.verdict, 'no-leak');
	assert.deepEqual(result.candidates, []);
	assert.match(result.reason, /no class keeps growing over the last 6 snapshots/);
});

test('a noisy rising leak is still found', () => {
	const r = noise(7);
	const noisy: ClassModel = {
		// every generation leaks ~800 (±300), and 0–2,500 young objects are in flight at each snapshot
		alive: (k, g) => (g === 0 ? 50 : g === k ? 800 + r(k, g) * 2500 : 500 + r(k, g) * 600),
	};
	const result = rankGrowth(summaries(7, {Order: noisy, Steady: steady}));
	const counts = result.candidates[0]?.counts ?? [];
	// the series really is noisy: not monotonic
	const raw = rankGrowth(summaries(7, {Order: noisy})).candidates[0]!.counts;
	assert.ok(raw.some((v, i) => i > 0 && v < raw[i - 1]!), `expected a dip in ${raw.join(',')}`);
	assert.equal(result.verdict, 'leak', result.reason);
	assert.equal(result.candidates[0]!.name, 'Order', counts.join(','));
});

test('an LRU cache that fills and then stays full is quiet', () => {
	const capacity = 3000, perStep = 1000;
	// born in generation g (1…k): the most recent `capacity` inserts survive
	const lru: ClassModel = {alive: (k, g) => (g === 0 ? 0 : g > k - capacity / perStep ? perStep : 0)};
	const series = summaries(7, {CacheEntry: lru, Steady: steady});
	assert.deepEqual(series.map(s => s.classes.find(c => c.name === 'CacheEntry')?.count ?? 0), [0, 1000, 2000, 3000, 3000, 3000, 3000]);
	const result = rankGrowth(series);
	assert.equal(result.verdict, 'no-leak');
	assert.match(result.reason, /CacheEntry rose, then levelled off \(a cache filling up\?\)/);
	// while it is still filling, it does look like growth: that is the honest answer at that point
	assert.equal(rankGrowth(series.slice(0, 4)).verdict, 'leak');
});

test('a big class with heavy churn and rising load but no survivors is not a leak', () => {
	// more requests in flight each time (load ramps up), but every one of them is young
	const inflight: ClassModel = {alive: (k, g) => (g === k ? 10_000 * (k + 1) : g > 0 ? 3 : 0), selfPerObject: 400};
	const result = rankGrowth(summaries(5, {IncomingMessage: inflight}));
	assert.deepEqual(result.candidates.map(c => c.name), []);
	assert.equal(result.verdict, 'no-leak');
	const series = buildClassSeries(summaries(5, {IncomingMessage: inflight}))[0]!;
	assert.equal(applyRules(input(series)).ruleId, 'churn');
});

test('a leak of few but large objects is found on bytes', () => {
	// one 2 MB image kept per snapshot interval: the count grows by 1 each time
	const images: ClassModel = {alive: (_k, g) => (g === 0 ? 0 : 1), selfPerObject: 64, retainedPerObject: 2 * MB};
	const result = rankGrowth(summaries(5, {ImageBitmap: images, Steady: steady}));
	assert.equal(result.verdict, 'leak');
	assert.equal(result.candidates[0]!.name, 'ImageBitmap');
	assert.equal(result.candidates[0]!.reason, '+8.0 MB retained in 5 snapshots (count +4), every generation survives');
});

test('one old array that keeps getting bigger is found on self bytes, and the churn rule does not veto it', () => {
	const grows: ClassModel = {alive: (_k, g) => (g === 0 ? 1 : 0), retainedPerObject: null, extraSelf: k => k * MB};
	const result = rankGrowth(summaries(5, {Array: grows}));
	assert.equal(result.verdict, 'leak');
	assert.equal(result.candidates[0]!.reason, '+4.0 MB self in 5 snapshots (count +0), existing objects hold more and more');
});

test('bytes weigh in the ranking: a smaller count of heavy objects can outrank a larger count of tiny ones', () => {
	const result = rankGrowth(summaries(5, {
		Tiny: {alive: (_k, g) => (g === 0 ? 0 : 30), selfPerObject: 16, retainedPerObject: 16},
		Heavy: {alive: (_k, g) => (g === 0 ? 0 : 25), selfPerObject: 64, retainedPerObject: 256 * 1024},
	}));
	assert.deepEqual(result.candidates.map(c => c.name), ['Heavy', 'Tiny']);
	assert.match(result.reason, /^Heavy: .* \(and 1 more class\)$/);
});

test('fewer than 3 snapshots is inconclusive and says how many are needed', () => {
	const none = rankGrowth([]);
	assert.equal(none.verdict, 'inconclusive');
	assert.match(none.reason, /need at least 3 snapshots .* have 0/);
	const two = rankGrowth(summaries(2, {Session: leak(1000), Steady: steady}));
	assert.equal(two.verdict, 'inconclusive');
	assert.match(two.reason, /need at least 3 snapshots .* have 2/);
	// tentative candidates are still listed, and say so
	assert.deepEqual(two.candidates.map(c => c.name), ['Session']);
	assert.match(two.candidates[0]!.reason, /one more snapshot will confirm or clear it/);
});

test('without id history (an id epoch reset) a clean monotonic rise still counts, a wobbly one does not', () => {
	const series = summaries(5, {Session: leak(1000)}, {resetIdsAt: 4});
	assert.equal(buildClassSeries(series)[0]!.generations, null);
	const result = rankGrowth(series);
	assert.equal(result.verdict, 'leak');
	assert.equal(result.candidates[0]!.reason, '+4,000 in 5 snapshots, rising every time');
	const wobbly: ClassModel = {alive: (k, g) => (g === 0 ? [100, 1100, 900, 2100, 1900][k]! : 0)};
	assert.equal(rankGrowth(summaries(5, {Session: wobbly}, {resetIdsAt: 4})).verdict, 'no-leak');
});

test('V8 internals and heaptop\'s own probe objects are not findings unless huge', () => {
	const result = rankGrowth(summaries(5, {
		'(compiled code)': {alive: (_k, g) => (g === 0 ? 5000 : 400), selfPerObject: 300},
		'(system)': {alive: (_k, g) => (g === 0 ? 5000 : 1000), selfPerObject: 10 * 1024, retainedPerObject: 10 * 1024},
		PerformanceObserver: {alive: (_k, g) => (g === 0 ? 1 : 0), extraSelf: k => k * 100_000},
	}));
	// (system) grew by 40 MB: huge, so it is reported despite being internal
	assert.deepEqual(result.candidates.map(c => c.name), ['(system)']);
});

test('the window only judges the last snapshots, and classes that appear later count from 0', () => {
	const lateLeak: ClassModel = {alive: (k, g) => (g >= 6 ? 500 : 0)};
	const series = summaries(10, {Late: lateLeak, Steady: steady});
	assert.deepEqual(buildClassSeries(series.slice(-5)).find(s => s.name === 'Late')!.counts, [0, 500, 1000, 1500, 2000]);
	const result = rankGrowth(series, {window: 5});
	assert.equal(result.verdict, 'leak');
	assert.equal(result.candidates[0]!.deltaCount, 2000);
	assert.equal(result.candidates[0]!.reason, '+2,000 in 5 snapshots, every generation survives');
});

test('snapshots without times (analyze of files) are spaced by order', () => {
	const result = rankGrowth(summaries(4, {Session: leak(100)}, {withTime: false}));
	assert.equal(result.verdict, 'leak');
	assert.deepEqual(buildClassSeries(summaries(3, {Session: leak(100)}, {withTime: false}))[0]!.xs, [0, 1, 2]);
});

test('intermediate generations are those born between two snapshots of the window', () => {
	const s = summaries(6, {Session: leak(10)});
	assert.deepEqual(intermediateGenerationRange(s[5]!, 6), [1, 4]);
	assert.deepEqual(intermediateGenerationRange(s[5]!, 3), [4, 4]);
	assert.equal(intermediateGenerationRange(s[1]!, 2), null);
});

// ---- each rule alone -------------------------------------------------------------------------------

function series(name: string, counts: number[], extra: Partial<ClassSeries> = {}): ClassSeries {
	return {
		name, xs: counts.map((_, i) => i), counts, sizes: counts.map(c => c * 64), bytes: counts.map(c => c * 64),
		bytesKind: 'self', retainedSize: null, generations: null, ...extra,
	};
}
function input(s: ClassSeries): RuleInput {
	return {series: s, stats: seriesStats(s), thresholds: DEFAULT_THRESHOLDS};
}

test('rule heaptop-own: a handful of observers is heaptop\'s probe, thousands are the app\'s', () => {
	assert.equal(heaptopOwnRule.decide(input(series('PerformanceObserver', [1, 1, 2]))), 'not-leak');
	assert.equal(heaptopOwnRule.decide(input(series('PerformanceObserver', [100, 2000, 4000]))), undefined);
	assert.equal(heaptopOwnRule.decide(input(series('Session', [1, 1, 2]))), undefined);
});

test('rule v8-internals: noise classes pass only when their bytes grow hugely', () => {
	assert.equal(v8InternalsRule.decide(input(series('(concatenated string)', [1000, 5000, 9000]))), 'not-leak');
	assert.equal(v8InternalsRule.decide(input(series('system / Context', [10, 20, 30]))), 'not-leak');
	assert.equal(v8InternalsRule.decide(input(series('(sliced string)', [1, 2, 3], {bytes: [0, 40 * MB, 80 * MB]}))), undefined);
	assert.equal(v8InternalsRule.decide(input(series('(string)', [1000, 5000, 9000]))), undefined);
});

test('rule min-growth: tiny in objects and in bytes', () => {
	assert.equal(minGrowthRule.decide(input(series('A', [100, 105, 110]))), 'not-leak');
	assert.equal(minGrowthRule.decide(input(series('A', [100, 200, 300]))), undefined);
	assert.equal(minGrowthRule.decide(input(series('A', [1, 2, 3], {bytes: [0, MB, 2 * MB]}))), undefined);
});

test('rule not-rising: net growth without a consistent rise', () => {
	assert.equal(notRisingRule.decide(input(series('A', [1000, 5000, 500, 4000, 900, 6000]))), 'not-leak');
	assert.equal(notRisingRule.decide(input(series('A', [1000, 2000, 3000, 4000]))), undefined);
});

test('rule root-containers: roots whose only growth is retained bytes are not findings', () => {
	const retainedOnly = {bytes: [0, 2 * MB, 4 * MB, 6 * MB], bytesKind: 'retained' as const};
	assert.equal(rootContainersRule.decide(input(series('global / ', [1, 1, 1, 1], retainedOnly))), 'not-leak');
	assert.equal(rootContainersRule.decide(input(series('(GC roots)', [1, 1, 1, 1], retainedOnly))), 'not-leak');
	assert.equal(rootContainersRule.decide(input(series('Module', [40, 40, 40, 40], retainedOnly))), 'not-leak');
	// a collection holding the leak is not a root: it stays a finding
	assert.equal(rootContainersRule.decide(input(series('Map', [27, 27, 27, 27], retainedOnly))), undefined);
	// modules that multiply (a dynamic-require leak) are counted like anything else
	assert.equal(rootContainersRule.decide(input(series('Module', [40, 140, 240, 340]))), undefined);
});

test('a cache leak: the cached class ranks first, its Map follows on retained bytes, the global object stays out', () => {
	const result = rankGrowth(summaries(5, {
		CachedSession: {alive: (_k, g) => (g === 0 ? 0 : 2000), selfPerObject: 80, retainedPerObject: 400},
		Map: {alive: (_k, g) => (g === 0 ? 27 : 0), retainedPerObject: null, extraSelf: k => k * 300 * 1024},
		'global / ': {alive: (_k, g) => (g === 0 ? 1 : 0), extraSelf: k => k * 900 * 1024},
	}));
	assert.deepEqual(result.candidates.map(c => c.name), ['CachedSession', 'Map']);
	assert.match(result.candidates[1]!.reason, /existing objects hold more and more$/);
});

test('the app\'s own class outranks the generic strings and arrays it drags along', () => {
	// as in a real cache leak: each CachedSession holds 4 strings and an Array
	const result = rankGrowth(summaries(5, {
		'(string)': {alive: (_k, g) => (g === 0 ? 15_000 : 3200), selfPerObject: 40, retainedPerObject: 40},
		Array: {alive: (_k, g) => (g === 0 ? 1200 : 800), selfPerObject: 32, retainedPerObject: 100},
		CachedSession: {alive: (_k, g) => (g === 0 ? 1100 : 800), selfPerObject: 72, retainedPerObject: 400},
		global: {alive: (_k, g) => (g === 0 ? 2 : 0), extraSelf: k => k * 400 * 1024},
	}));
	assert.deepEqual(result.candidates.map(c => c.name), ['CachedSession', '(string)', 'Array']);
	assert.match(result.reason, /^CachedSession: \+3,200 in 5 snapshots, every generation survives \(and 2 more classes\)$/);
	// alone, a leak of bare strings still leads
	assert.equal(rankGrowth(summaries(5, {'(string)': {alive: (_k, g) => (g === 0 ? 100 : 3200)}})).candidates[0]!.name, '(string)');
});

test('rule plateau: rose, then flat over the last steps', () => {
	assert.equal(plateauRule.decide(input(series('A', [0, 1000, 2000, 3000, 3000, 3010]))), 'not-leak');
	assert.equal(plateauRule.decide(input(series('A', [0, 1000, 1000], {generations: [1000]}))), 'not-leak');
	assert.equal(plateauRule.decide(input(series('A', [0, 1000, 2000, 3000, 4000]))), undefined);
	// a dip and a recovery within the last two steps is not a plateau
	assert.equal(plateauRule.decide(input(series('A', [0, 1000, 2000, 1900, 4000]))), undefined);
});

test('rule churn: growth in objects needs surviving generations', () => {
	const rising = [1000, 2000, 3000, 4000, 5000];
	assert.equal(churnRule.decide(input(series('A', rising, {generations: [0, 2, 0]}))), 'not-leak');
	assert.equal(churnRule.decide(input(series('A', rising, {generations: [1000, 990, 1000]}))), undefined);
	assert.equal(churnRule.decide(input(series('A', rising, {generations: [0, 990, 1000]}))), undefined); // 2 of 3 survive
	assert.equal(churnRule.decide(input(series('A', rising))), undefined); // no id history: no opinion
});

test('rule sustained-growth: the catch-all decides leak only for a consistent rise', () => {
	assert.equal(sustainedGrowthRule.decide(input(series('A', [1000, 2000, 3000]))), 'leak');
	assert.equal(sustainedGrowthRule.decide(input(series('A', [3000, 2000, 1000]))), 'not-leak');
});

test('rules run in order and the first decision wins', () => {
	assert.deepEqual(GROWTH_RULES.map(r => r.id), ['heaptop-own', 'v8-internals', 'min-growth', 'not-rising', 'root-containers', 'plateau', 'churn', 'sustained-growth']);
	// "(system)" rising steadily but modestly: the v8-internals veto comes before the leak rule
	assert.deepEqual(applyRules(input(series('(system)', [1000, 2000, 3000]))), {decision: 'not-leak', ruleId: 'v8-internals'});
	assert.deepEqual(applyRules(input(series('Session', [1000, 2000, 3000]))), {decision: 'leak', ruleId: 'sustained-growth'});
});

test('the app\'s class outranks the Node wrappers and plain-object shapes that rise with it (timer and stream leaks)', () => {
	// a timer leak: every TimerLeakState sits in a Timeout, which retains it (more bytes, same count)
	const timers = rankGrowth(summaries(5, {
		Timeout: {alive: (_k, g) => (g === 0 ? 10 : 1000), selfPerObject: 120, retainedPerObject: 520},
		TimerLeakState: {alive: (_k, g) => (g === 0 ? 0 : 1000), selfPerObject: 48, retainedPerObject: 300},
	}));
	assert.deepEqual(timers.candidates.map(c => c.name), ['TimerLeakState', 'Timeout']);
	// a stream never read: each chunk waits in the writable buffer inside a {chunk, encoding, callback}
	const stream = rankGrowth(summaries(5, {
		'{chunk, encoding, callback}': {alive: (_k, g) => (g === 0 ? 0 : 2000), selfPerObject: 40, retainedPerObject: 400},
		StreamLeakChunk: {alive: (_k, g) => (g === 0 ? 0 : 2000), selfPerObject: 40, retainedPerObject: 360},
	}));
	assert.deepEqual(stream.candidates.map(c => c.name), ['StreamLeakChunk', '{chunk, encoding, callback}']);
	// object literals leaking on their own still lead
	assert.equal(rankGrowth(summaries(5, {'{id, user, ts}': {alive: (_k, g) => (g === 0 ? 0 : 2000)}})).candidates[0]!.name, '{id, user, ts}');
});
