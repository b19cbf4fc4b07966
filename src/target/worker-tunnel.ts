/**
 * One worker thread's inspector session, spoken through the main thread's connection (NodeWorker
 * domain, cdp-facts §9.4). Worker threads have no WebSocket of their own: every command travels as a
 * JSON string inside `NodeWorker.sendMessageToWorker`, and every reply and event comes back as a JSON
 * string inside `NodeWorker.receivedMessageFromWorker`. This class unwraps that tunnel into the same
 * small client interface a WebSocket connection offers (send / on / removeListener / close), so a
 * CdpTarget built over it watches the worker with exactly the code that watches a main thread.
 *
 * The tunnel owns the parent connection: closing the tunnel detaches from the worker, closes the
 * inspector if heaptop opened it (through the main thread, where `process._debugEnd` lives), then
 * closes the parent socket. It emits 'disconnect' (with a one-line reason) when the worker goes away
 * or the parent connection drops, after it has cleaned up after itself.
 */
import {EventEmitter} from 'node:events';
import type {CriClient} from './cdp-target.js';
import {CLOSE_INSPECTOR_SOURCE} from './gc-probe.js';
import {withTimeout} from './timeout.js';

/** A worker thread as `NodeWorker.attachedToWorker` describes it. */
export interface WorkerThread {
	/** the tunnel's session id (changes on every attach) */
	sessionId: string;
	/**
	 * The inspector's id for the worker ("1", "2", …): the `--worker` id. Usually the thread's
	 * threadId, but not always: workers of workers are listed too, in the order they attach.
	 */
	workerId: string;
	/** "[worker <threadId>] name" — the name given to `new Worker(…, {name})` */
	title: string;
	url: string;
}

export interface WorkerTunnelOptions {
	/** heaptop opened this inspector (SIGUSR1): close it again, through the main thread, on close() */
	closeInspectorOnClose?: boolean;
	log?: (line: string) => void;
}

type ShutDown = 'detach' | 'worker-gone' | 'parent-gone';

/** The message text CdpTarget recognises as "the connection is gone" (→ TargetClosedError). */
const GONE = 'WebSocket connection closed';
const STEP_MS = 1000;
const EVENT_NAME = /^[A-Za-z]+\.[A-Za-z]+$/;

export class WorkerTunnel implements CriClient {
	private readonly events = new EventEmitter();
	private readonly pending = new Map<number, {resolve: (value: unknown) => void; reject: (error: Error) => void}>();
	private nextId = 1;
	/** null while the worker is reachable; else why not */
	private gone: string | null = null;
	private teardown: Promise<void> | null = null;
	private readonly parentListeners: Array<[string, (...args: any[]) => void]> = [];

	constructor(
		private readonly parent: CriClient,
		readonly worker: WorkerThread,
		private readonly options: WorkerTunnelOptions = {},
	) {
		// A snapshot streams hundreds of chunk events through one listener; callers add a few at most.
		this.events.setMaxListeners(50);
		this.listen('NodeWorker.receivedMessageFromWorker', (params: {sessionId?: unknown; message?: unknown}) => {
			if (params?.sessionId === worker.sessionId && typeof params.message === 'string') this.onWorkerMessage(params.message);
		});
		this.listen('NodeWorker.detachedFromWorker', (params: {sessionId?: unknown}) => {
			if (params?.sessionId === worker.sessionId) this.lose(`worker thread ${describeWorker(worker)} exited`, 'worker-gone');
		});
		// NodeWorker.enable attaches to every worker, including ones started later: keep only ours.
		this.listen('NodeWorker.attachedToWorker', (params: {sessionId?: unknown}) => {
			if (typeof params?.sessionId === 'string' && params.sessionId !== worker.sessionId) {
				void parent.send('NodeWorker.detach', {sessionId: params.sessionId}).catch(() => {});
			}
		});
		// The whole process wants to exit and waits for debuggers to leave (cdp-facts §1.5): the main
		// thread's notification (NodeRuntime goes to the main thread, see send) concerns us too.
		this.listen('NodeRuntime.waitingForDisconnect', () => this.events.emit('NodeRuntime.waitingForDisconnect', {}));
		this.listen('disconnect', () => this.lose('the inspector connection was closed', 'parent-gone'));
	}

