/**
 * The edge threads themselves (edge-section-worker.ts has their jobs and their body): starting one,
 * and the two slots a thread waits in between jobs. Kept apart, with nothing heavier than Node's own
 * modules to load, so that a caller can start a thread before it loads the engine:
 * prestartParallelParse costs this module alone, and the thread boots meanwhile (~100 ms).
 */
import {existsSync, statSync} from 'node:fs';
import {createRequire} from 'node:module';
import {availableParallelism} from 'node:os';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';

/** What marks a thread as an edge worker (it then waits for jobs, one at a time, by message). */
interface EdgeWorkerMarker {
	heaptopEdgeSection: true;
}

/** Below this a second thread's start-up costs about what it saves. */
const DEFAULT_PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Files of at least this many bytes have their edges array parsed by a second thread (read-file.ts):
 * `parallelMinBytes`, by default 32 MiB on a machine with 2 or more cores, else never (Infinity).
 */
export function parallelThreshold(options: {parallelMinBytes?: number}): number {
	return options.parallelMinBytes ?? (availableParallelism() >= 2 ? DEFAULT_PARALLEL_MIN_BYTES : Infinity);
}

/**
 * Starts the second thread of a two-thread parse now, if one of `paths` is big enough to get one: a
 * thread takes ~70–150 ms to start, which a caller that knows its files early (heaptop analyze, before
 * it loads the rest of the engine) can overlap with its own start-up. Each of those files then finds a
 * fresh thread started ahead for it. Never throws.
 */
export function prestartParallelParse(paths: readonly string[], options: {parallelMinBytes?: number} = {}): void {
	const threshold = parallelThreshold(options);
	let big = 0;
	for (const path of paths) {
		try {
			if (statSync(path).size >= threshold) big++;
		} catch {
			// the parse words what is wrong with this path
		}
	}
	if (big > 0) prestartEdgeSectionWorker(big);
}

/** Whether a thread's workerData marks it as an edge worker. */
export function isEdgeWorker(data: unknown): boolean {
	return (data as Partial<EdgeWorkerMarker> | null)?.heaptopEdgeSection === true;
}

/**
 * Threads are never carried from one file to the next: a thread's heap seldom collects garbage, so it
 * would keep the previous file's shared arrays alive (three 250 MB files peaked at 650 MB that way,
 * ~520 MB with a fresh thread per file). Two slots instead:
 * - the spare: a fresh thread, started ahead for an announced file (prestartEdgeSectionWorker), or
 *   when the previous file's thread retires with more files announced: it then boots on the other core
 *   while this thread analyses. Starting one costs ~70 ms on an idle 2-core machine, twice that while
 *   this thread parses.
 * - the follow-up: the thread that has just parsed a file's edges, kept for that file's shallow sizes
 *   and shortest-path tree (startShallowSizesJob), until this thread's event loop next turns.
 * An idle thread holds ~10 MB, so neither slot is filled without a reason.
 */
let spareWorker: Worker | null = null;
let followUpWorker: Worker | null = null;
/** Jobs announced by prestartEdgeSectionWorker and not started yet. */
let announcedJobs = 0;
let workersStarted = 0;

/** Edge worker threads started so far in this process (for tests). */
export function edgeWorkersStarted(): number {
	return workersStarted;
}

/**
 * Starts an edge worker now, ahead of the `jobs` file parses that will need one (heaptop analyze calls
 * this as soon as it knows its big files, before it loads the rest of the engine); each of those
 * files then finds a fresh thread ready. Never throws.
 */
export function prestartEdgeSectionWorker(jobs = 1): void {
	announcedJobs = Math.max(announcedJobs, jobs);
	if (spareWorker) return;
	try {
		const worker = startWorker();
		spareWorker = worker;
		idle(worker, () => {
			if (spareWorker === worker) spareWorker = null;
		});
	} catch {
		// the job will try again, and parse on one thread if it cannot
	}
}

