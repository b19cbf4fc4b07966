/**
 * InspectorTarget over chrome-remote-interface: the only module that imports it.
 *
 * Connection life cycle:
 *  - connect → identity (one Runtime.evaluate) → NodeRuntime exit notification → GC probe;
 *  - `NodeRuntime.waitingForDisconnect` (or "Cannot find context with specified id") means the target
 *    wants to exit but cannot while we are attached (cdp-facts §1.5): we detach at once and report
 *    'exited'; a dropped socket is 'exited' when the process is gone, else 'disconnected';
 *  - close() undoes everything we did in the target, then closes the socket, then stops a child we
 *    started. Every step is bounded in time and survives a target that is already gone.
 * We never call Runtime.enable: it would stream every console message of the app to us.
 */
import CDP from 'chrome-remote-interface';
import type {HeapLimits, TargetInfo} from '../model/types.js';
import type {GcTotals, InspectorTarget, RawMetrics, SamplingProfile, SnapshotProgress, SnapshotTaken, TargetEndReason} from './target.js';
import {AttachError, TargetClosedError, TimeoutError, UnsupportedError, errnoCode, formatHostPort} from './errors.js';
import {listInspectorTargets, type InspectorEndpoint} from './discover.js';
import {
	CLOSE_INSPECTOR_SOURCE,
	DEFAULT_WATCHDOG_MS,
	GC_PROBE_REMOVE_SOURCE,
	HEAP_LIMITS_SOURCE,
	IDENTITY_SOURCE,
	METRICS_SOURCE,
	GcTotalsTracker,
	gcProbeInstallSource,
	type GcPoll,
} from './gc-probe.js';
import type {OwnedProcess} from './spawn.js';
import {WorkerTunnel, describeWorker} from './worker-tunnel.js';
import {announceWorkers, attachToWorker, type WorkerChoice} from './workers.js';
import {withTimeout} from './timeout.js';
import {MAX_PROFILE_DEPTH, MAX_PROFILE_NODES, ProtocolDataError, boundedProfile, checkedGcPoll, checkedMetricsRow} from './untrusted.js';

export interface CdpConnectOptions {
	webSocketUrl: string;
	attachedVia: TargetInfo['attachedVia'];
	/** the /json/list entry, for title and url; fetched when absent */
	endpoint?: InspectorEndpoint | null;
	/** refuse (AttachError 'port-taken') when the target's process.pid differs */
	expectedPid?: number;
	/** heaptop opened this inspector (SIGUSR1): close it again in close() */
	closeInspectorOnClose?: boolean;
	/** a process heaptop started: its exit code is the end reason, close() stops it */
	child?: OwnedProcess;
	/** inject the GC probe (default true) */
	gcProbe?: boolean;
	gcWatchdogMs?: number;
	connectTimeoutMs?: number;
	log?: (line: string) => void;
	/** watch this worker thread instead of the main thread (`--worker`) */
	worker?: WorkerChoice;
	/** watching the main thread: say once when the process has worker threads */
	announceWorkers?: boolean;
	/** what the user should see about the threads (shown in the live view); defaults to `log` */
	notice?: (line: string) => void;
}

/**
 * The subset of the CRI client we use; `send` takes any method (NodeRuntime is not in CRI's types).
 * A WorkerTunnel is one too: it speaks to a worker thread through the main thread's connection.
 * 'disconnect' may carry a one-line reason (the tunnel's: which worker ended).
 */
export interface CriClient {
	send(method: string, params?: object): Promise<any>;
	on(event: string, listener: (...args: any[]) => void): unknown;
	removeListener(event: string, listener: (...args: any[]) => void): unknown;
	close(): Promise<void>;
}

const CLEANUP_BUDGET_MS = 2500;
/**
 * Detaching during a heap snapshot first waits this long for it: the target is paused until V8 is done
 * anyway, and every cleanup call queues behind it (a 600 k-object heap takes ~3 s here), so the cleanup
 * budget starts when the snapshot ends. A snapshot still running after that is left to finish without
 * us (its probe then goes with its watchdog).
 */
