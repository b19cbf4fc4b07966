/**
 * The JSON report of contract.md, built from what a session or an analyze run collected.
 * Only names, counts, sizes and locations go in: never a string value from the heap.
 */
import type {AllocationSite, ClassRetainers, GrowthCandidate, MetricsSample, SnapshotSummary, Trend, Verdict} from '../model/types.js';

export interface ReportInput {
	verdict: Verdict;
	/** live runs only */
	samples: MetricsSample[] | null;
	trend: Trend | null;
	snapshots: SnapshotSummary[];
	candidates: GrowthCandidate[];
	retainers: ReadonlyMap<string, ClassRetainers>;
	allocationSites: ReadonlyMap<string, AllocationSite[]>;
	/** why the run ended early / what limited it, if anything */
	notes: string[];
}

export interface JsonReport {
	verdict: Verdict;
	samples?: Array<{t: number; heapUsed: number; heapTotal: number; rss: number | null; gcCount: number; gcPauseMs: number}>;
	trend?: {heapBytesPerSec: number; rssBytesPerSec: number | null; shape: Trend['shape']};
	snapshots: Array<{t: number | null; nodeCount: number; totalSize: number; file: string | null}>;
	classes: Array<{name: string; count: number; selfSize: number; retainedSize: number}>;
	growing: Array<{
		name: string;
		counts: number[];
		sizes: number[];
		retainingPath: Array<{node: string; type: string; edge: string}>;
		hint: string;
		allocationSites: Array<{function: string; url: string; line: number; column: number; liveBytes: number}>;
		// heaptop's additions beyond the contract's fields:
		survivors: number;
		score: number;
		reason: string;
		pathText: string | null;
		advice: string | null;
		retainedSize: number | null;
	}>;
	notes: string[];
}

const TOP_CLASSES = 50;

export function buildJsonReport(input: ReportInput): JsonReport {
	const latest = input.snapshots.at(-1);
	const report: JsonReport = {
		verdict: input.verdict,
		snapshots: input.snapshots.map(s => ({t: s.t, nodeCount: s.nodeCount, totalSize: s.totalSize, file: s.file})),
		classes: latest ? topClasses(latest) : [],
		growing: input.candidates.map(c => {
			const retainers = input.retainers.get(c.name);
			const cluster = retainers?.clusters[0];
			return {
				name: c.name,
				counts: c.counts,
				sizes: c.sizes,
				retainingPath: cluster ? cluster.steps.map(s => ({node: s.node, type: s.type, edge: s.edge})) : [],
				hint: retainers?.hint ?? 'other',
				allocationSites: (input.allocationSites.get(c.name) ?? []).map(a => ({
					function: a.function, url: a.url, line: a.line, column: a.column, liveBytes: a.liveBytes,
				})),
				survivors: c.survivors,
				score: c.score,
				reason: c.reason,
				pathText: cluster?.text ?? null,
				advice: retainers?.advice ?? null,
				retainedSize: c.retainedSize,
			};
		}),
		notes: input.notes,
	};
	if (input.samples) {
		report.samples = input.samples.map(s => ({t: s.t, heapUsed: s.heapUsed, heapTotal: s.heapTotal, rss: s.rss, gcCount: s.gcCount, gcPauseMs: s.gcPauseMs}));
	}
	if (input.trend) {
		report.trend = {heapBytesPerSec: input.trend.heapBytesPerSec, rssBytesPerSec: input.trend.rssBytesPerSec, shape: input.trend.shape};
	}
	return report;
}

function topClasses(summary: SnapshotSummary): JsonReport['classes'] {
	return [...summary.classes]
		.sort((a, b) => (b.retainedSize ?? b.selfSize) - (a.retainedSize ?? a.selfSize))
		.slice(0, TOP_CLASSES)
		.map(c => ({name: c.name, count: c.count, selfSize: c.selfSize, retainedSize: c.retainedSize ?? c.selfSize}));
}