/** An idle thread: unref'd, and its failure must not crash this one; `onExit` empties its slot. */
function idle(worker: Worker, onExit: () => void): void {
	worker.unref();
	worker.on('error', () => {});
	worker.once('exit', onExit);
}

/** The thread without the listeners its slot or job put on it. */
export function detach(worker: Worker): Worker {
	worker.removeAllListeners('error');
	worker.removeAllListeners('exit');
	return worker;
}

/** The thread for a file's edges: the spare if there is one, else a new one. */
export function takeWorker(): Worker {
	announcedJobs = Math.max(0, announcedJobs - 1);
	const worker = spareWorker;
	spareWorker = null;
	return worker ? detach(worker) : startWorker();
}

/**
 * After a clean parse the thread is kept for the summary that follows in the same synchronous run
 * (startShallowSizesJob); once this thread's event loop turns, nobody took it, and it retires.
 */
export function keepForFollowUp(worker: Worker): void {
	if (followUpWorker) retire(detach(followUpWorker));
	followUpWorker = worker;
	idle(worker, () => {
		if (followUpWorker === worker) followUpWorker = null;
	});
	setImmediate(() => {
		if (followUpWorker !== worker) return;
		followUpWorker = null;
		retire(detach(worker));
	}).unref();
}

/** Ends a thread that is done with its file, and starts a fresh spare if more files are announced. */
export function retire(worker: Worker): void {
	void worker.terminate().catch(() => {});
	if (announcedJobs > 0) prestartEdgeSectionWorker(announcedJobs);
}

/** Whether a thread is kept for a follow-up job (see keepForFollowUp). */
export function hasFollowUpWorker(): boolean {
	return followUpWorker !== null;
}

/** The thread kept after a file's edges or shallow sizes (see keepForFollowUp), taken out of its slot. */
export function takeFollowUpWorker(): Worker | null {
	const worker = followUpWorker;
	followUpWorker = null;
	return worker ? detach(worker) : null;
}

/**
 * How to start edge-section-worker.ts as a worker, as engine-client.ts does for the engine: the compiled .js next
 * to this file; the bundle file itself when bundled; or from TypeScript sources (tests, development)
 * through a bootstrap that registers tsx in the worker first. That bootstrap uses tsx's in-thread
 * require hook, not its ESM loader (which starts one more thread: 3-4× slower to start); the worker's
 * code needs nothing ESM-only. No worker gets the parent's flags (execArgv): a `--import`/`--require`
 * of the parent (tsx, an APM agent) has no business in a thread that only parses numbers.
 * A missing worker file (heaptop re-bundled into someone else's file) throws here, so the caller
 * parses on one thread at once instead of waiting for a worker that never beats.
 */
function startWorker(): Worker {
	workersStarted++;
	const self = import.meta.url;
	const workerData: EdgeWorkerMarker = {heaptopEdgeSection: true};
	// Its young generation capped at V8's smallest (1 MiB semi-spaces): the thread allocates next to
	// nothing but typed arrays (in shared memory), yet its start-up data made V8 double the young
	// generation to 4 MiB, ~2 MiB of RSS for the thread's whole life.
	const options = {workerData, execArgv: [], resourceLimits: {maxYoungGenerationSizeMb: 3}};
	if ((globalThis as {__HEAPTOP_BUNDLE__?: boolean}).__HEAPTOP_BUNDLE__ === true) return new Worker(new URL(self), options);
	if (!self.endsWith('.ts')) {
		const file = new URL('./edge-section-worker.js', self);
		if (!existsSync(file)) throw new Error(`no worker file at ${file.href}`);
		return new Worker(file, options);
	}
	const tsx = createRequire(self).resolve('tsx/cjs/api');
	const bootstrap = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(fileURLToPath(new URL('./edge-section-worker.ts', self)))});`;
	return new Worker(bootstrap, {...options, eval: true});
}
