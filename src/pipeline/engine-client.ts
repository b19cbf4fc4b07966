/**
 * Main-thread side of the snapshot engine: starts the worker, streams chunks to it, and turns its
 * replies into promises. The main thread never parses, so the UI stays responsive while a
 * multi-gigabyte snapshot is read. A crashed worker fails what was pending and is restarted on the
 * next request.
 */
import {Worker} from 'node:worker_threads';
import type {ClassRetainers, PathStep} from '../model/types.js';
import type {EngineSummary, FromWorker, Query, QueryResult, SummaryOptions, ToWorker} from './worker-protocol.js';

export interface JobResult {
	summary: EngineSummary;
	parseMs: number;
	analyseMs: number;
}

export interface JobProgress {
	bytes: number;
	totalBytes: number | null;
	phase: 'parsing' | 'analysing';
}

export class EngineError extends Error {
	override name = 'EngineError';
	constructor(message: string, readonly format: boolean) {
		super(message);
	}
}

interface PendingJob {
	resolve: (r: JobResult) => void;
	reject: (e: Error) => void;
	onProgress?: ((p: JobProgress) => void) | undefined;
}

/** What the client needs of whatever runs the engine: a worker thread, or the engine in this thread. */
interface EnginePort {
	postMessage(message: ToWorker): void;
	ref(): void;
	unref(): void;
	terminate(): Promise<unknown>;
}

/**
 * How to start the worker: the compiled worker.js next to this file; this very file when bundled
 * (it contains the worker too); or, when running from TypeScript sources (tests, development), a
 * small bootstrap that registers tsx inside the worker first, since loader flags don't reach workers.
 */
function startWorker(): Worker {
	const workerData = {heaptopEngine: true};
	const self = import.meta.url;
	if ((globalThis as {__HEAPTOP_BUNDLE__?: boolean}).__HEAPTOP_BUNDLE__ === true) return new Worker(new URL(self), {workerData});
	if (!self.endsWith('.ts')) return new Worker(new URL('./worker.js', self), {workerData});
	const tsx = import.meta.resolve('tsx/esm/api');
	const entry = new URL('./worker.ts', self).href;
	const bootstrap = `import(${JSON.stringify(tsx)}).then(m => { m.register(); return import(${JSON.stringify(entry)}); });`;
	return new Worker(bootstrap, {eval: true, workerData});
}

/**
 * The engine on the calling thread, behind the same messages. For `heaptop analyze`, whose main
 * thread has nothing else to do: no second thread to start, no second copy of the engine's modules
 * (measured: a worker costs ~25 MiB and a few hundred ms of start-up). Messages are delivered on
 * later turns of the event loop, as from a worker, so callers see the same ordering.
 */
function inProcessPort(EngineHost: typeof import('./engine-host.js').EngineHost, onMessage: (message: FromWorker) => void): EnginePort {
	let stopped = false;
	const host = new EngineHost(message => setImmediate(() => {
		if (!stopped) onMessage(message);
	}));
	return {
		postMessage: message => setImmediate(() => {
			if (!stopped) host.handle(message);
		}),
		ref: () => {},
		unref: () => {},
		terminate: async () => {
			stopped = true;
		},
	};
}

export class EngineClient {
	/** A client whose engine runs on this thread (see inProcessPort). */
	static async inProcess(): Promise<EngineClient> {
		const {EngineHost} = await import('./engine-host.js');
		return new EngineClient(onMessage => inProcessPort(EngineHost, onMessage));
	}

	/** the engine: a worker thread, or this thread (inProcess) */
	private port: EnginePort | null = null;
	private nextId = 1;
	private readonly jobs = new Map<number, PendingJob>();
	private readonly queries = new Map<number, {resolve: (r: QueryResult | {kind: 'done'}) => void; reject: (e: Error) => void}>();
	private closed = false;

	/** @param startPort overrides the default engine worker thread (see EngineClient.inProcess) */
	constructor(private readonly startPort?: (onMessage: (message: FromWorker) => void) => EnginePort) {}

	private ensurePort(): EnginePort {
		if (this.closed) throw new EngineError('the snapshot engine was shut down', false);
		if (this.port) return this.port;
		if (this.startPort) return (this.port = this.startPort(message => this.onMessage(message)));
		const worker = startWorker();
		// An idle worker must not keep heaptop alive; a busy one must (see updateRef).
		worker.unref();
		worker.on('message', (message: FromWorker) => this.onMessage(message));
		worker.on('error', error => this.failAll(new EngineError(`the snapshot engine crashed: ${error.message}`, false)));
		worker.on('exit', code => {
			if (this.port === worker) this.port = null;
			if (!this.closed) this.failAll(new EngineError(`the snapshot engine stopped (exit code ${code})`, false));
		});
		this.port = worker;
		return worker;
	}

