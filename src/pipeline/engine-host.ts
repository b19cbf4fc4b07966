/**
 * The snapshot engine's message handler, independent of how it is hosted: the worker thread calls it
 * for each message, and tests can drive it directly. Holds at most one parse in flight and the latest
 * analysed graph (for drill-down queries); the previous graph is dropped as soon as a new one is ready
 * (a file job drops it before it parses).
 */
import {SnapshotParser} from '../snapshot/stream-parser.js';
import {startShallowSizesJob} from '../snapshot/edge-section-worker.js';
import {parseSnapshotFile} from '../snapshot/read-file.js';
import {SnapshotFormatError} from '../snapshot/errors.js';
import {analyzeGraph, type SnapshotAnalysis} from '../snapshot/analysis.js';
import type {HeapGraph} from '../snapshot/graph.js';
import type {FromWorker, QueryResult, SummaryOptions, ToWorker} from './worker-protocol.js';
import {writeSnapshotFile} from '../snapshot/write-snapshot.js';
import {messageOf} from '../errors.js';

const PROGRESS_EVERY_BYTES = 8 * 1024 * 1024;

export class EngineHost {
	private parsing: {job: number; parser: SnapshotParser; started: number; lastProgress: number} | null = null;
	private latest: {graph: HeapGraph; analysis: SnapshotAnalysis} | null = null;

	constructor(private readonly post: (message: FromWorker) => void) {}

	handle(message: ToWorker): void {
		switch (message.type) {
			case 'begin':
				this.parsing = {job: message.job, parser: new SnapshotParser(), started: performance.now(), lastProgress: 0};
				return;
			case 'chunk':
				this.onChunk(message.job, message.data);
				return;
			case 'end':
				this.onEnd(message.job, message.options);
				return;
			case 'abort':
				if (this.parsing?.job === message.job) this.parsing = null;
				return;
			case 'parseFile':
				this.onParseFile(message.job, message.path, message.options);
				return;
			case 'query':
				this.onQuery(message.id, message.query);
				return;
			case 'writeRedacted':
				this.onWriteRedacted(message.id, message.path);
				return;
		}
	}

	private onChunk(job: number, data: string): void {
		const p = this.parsing;
		if (!p || p.job !== job) return;
		try {
			p.parser.write(data);
		} catch (error) {
			this.parsing = null;
			this.fail(job, error);
			return;
		}
		const bytes = p.parser.bytesRead;
		if (bytes - p.lastProgress >= PROGRESS_EVERY_BYTES) {
			p.lastProgress = bytes;
			this.post({type: 'progress', job, bytes, totalBytes: null, phase: 'parsing'});
		}
	}

	private onEnd(job: number, options: SummaryOptions): void {
		const p = this.parsing;
		if (!p || p.job !== job) return;
		this.parsing = null;
		let graph: HeapGraph;
		try {
			graph = p.parser.end();
		} catch (error) {
			this.fail(job, error);
			return;
		}
		this.finish(job, graph, performance.now() - p.started, options);
	}

	private onParseFile(job: number, path: string, options: SummaryOptions): void {
		// Nothing can ask about the previous graph while this runs (it is synchronous), and this file's
		// graph replaces it: let it go first, so that `analyze a b c` never holds two graphs at once.
		this.latest = null;
		const started = performance.now();
		let lastProgress = 0;
		let graph: HeapGraph;
		try {
			graph = parseSnapshotFile(path, {
				onProgress: (bytes, totalBytes) => {
					if (bytes - lastProgress < PROGRESS_EVERY_BYTES && bytes !== totalBytes) return;
					lastProgress = bytes;
					this.post({type: 'progress', job, bytes, totalBytes, phase: 'parsing'});
				},
			});
		} catch (error) {
			this.fail(job, error);
			return;
		}
		this.finish(job, graph, performance.now() - started, options);
	}

	private finish(job: number, graph: HeapGraph, parseMs: number, options: SummaryOptions): void {
		// Drop the previous graph before analysing the new one, so two graphs never coexist for long.
		this.latest = null;
		this.post({type: 'progress', job, bytes: 0, totalBytes: null, phase: 'analysing'});
		const started = performance.now();
		try {
			// After a two-thread file parse, its second thread computes the shallow sizes meanwhile.
			const analysis = analyzeGraph(graph, {shallowSizesElsewhere: startShallowSizesJob});
			const summary = analysis.summary(options);
			this.latest = {graph, analysis};
			this.post({type: 'summary', job, summary, parseMs, analyseMs: performance.now() - started});
		} catch (error) {
			this.fail(job, error);
		}
	}

	private onQuery(id: number, query: ToWorker & {type: 'query'} extends {query: infer Q} ? Q : never): void {
		const latest = this.latest;
		if (!latest) {
			this.post({type: 'answerError', id, message: 'no snapshot has been analysed yet'});
			return;
		}
		try {
			let result: QueryResult;
			if (query.kind === 'classRetainers') {
				const value = latest.analysis.classRetainers(query.className, {maxInstances: query.maxInstances, maxClusters: query.maxClusters});
				result = {kind: 'classRetainers', value};
			} else {
				result = {kind: 'nodeRetainers', value: latest.analysis.nodeRetainers(query.nodeId)};
			}
			this.post({type: 'answer', id, result});
		} catch (error) {
			this.post({type: 'answerError', id, message: messageOf(error)});
		}
	}

	private onWriteRedacted(id: number, path: string): void {
		if (!this.latest) {
			this.post({type: 'answerError', id, message: 'no snapshot has been analysed yet'});
			return;
		}
		try {
			writeSnapshotFile(this.latest.graph, path, {redactValues: true});
			this.post({type: 'answer', id, result: {kind: 'done'}});
		} catch (error) {
			this.post({type: 'answerError', id, message: messageOf(error)});
		}
	}

	private fail(job: number, error: unknown): void {
		this.post({type: 'jobError', job, message: messageOf(error), format: error instanceof SnapshotFormatError});
	}
}