	send(method: string, params: object = {}): Promise<any> {
		if (this.gone !== null) return Promise.reject(new Error(`${GONE} (${this.gone})`));
		// NodeRuntime is about the process, and the main thread answers for it. Asked of a worker, exit
		// notification makes the worker wait for us while it is being terminated, and the main thread,
		// on its way out, waits for the worker: the process hangs (measured on Node 20).
		if (method.startsWith('NodeRuntime.')) return this.parent.send(method, params);
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, {resolve, reject});
			this.parent.send('NodeWorker.sendMessageToWorker', {sessionId: this.worker.sessionId, message: JSON.stringify({id, method, params})}).catch((error: unknown) => {
				// the worker left between our check and the send ("session not found" or a dropped socket)
				if (!this.pending.delete(id)) return;
				reject(this.gone !== null ? new Error(`${GONE} (${this.gone})`) : asError(error));
			});
		});
	}

	on(event: string, listener: (...args: any[]) => void): this {
		this.events.on(event, listener);
		return this;
	}

	removeListener(event: string, listener: (...args: any[]) => void): this {
		this.events.removeListener(event, listener);
		return this;
	}

	/** Detaches from the worker, closes an inspector heaptop opened, closes the parent connection. */
	close(): Promise<void> {
		if (this.gone === null) this.gone = 'heaptop detached';
		this.rejectPending();
		return this.shutDown('detach');
	}

	// ---- internals ----

	private listen(event: string, listener: (...args: any[]) => void): void {
		this.parent.on(event, listener);
		this.parentListeners.push([event, listener]);
	}

	private onWorkerMessage(text: string): void {
		let message: {id?: unknown; result?: unknown; error?: {message?: unknown}; method?: unknown; params?: unknown};
		try {
			message = JSON.parse(text);
		} catch {
			return; // not ours to crash on: a garbled message is dropped
		}
		if (message === null || typeof message !== 'object') return;
		if (typeof message.id === 'number') {
			const call = this.pending.get(message.id);
			if (!call) return;
			this.pending.delete(message.id);
			if (message.error) call.reject(new Error(typeof message.error.message === 'string' ? message.error.message : 'the worker rejected the call'));
			else call.resolve(message.result ?? {});
			return;
		}
		// Only "Domain.event" names: an event called 'error' or 'disconnect' from the worker must not
		// throw in our socket handler or fake the end of the session.
		if (typeof message.method !== 'string' || !EVENT_NAME.test(message.method)) return;
		if (message.method === 'NodeRuntime.waitingForDisconnect') {
			// Only if someone else asked this worker for exit notification: the *worker* has finished and
			// waits for us to leave; the process itself runs on. Leave, and say the worker ended.
			this.lose(`worker thread ${describeWorker(this.worker)} exited`, 'detach');
			return;
		}
		this.events.emit(message.method, message.params ?? {});
	}

	/** The worker (or the whole connection) is gone: fail what is in flight, clean up, then tell. */
	private lose(reason: string, how: ShutDown): void {
		if (this.gone !== null) return;
		this.gone = reason;
		this.rejectPending();
		void this.shutDown(how).then(() => this.events.emit('disconnect', reason));
	}

	private rejectPending(): void {
		const error = new Error(`${GONE} (${this.gone})`);
		for (const call of this.pending.values()) call.reject(error);
		this.pending.clear();
	}

	/**
	 * Once: every step bounded in time, none can throw. 'detach': the worker is still there, leave it;
	 * 'worker-gone': it already left, only the main thread is left to tidy; 'parent-gone': nothing is.
	 */
	private shutDown(how: ShutDown): Promise<void> {
		this.teardown ??= (async () => {
			const step = async (what: string, run: () => Promise<unknown>) => {
				try {
					await withTimeout(run(), STEP_MS, () => new Error('no answer'));
				} catch (error) {
					if (!/WebSocket|not open|closed/i.test(asError(error).message)) this.options.log?.(`while detaching from the worker, ${what} failed: ${asError(error).message}`);
				}
			};
			if (how === 'detach') await step('detaching', () => this.parent.send('NodeWorker.detach', {sessionId: this.worker.sessionId}));
			if (this.options.closeInspectorOnClose && how !== 'parent-gone') {
				await step('closing the inspector', () => this.parent.send('Runtime.evaluate', {expression: CLOSE_INSPECTOR_SOURCE, returnByValue: true, silent: true, includeCommandLineAPI: true}));
			}
			for (const [event, listener] of this.parentListeners) this.parent.removeListener(event, listener);
			// A frozen peer must not hold us for ws's 30 s close timeout.
			const closed = this.parent.close().catch(() => {});
			const timer = setTimeout(() => (this.parent as {_ws?: {terminate?: () => void}})._ws?.terminate?.(), STEP_MS);
			await closed;
			clearTimeout(timer);
		})();
		return this.teardown;
	}
}

/**
 * `1 (leaky-worker)`: the id, and the name the app gave the worker when it has one. When the title's
 * thread number is not the id (a worker's own worker), the whole title, so neither number misleads:
 * `1 ([worker 2] resize)`.
 */
export function describeWorker(worker: Pick<WorkerThread, 'workerId' | 'title'>): string {
	const thread = /^\[worker (\d+)\]/.exec(worker.title)?.[1];
	if (thread !== undefined && thread !== worker.workerId) return `${worker.workerId} (${worker.title})`;
	const name = workerName(worker);
	return name ? `${worker.workerId} (${name})` : worker.workerId;
}

/** The name part of "[worker 1] name" ('' when the app gave none). */
export function workerName(worker: Pick<WorkerThread, 'title'>): string {
	return worker.title.replace(/^\[worker \d+\]\s*/, '');
}

function asError(error: unknown): Error {
	return error instanceof Error ? error : new Error(String(error));
}