const SNAPSHOT_WAIT_ON_CLOSE_MS = 120_000;
/** The object group holding the id sentinel: one remote handle of this session, released on detach. */
const SENTINEL_GROUP = 'heaptop-id-sentinel';
const CONTEXT_GONE = /Cannot find context with specified id/i;
const SOCKET_GONE = /WebSocket (connection closed|is not open)/i;

export async function connectCdpTarget(options: CdpConnectOptions): Promise<CdpTarget> {
	const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
	const url = new URL(options.webSocketUrl);
	const host = url.hostname.replace(/^\[|\]$/g, '');
	const port = Number(url.port || 80);
	const address = formatHostPort(host, port);

	let timedOut = false;
	const connecting = (CDP({target: options.webSocketUrl, local: true}) as unknown as Promise<CriClient>).then(
		client => {
			// A late connection after our timeout must not leak.
			if (timedOut) void client.close().catch(() => {});
			return client;
		},
		error => {
			throw connectError(options.webSocketUrl, address, error);
		},
	);
	const client = await withTimeout(connecting, connectTimeoutMs, () => {
		timedOut = true;
		return new AttachError('timeout', `the inspector at ${address} accepted no WebSocket connection within ${connectTimeoutMs} ms — is the target frozen?`);
	});

	let targetClient: CriClient = client;
	let targetOptions = options;
	let tunnel: WorkerTunnel | null = null;
	if (options.worker) {
		try {
			tunnel = await openWorkerTunnel(client, options, options.worker, address);
		} catch (error) {
			await client.close().catch(() => {});
			if (error instanceof TimeoutError) {
				throw new AttachError('timeout', `the target at ${address} did not answer within ${error.timeoutMs} ms — its main thread is busy (a blocking call or a long loop); try again`, {cause: error});
			}
			throw error;
		}
		const {worker} = tunnel;
		targetClient = tunnel;
		// The tunnel closes an inspector heaptop opened, through the main thread: a worker cannot.
		targetOptions = {
			...options,
			closeInspectorOnClose: false,
			endpoint: {id: worker.sessionId, type: 'worker', title: worker.title, url: worker.url, description: 'worker thread', webSocketUrl: options.webSocketUrl},
		};
	}

	const target = new CdpTarget(targetClient, targetOptions, address);
	try {
		await target.initialise(host, port);
	} catch (error) {
		await target.dropConnection();
		if (error instanceof TimeoutError) {
			throw new AttachError('timeout', `the target at ${address} did not answer within ${error.timeoutMs} ms — its main thread is busy (a blocking call or a long loop); try again`, {cause: error});
		}
		if (error instanceof TargetClosedError) {
			throw new AttachError('no-target', `the target at ${address} is exiting (it waits for debuggers to leave) — nothing left to watch`, {cause: error});
		}
		throw error;
	}
	const tell = options.notice ?? options.log;
	if (tunnel) {
		tell?.(`watching worker thread ${describeWorker(tunnel.worker)} of pid ${target.info.pid ?? '?'} (its own heap; RSS is the whole process's)`);
	} else if (options.announceWorkers && target.info.isNode && tell) {
		announceWorkers(client, tell);
	}
	return target;
}

/**
 * --worker: check the process is the one asked for, then attach to the worker and wrap it in a
 * tunnel. (CdpTarget's exit notification then goes to the main thread: see WorkerTunnel.send.)
 */