	private send(message: ToWorker): void {
		this.ensurePort().postMessage(message);
		this.updateRef();
	}

	/** Keeps the process alive exactly while some job or query waits for the worker. */
	private updateRef(): void {
		if (!this.port) return;
		if (this.jobs.size + this.queries.size > 0) this.port.ref();
		else this.port.unref();
	}

	/** Starts a streamed job; feed it with chunk() and finish with end(). */
	begin(onProgress?: (p: JobProgress) => void): {job: number; done: Promise<JobResult>} {
		const job = this.nextId++;
		const done = new Promise<JobResult>((resolve, reject) => this.jobs.set(job, {resolve, reject, onProgress}));
		this.send({type: 'begin', job});
		return {job, done};
	}

	chunk(job: number, data: string): void {
		if (this.jobs.has(job)) this.send({type: 'chunk', job, data});
	}

	end(job: number, options: SummaryOptions): void {
		if (this.jobs.has(job)) this.send({type: 'end', job, options});
	}

	abort(job: number, reason: Error): void {
		const pending = this.jobs.get(job);
		if (!pending) return;
		this.jobs.delete(job);
		if (this.port) this.port.postMessage({type: 'abort', job} satisfies ToWorker);
		this.updateRef();
		pending.reject(reason);
	}

	async parseFile(path: string, options: SummaryOptions, onProgress?: (p: JobProgress) => void): Promise<JobResult> {
		const job = this.nextId++;
		const done = new Promise<JobResult>((resolve, reject) => this.jobs.set(job, {resolve, reject, onProgress}));
		this.send({type: 'parseFile', job, path, options});
		return done;
	}

	async classRetainers(className: string, options: {maxInstances?: number; maxClusters?: number} = {}): Promise<ClassRetainers | null> {
		const result = await this.query({kind: 'classRetainers', className, ...options});
		return result.kind === 'classRetainers' ? result.value : null;
	}

	async nodeRetainers(nodeId: number): Promise<PathStep[][]> {
		const result = await this.query({kind: 'nodeRetainers', nodeId});
		return result.kind === 'nodeRetainers' ? result.value : [];
	}

	/** Writes the latest snapshot again with every string value replaced (graph shape kept). */
	async writeRedacted(path: string): Promise<void> {
		const id = this.nextId++;
		await new Promise<QueryResult | {kind: 'done'}>((resolve, reject) => {
			this.queries.set(id, {resolve, reject});
			this.send({type: 'writeRedacted', id, path});
		});
	}

	private query(query: Query): Promise<QueryResult | {kind: 'done'}> {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.queries.set(id, {resolve, reject});
			this.send({type: 'query', id, query});
		});
	}

	private onMessage(message: FromWorker): void {
		this.dispatchMessage(message);
		this.updateRef();
	}

	private dispatchMessage(message: FromWorker): void {
		switch (message.type) {
			case 'progress':
				this.jobs.get(message.job)?.onProgress?.({bytes: message.bytes, totalBytes: message.totalBytes, phase: message.phase});
				return;
			case 'summary': {
				const pending = this.jobs.get(message.job);
				this.jobs.delete(message.job);
				pending?.resolve({summary: message.summary, parseMs: message.parseMs, analyseMs: message.analyseMs});
				return;
			}
			case 'jobError': {
				const pending = this.jobs.get(message.job);
				this.jobs.delete(message.job);
				pending?.reject(new EngineError(message.message, message.format));
				return;
			}
			case 'answer':
				this.queries.get(message.id)?.resolve(message.result);
				this.queries.delete(message.id);
				return;
			case 'answerError':
				this.queries.get(message.id)?.reject(new EngineError(message.message, false));
				this.queries.delete(message.id);
		}
	}

	private failAll(error: Error): void {
		for (const pending of this.jobs.values()) pending.reject(error);
		for (const pending of this.queries.values()) pending.reject(error);
		this.jobs.clear();
		this.queries.clear();
	}

	async close(): Promise<void> {
		this.closed = true;
		const port = this.port;
		this.port = null;
		this.failAll(new EngineError('the snapshot engine was shut down', false));
		if (port) await port.terminate();
	}
}
