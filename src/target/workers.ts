/**
 * Finding a process's worker threads through its main thread's inspector (NodeWorker domain,
 * cdp-facts §9.4) and choosing the one `--worker` names.
 *
 * `NodeWorker.enable` attaches the session to every worker thread, those running now (their
 * `attachedToWorker` events arrive before the enable reply) and those started later. An attachment
 * is an inspector session inside the worker, so heaptop detaches from every worker it does not watch.
 */
import {AttachError} from './errors.js';
import type {CriClient} from './cdp-target.js';
import type {WorkerThread} from './worker-tunnel.js';
import {describeWorker, workerName} from './worker-tunnel.js';

export type WorkerMatch =
	| {kind: 'one'; worker: WorkerThread}
	| {kind: 'none'}
	| {kind: 'several'; matches: WorkerThread[]};

/**
 * `--worker QUERY`: digits name a worker id exactly; anything else is the worker's name (the
 * `name` option of `new Worker`), exactly, or else a part of its title that only one worker has.
 */
export function matchWorker(workers: readonly WorkerThread[], query: string): WorkerMatch {
	const pick = (found: WorkerThread[]): WorkerMatch => (found.length === 1 ? {kind: 'one', worker: found[0]!} : found.length === 0 ? {kind: 'none'} : {kind: 'several', matches: found});
	if (/^\d+$/.test(query)) return pick(workers.filter(w => w.workerId === query));
	const exact = workers.filter(w => workerName(w) === query);
	if (exact.length > 0) return pick(exact);
	return pick(workers.filter(w => w.title.includes(query)));
}

/** `1 (leaky-worker), 2 (pool), 3` — for one-line messages. */
export function listWorkers(workers: readonly WorkerThread[], max = 8): string {
	const shown = workers.slice(0, max).map(describeWorker);
	if (workers.length > max) shown.push(`… and ${workers.length - max} more`);
	return shown.join(', ');
}

/** Reads an `attachedToWorker` event; null when it is not one we understand. */
function workerOf(params: unknown): WorkerThread | null {
	const p = params as {sessionId?: unknown; workerInfo?: {workerId?: unknown; title?: unknown; url?: unknown}} | null;
	const info = p?.workerInfo;
	if (typeof p?.sessionId !== 'string' || !info || typeof info.workerId !== 'string') return null;
	return {
		sessionId: p.sessionId,
		workerId: info.workerId,
		title: typeof info.title === 'string' ? info.title : `[worker ${info.workerId}]`,
		url: typeof info.url === 'string' ? info.url : '',
	};
}

export interface WorkerChoice {
	/** what the user passed to --worker */
	query: string;
	/** how long to wait for a matching worker to start (a process heaptop just started has none yet) */
	waitMs: number;
}

/**
 * Attaches to the worker `choice` names and detaches from every other one; leaves NodeWorker enabled
 * (the tunnel keeps detaching newcomers). Throws a one-line AttachError listing the workers when
 * none or several match.
 */
export async function attachToWorker(client: CriClient, choice: WorkerChoice, where: string): Promise<WorkerThread> {
	const workers = new Map<string, WorkerThread>();
	let changed: () => void = () => {};
	const onAttached = (params: unknown) => {
		const worker = workerOf(params);
		if (worker) workers.set(worker.sessionId, worker);
		changed();
	};
	const onDetached = (params: {sessionId?: unknown}) => {
		if (typeof params?.sessionId === 'string') workers.delete(params.sessionId);
		changed();
	};
	client.on('NodeWorker.attachedToWorker', onAttached);
	client.on('NodeWorker.detachedFromWorker', onDetached);
	let match: WorkerMatch = {kind: 'none'};
	try {
		try {
			await client.send('NodeWorker.enable', {waitForDebuggerOnStart: false});
		} catch (error) {
			throw new AttachError('no-worker', `the target at ${where} cannot list worker threads (${(error as Error).message}) — is it Node.js? Leave out --worker to watch it`, {cause: error});
		}
		const deadline = Date.now() + choice.waitMs;
		const current = () => matchWorker([...workers.values()], choice.query);
		match = current();
		const waited = match.kind === 'none';
		while (match.kind === 'none' && Date.now() < deadline) {
			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, deadline - Date.now());
				changed = () => {
					clearTimeout(timer);
					resolve();
				};
			});
			changed = () => {};
			match = current();
		}
		// Those running at enable time were all reported before its reply; ones that start later often
		// start together: give siblings a moment, so "several" is not missed.
		if (match.kind === 'one' && waited) {
			await new Promise(resolve => setTimeout(resolve, 150));
			match = current();
		}
	} finally {
		client.removeListener('NodeWorker.attachedToWorker', onAttached);
		client.removeListener('NodeWorker.detachedFromWorker', onDetached);
	}
	const all = [...workers.values()].sort((a, b) => Number(a.workerId) - Number(b.workerId));
	for (const other of all) {
		if (match.kind !== 'one' || other.sessionId !== match.worker.sessionId) await client.send('NodeWorker.detach', {sessionId: other.sessionId}).catch(() => {});
	}
	if (match.kind === 'one') return match.worker;
	if (all.length === 0) {
		throw new AttachError('no-worker', `the process at ${where} has no worker threads (waited ${Math.round(choice.waitMs / 100) / 10} s for --worker ${choice.query}) — leave out --worker to watch its main thread`);
	}
	if (match.kind === 'several') {
		throw new AttachError('several-workers', `--worker ${choice.query} matches ${match.matches.length} worker threads: ${listWorkers(match.matches)} — pass one worker id`);
	}
	throw new AttachError('no-worker', `no worker thread matches --worker ${choice.query}; the process at ${where} has ${all.length}: ${listWorkers(all)} — pass one of these ids`);
}

/**
 * For a session watching the main thread: when the process has (or starts) worker threads, say once
 * how many and how to watch one, then stop listening. Every worker attachment this makes is dropped
 * at once. Best effort and in the background: a target without NodeWorker simply says nothing.
 */
export function announceWorkers(client: CriClient, log: (line: string) => void, settleMs = 300): void {
	const seen = new Map<string, WorkerThread>();
	let timer: NodeJS.Timeout | null = null;
	let done = false;
	const finish = () => {
		if (done) return;
		done = true;
		client.removeListener('NodeWorker.attachedToWorker', onAttached);
		const workers = [...seen.values()].sort((a, b) => Number(a.workerId) - Number(b.workerId));
		const what = workers.length === 1 ? '1 worker thread' : `${workers.length} worker threads`;
		log(`this process has ${what}: ${listWorkers(workers)}; heaptop watches the main thread — --worker ID watches a worker`);
		void client.send('NodeWorker.disable', {}).catch(() => {});
	};
	const onAttached = (params: unknown) => {
		const worker = workerOf(params);
		if (!worker || done) return;
		seen.set(worker.workerId, worker);
		void client.send('NodeWorker.detach', {sessionId: worker.sessionId}).catch(() => {});
		// siblings usually start within a few milliseconds of each other: one notice for all of them
		timer ??= setTimeout(finish, settleMs);
		timer.unref();
	};
	client.on('NodeWorker.attachedToWorker', onAttached);
	void client.send('NodeWorker.enable', {waitForDebuggerOnStart: false}).catch(() => client.removeListener('NodeWorker.attachedToWorker', onAttached));
}