async function openWorkerTunnel(client: CriClient, options: CdpConnectOptions, choice: WorkerChoice, address: string): Promise<WorkerTunnel> {
	const call = (method: string, params: object, what: string) => withTimeout(client.send(method, params), 5000, () => new TimeoutError(what, 5000));
	if (options.expectedPid !== undefined) {
		// Before touching any of its threads: the inspector on this port may be another process's.
		const reply = await call('Runtime.evaluate', {expression: IDENTITY_SOURCE, returnByValue: true, silent: true}, 'reading the target identity');
		const identity = reply?.result?.value as [number, string, string] | null | undefined;
		const pid = Array.isArray(identity) && typeof identity[0] === 'number' ? identity[0] : null;
		if (pid !== options.expectedPid) throw wrongProcess(address, pid, options.expectedPid);
	}
	let worker;
	try {
		worker = await attachToWorker(client, choice, address);
	} catch (error) {
		// No such worker (a typo): the inspector heaptop opened for it (--pid) is closed again all the same.
		if (options.closeInspectorOnClose) await call('Runtime.evaluate', {expression: CLOSE_INSPECTOR_SOURCE, returnByValue: true, silent: true, includeCommandLineAPI: true}, 'closing the inspector').catch(() => {});
		throw error;
	}
	return new WorkerTunnel(client, worker, {closeInspectorOnClose: options.closeInspectorOnClose, log: options.log});
}

function wrongProcess(address: string, pid: number | null, expectedPid: number): AttachError {
	return new AttachError(
		'port-taken',
		`the inspector on ${address} belongs to ${pid === null ? 'a non-Node target' : `pid ${pid}`}, not pid ${expectedPid} — stop that process or attach to it by port`,
	);
}

export class CdpTarget implements InspectorTarget {
	info!: TargetInfo;
	private readonly endListeners = new Set<(reason: TargetEndReason) => void>();
	private ended: TargetEndReason | null = null;
	private connectionLost = false;
	private lost!: Promise<never>;
	private markLost!: () => void;
	private closePromise: Promise<void> | null = null;
	private inflightMetrics: Promise<RawMetrics> | null = null;
	private gcProbe: 'off' | 'installed' | 'failed' = 'off';
	private readonly gcTotals = new GcTotalsTracker();
	private reinstalling = false;
	private sampling = false;
	private heapProfilerEnabled = false;
	private snapshotting = false;
	/** the takeHeapSnapshot call in flight, settled or not (close() waits for it) */
	private snapshotCall: Promise<unknown> | null = null;
	/**
	 * An empty object this session holds a handle to, and the heap id V8 gave it at the last snapshot
	 * ('0' before the first). If the id is gone before the next snapshot, V8 renumbered (cdp-facts §5).
	 */
	private sentinel: {objectId: string; heapId: string} | null = null;

	constructor(
		private readonly client: CriClient,
		private readonly options: CdpConnectOptions,
		private readonly address: string,
	) {
		this.lost = new Promise<never>((_, reject) => {
			this.markLost = () => {
				this.connectionLost = true;
				reject(new TargetClosedError());
			};
		});
		this.lost.catch(() => {}); // observed by whoever races against it
		client.on('disconnect', (reason?: unknown) => this.onDisconnect(typeof reason === 'string' ? reason : null));
		client.on('NodeRuntime.waitingForDisconnect', () => this.onTargetExiting());
		options.child?.exited.then(status => {
			if (this.closePromise === null) this.emitEnd({kind: 'exited', code: status.code, signal: status.signal});
		});
	}

