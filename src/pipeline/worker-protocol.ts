/**
 * Messages between the main thread and the snapshot worker. The worker owns the parser and the
 * latest graph; only small plain data (summaries, path DTOs) comes back.
 */
import type {ClassRetainers, PathStep, SnapshotSummary} from '../model/types.js';

export type EngineSummary = Omit<SnapshotSummary, 'seq' | 't' | 'file' | 'captureMs' | 'parseMs'>;

export interface SummaryOptions {
	generationBoundaries: number[];
	/** compute dominators and retained sizes (costs about 2× the parse) */
	retained: boolean;
}

export type Query =
	| {kind: 'classRetainers'; className: string; maxInstances?: number; maxClusters?: number}
	| {kind: 'nodeRetainers'; nodeId: number};

export type QueryResult =
	| {kind: 'classRetainers'; value: ClassRetainers | null}
	| {kind: 'nodeRetainers'; value: PathStep[][]};

export type ToWorker =
	| {type: 'begin'; job: number}
	| {type: 'chunk'; job: number; data: string}
	| {type: 'end'; job: number; options: SummaryOptions}
	| {type: 'abort'; job: number}
	| {type: 'parseFile'; job: number; path: string; options: SummaryOptions}
	| {type: 'query'; id: number; query: Query}
	| {type: 'writeRedacted'; id: number; path: string};

export type FromWorker =
	| {type: 'progress'; job: number; bytes: number; totalBytes: number | null; phase: 'parsing' | 'analysing'}
	| {type: 'summary'; job: number; summary: EngineSummary; parseMs: number; analyseMs: number}
	| {type: 'jobError'; job: number; message: string; format: boolean}
	| {type: 'answer'; id: number; result: QueryResult | {kind: 'done'}}
	| {type: 'answerError'; id: number; message: string};