	/** Identity, exit notification, GC probe. Called once by connectCdpTarget. */
	async initialise(host: string, port: number): Promise<void> {
		const identity = await this.evaluate<[number, string, string] | null>(IDENTITY_SOURCE, 5000, 'reading the target identity');
		const isNode = identity !== null;
		let endpoint = this.options.endpoint ?? null;
		if (endpoint === null) {
			// Attached by ws:// URL: the /json/list entry (title, url) is one cheap HTTP request away.
			const id = new URL(this.options.webSocketUrl).pathname.replace(/^\//, '');
			endpoint = (await listInspectorTargets(host, port, 1000).catch(() => [])).find(e => e.id === id) ?? null;
		}
		const pid = identity ? identity[0] : null;
		if (this.options.expectedPid !== undefined && pid !== this.options.expectedPid) throw wrongProcess(this.address, pid, this.options.expectedPid);
		this.info = {
			pid,
			nodeVersion: identity ? identity[1] : null,
			title: endpoint?.title || (identity ? identity[2].split('/').pop() ?? '' : ''),
			url: endpoint?.url || (identity ? identity[2] : ''),
			webSocketUrl: this.options.webSocketUrl,
			address: this.address,
			attachedVia: this.options.attachedVia,
			isNode,
		};
		if (!isNode) return;
		try {
			await this.send('NodeRuntime.enable', {}, 2000, 'NodeRuntime.enable');
			await this.send('NodeRuntime.notifyWhenWaitingForDisconnect', {enabled: true}, 2000, 'NodeRuntime.notifyWhenWaitingForDisconnect');
		} catch (error) {
			if (error instanceof TargetClosedError) throw error;
			this.options.log?.(`exit notification unavailable (${(error as Error).message}); a target that ends may wait for heaptop to detach`);
		}
		if (this.options.gcProbe !== false) await this.installGcProbe();
	}

	onEnd(listener: (reason: TargetEndReason) => void): () => void {
		if (this.ended) {
			const reason = this.ended;
			queueMicrotask(() => listener(reason));
			return () => {};
		}
		this.endListeners.add(listener);
		return () => this.endListeners.delete(listener);
	}

	readMetrics(timeoutMs: number): Promise<RawMetrics> {
		// A busy target answers nothing until its main thread is free: never pile up requests, let
		// the next caller wait for the one already on its way.
		if (this.inflightMetrics === null) {
			const read = this.fetchMetrics();
			this.inflightMetrics = read;
			void read.then(
				() => (this.inflightMetrics = null),
				() => (this.inflightMetrics = null),
			);
		}
		return withTimeout(this.inflightMetrics, timeoutMs, () => new TimeoutError('reading metrics', timeoutMs));
	}

	async heapLimits(timeoutMs: number): Promise<HeapLimits> {
		if (!this.info.isNode) throw new UnsupportedError('heap limits are only available from Node.js targets');
		const row = await this.evaluate<unknown>(HEAP_LIMITS_SOURCE, timeoutMs, 'reading heap limits', true);
		const valid = Array.isArray(row) && row.length === 4 && row.every(v => typeof v === 'number' && Number.isFinite(v) && v >= 0);
		if (!valid) throw new ProtocolDataError('the target reported heap limits that are not byte counts');
		const [heapSizeLimit, totalAvailableSize, usedHeapSize, totalHeapSize] = row as number[];
		return {heapSizeLimit: heapSizeLimit!, totalAvailableSize: totalAvailableSize!, usedHeapSize: usedHeapSize!, totalHeapSize: totalHeapSize!};
	}

	async takeHeapSnapshot(onChunk: (chunk: string) => void, onProgress?: (p: SnapshotProgress) => void): Promise<SnapshotTaken> {
		this.assertConnected();
		if (this.snapshotting) throw new Error('a heap snapshot is already being taken from this target');
		this.snapshotting = true;
		let idsRenumbered = false;
		try {
			idsRenumbered = await this.idsRenumberedSinceLastSnapshot();
		} catch (error) {
			this.snapshotting = false;
			throw error;
		}
		// A throwing callback must not throw inside CRI's socket handler (that would crash heaptop);
		// keep the first failure and report it when V8 is done.
		let callbackError: unknown = null;
		const chunkListener = ({chunk}: {chunk: unknown}) => {
			if (callbackError !== null) return;
			if (typeof chunk !== 'string') {
				callbackError = new ProtocolDataError('the target sent a heap snapshot chunk that is not text');
				return;
			}
			try {
				onChunk(chunk);
			} catch (error) {
				callbackError = error;
			}
		};
		const progressListener = ({done, total, finished}: {done: number; total: number; finished?: boolean}) => {
			if (callbackError !== null || !onProgress) return;
			try {
				onProgress({done, total, finished: finished === true});
			} catch (error) {
				callbackError = error;
			}
		};
		this.client.on('HeapProfiler.addHeapSnapshotChunk', chunkListener);
		this.client.on('HeapProfiler.reportHeapSnapshotProgress', progressListener);
		try {
			// No timeout: a big heap legitimately takes minutes; a dead target rejects through `lost`.
			const call = this.send('HeapProfiler.takeHeapSnapshot', {reportProgress: onProgress !== undefined}, 0, 'HeapProfiler.takeHeapSnapshot');
			this.snapshotCall = call.catch(() => {});
			await call;
		} finally {
			this.snapshotCall = null;
			this.client.removeListener('HeapProfiler.addHeapSnapshotChunk', chunkListener);
			this.client.removeListener('HeapProfiler.reportHeapSnapshotProgress', progressListener);
			this.snapshotting = false;
		}
		if (callbackError !== null) throw callbackError;
		await this.rememberSentinelId();
		return {idsRenumbered};
	}

	/**
	 * Must run *before* a snapshot: right after a renumbering the sentinel's id reads '0', but the
	 * next snapshot may hand it the very same number again (ids follow heap order), hiding the change.
	 * Best effort: without a sentinel (it could not be made) nothing is reported, and the session
	 * still notices a drop in the largest id.
	 */
	private async idsRenumberedSinceLastSnapshot(): Promise<boolean> {
		if (this.sentinel === null) {
			try {
				const reply = await this.send('Runtime.evaluate', {expression: '({})', objectGroup: SENTINEL_GROUP, silent: true}, 2000, 'creating the id sentinel');
				const objectId = reply?.result?.objectId;
				if (typeof objectId === 'string') this.sentinel = {objectId, heapId: '0'};
			} catch (error) {
				if (error instanceof TargetClosedError) throw error;
				this.options.log?.(`id renumbering cannot be detected (${(error as Error).message})`);
			}
			return false;
		}
		if (this.sentinel.heapId === '0') return false;
		const now = await this.sentinelHeapId();
		return now !== null && now !== this.sentinel.heapId;
	}

	private async rememberSentinelId(): Promise<void> {
		if (this.sentinel === null) return;
		const id = await this.sentinelHeapId();
		if (id !== null) this.sentinel.heapId = id;
	}

	private async sentinelHeapId(): Promise<string | null> {
		try {
			const reply = await this.send('HeapProfiler.getHeapObjectId', {objectId: this.sentinel!.objectId}, 2000, 'HeapProfiler.getHeapObjectId');
			const id = reply?.heapSnapshotObjectId;
			return typeof id === 'string' ? id : null;
		} catch (error) {
			if (error instanceof TargetClosedError) throw error;
			return null;
		}
	}

	async startAllocationSampling(samplingIntervalBytes: number): Promise<void> {
		if (this.sampling) return;
		await this.send('HeapProfiler.startSampling', {samplingInterval: samplingIntervalBytes}, 5000, 'HeapProfiler.startSampling');
		this.sampling = true;
	}

	async getAllocationProfile(): Promise<SamplingProfile> {
		const reply = await this.send('HeapProfiler.getSamplingProfile', {}, 30_000, 'HeapProfiler.getSamplingProfile');
		const {profile, truncated} = boundedProfile(reply?.profile);
		if (truncated) this.options.log?.(`the allocation profile was cut to ${MAX_PROFILE_NODES} nodes / ${MAX_PROFILE_DEPTH} levels`);
		return profile;
	}

	async stopAllocationSampling(): Promise<void> {
		if (!this.sampling) return;
		this.sampling = false;
		await this.send('HeapProfiler.stopSampling', {}, 30_000, 'HeapProfiler.stopSampling');
	}

	close(): Promise<void> {
		this.closePromise ??= this.closeOnce();
		return this.closePromise;
	}

	// ---- internals ----

	private async closeOnce(): Promise<void> {
		this.endListeners.clear();
		if (this.snapshotCall && !this.connectionLost) {
			await withTimeout(this.snapshotCall, SNAPSHOT_WAIT_ON_CLOSE_MS, () => new Error('snapshot still running')).catch(() => {
				this.options.log?.('while detaching, the heap snapshot in progress did not finish in time; cleaning up anyway');
			});
		}
		if (!this.connectionLost) {
			const deadline = Date.now() + CLEANUP_BUDGET_MS;
			const left = () => Math.max(200, deadline - Date.now());
			const step = async (what: string, run: (ms: number) => Promise<unknown>) => {
				if (this.connectionLost) return;
				try {
					await run(left());
				} catch (error) {
					this.options.log?.(`while detaching, ${what} failed: ${(error as Error).message}`);
				}
			};
			if (this.gcProbe === 'installed') await step('removing the GC probe', ms => this.evaluate(GC_PROBE_REMOVE_SOURCE, ms, 'removing the GC probe', true));
			if (this.sentinel) await step('releasing the id sentinel', ms => this.send('Runtime.releaseObjectGroup', {objectGroup: SENTINEL_GROUP}, ms, 'Runtime.releaseObjectGroup'));
			if (this.sampling) await step('stopping allocation sampling', ms => this.send('HeapProfiler.stopSampling', {}, ms, 'HeapProfiler.stopSampling'));
			if (this.heapProfilerEnabled) await step('disabling the heap profiler', ms => this.send('HeapProfiler.disable', {}, ms, 'HeapProfiler.disable'));
			if (this.options.closeInspectorOnClose) await step('closing the inspector', ms => this.evaluate(CLOSE_INSPECTOR_SOURCE, ms, 'closing the inspector', true));
		}
		await this.dropConnection();
		if (this.options.child) await this.options.child.stop();
	}

	/** Closes the socket, bounded: a frozen peer must not hold close() for ws's 30 s close timeout. */
	async dropConnection(): Promise<void> {
		if (this.connectionLost) return;
		this.connectionLost = true;
		this.markLost();
		const closed = this.client.close().catch(() => {});
		const timer = setTimeout(() => (this.client as unknown as {_ws?: {terminate?: () => void}})._ws?.terminate?.(), 1000);
		await closed;
		clearTimeout(timer);
	}

	private onTargetExiting(): void {
		if (this.closePromise !== null || this.ended) return;
		// The target has finished and waits for us to leave before it can exit: leave now.
		void this.dropConnection().then(async () => {
			const status = this.options.child ? await withTimeout(this.options.child.exited, 3000, () => new Error('no exit')).catch(() => null) : null;
			this.emitEnd({kind: 'exited', code: status?.code ?? null, signal: status?.signal ?? null});
		});
	}

	private onDisconnect(reason: string | null): void {
		if (this.connectionLost && this.closePromise !== null) return;
		this.connectionLost = true;
		this.markLost();
		if (this.closePromise !== null) return;
		void (async () => {
			if (this.options.child) {
				const status = await withTimeout(this.options.child.exited, 2000, () => new Error('no exit')).catch(() => null);
				if (status) return this.emitEnd({kind: 'exited', code: status.code, signal: status.signal});
			} else if (this.info?.pid != null && (await processGone(this.info.pid))) {
				return this.emitEnd({kind: 'exited', code: null, signal: null});
			}
			this.emitEnd({kind: 'disconnected', message: reason ?? `the inspector connection to ${this.address} was closed`});
		})();
	}

	private emitEnd(reason: TargetEndReason): void {
		if (this.ended) return;
		this.ended = reason;
		for (const listener of [...this.endListeners]) {
			try {
				listener(reason);
			} catch {
				// a listener's failure is its own business
			}
		}
		this.endListeners.clear();
	}

	private async fetchMetrics(): Promise<RawMetrics> {
		if (this.info.isNode) {
			const row = checkedMetricsRow(await this.evaluate<unknown>(METRICS_SOURCE, 0, 'reading metrics'));
			if (row !== null) {
				const [heapUsed, heapTotal, rss, external, arrayBuffers, poll] = row;
				return {heapUsed, heapTotal, rss, external, arrayBuffers, gc: this.gcFromPoll(checkedGcPoll<GcPoll>(poll))};
			}
		}
		const usage = await this.send('Runtime.getHeapUsage', {}, 0, 'Runtime.getHeapUsage');
		const [heapUsed, heapTotal] = checkedMetricsRow([usage?.usedSize, usage?.totalSize, null, null, null, null])!;
		return {heapUsed, heapTotal, rss: null, external: null, arrayBuffers: null, gc: null};
	}

	private gcFromPoll(poll: GcPoll | null): GcTotals | null {
		if (this.gcProbe !== 'installed') return null;
		const {totals, lost} = this.gcTotals.update(poll);
		if (lost && !this.reinstalling) {
			this.reinstalling = true;
			void this.installGcProbe().finally(() => (this.reinstalling = false));
		}
		return totals;
	}

	private async installGcProbe(): Promise<void> {
		try {
			await this.evaluate(gcProbeInstallSource(this.options.gcWatchdogMs ?? DEFAULT_WATCHDOG_MS), 3000, 'installing the GC probe', true);
			this.gcProbe = 'installed';
		} catch (error) {
			if (error instanceof TargetClosedError) throw error;
			this.gcProbe = 'failed';
			this.options.log?.(`GC probe not installed (${(error as Error).message}); GC counts will be n/a`);
		}
	}

	private assertConnected(): void {
		if (this.connectionLost) throw new TargetClosedError();
	}

	/** Runtime.evaluate by value; a JS exception in the expression becomes an Error. */
	private async evaluate<T>(expression: string, timeoutMs: number, what: string, commandLineApi = false): Promise<T> {
		const reply = await this.send('Runtime.evaluate', {expression, returnByValue: true, silent: true, includeCommandLineAPI: commandLineApi}, timeoutMs, what);
		if (reply.exceptionDetails) {
			const details = reply.exceptionDetails;
			throw new Error(`${what}: ${details.exception?.description?.split('\n')[0] ?? details.text}`);
		}
		return reply.result?.value as T;
	}

	/** One protocol call; connection loss → TargetClosedError, `timeoutMs` (0 = none) → TimeoutError. */
	private async send(method: string, params: object, timeoutMs: number, what: string): Promise<any> {
		this.assertConnected();
		const call = this.client.send(method, params).catch((error: unknown) => {
			const message = (error as Error)?.message ?? String(error);
			if (this.connectionLost || SOCKET_GONE.test(message)) throw new TargetClosedError(undefined, {cause: error});
			if (CONTEXT_GONE.test(message)) {
				// The target is exiting and waits for us to detach (cdp-facts §1.5).
				this.onTargetExiting();
				throw new TargetClosedError('the target is exiting', {cause: error});
			}
			throw error;
		});
		const guarded = Promise.race([call, this.lost]);
		if (timeoutMs <= 0) return guarded;
		return withTimeout(guarded, timeoutMs, () => new TimeoutError(what, timeoutMs));
	}
}

async function processGone(pid: number): Promise<boolean> {
	// The socket drops a moment before the process is reaped.
	for (let i = 0; i < 10; i++) {
		try {
			process.kill(pid, 0);
		} catch (error) {
			if (errnoCode(error) === 'ESRCH') return true;
			return false;
		}
		await new Promise(resolve => setTimeout(resolve, 50));
	}
	return false;
}

function connectError(webSocketUrl: string, address: string, error: unknown): AttachError {
	const code = errnoCode(error);
	const message = (error as Error)?.message ?? String(error);
	if (code === 'ECONNREFUSED') {
		return new AttachError('nothing-listening', `nothing is listening on ${address} — start the app with --inspect, or use --pid PID / -- node app.js`, {cause: error});
	}
	const status = /Unexpected server response: (\d+)/.exec(message);
	if (status) {
		return new AttachError(
			'no-target',
			`${webSocketUrl} is not an open inspector target (HTTP ${status[1]}) — its id changes whenever the inspector reopens; attach by ${address} instead`,
			{cause: error},
		);
	}
	return new AttachError('nothing-listening', `cannot open the inspector connection to ${address} (${code ?? message}) — check the address`, {cause: error});
}
