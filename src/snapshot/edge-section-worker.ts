/**
 * The second thread of a file parse: finds and parses the edges array (edge-section.ts) straight into
 * SharedArrayBuffer-backed arrays, while the starting thread parses the rest of the file.
 *
 * The result travels through shared memory (a status word, a heartbeat, offsets), not messages, so a
 * synchronous parseSnapshotFile can block on it with Atomics.wait — its event loop is not running.
 * A thread that dies without a word (could not start, out of memory, killed) stops the heartbeat; the
 * waiting side then gives up on it and parses sequentially. This module is also the worker's entry:
 * it runs only when started with the marker below (in the one-file bundle it is part of the CLI file).
 */
import {closeSync, existsSync, openSync} from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {parentPort, Worker, workerData} from 'node:worker_threads';
import {findEdgeSection, parseEdgeSection, type EdgeSectionResult} from './edge-section.js';
import type {ExternalEdges} from './stream-parser.js';
import type {SnapshotHeader} from './meta.js';

interface EdgeWorkerData {
	heaptopEdgeSection: true;
	path: string;
	header: SnapshotHeader;
	/** where to start looking for the `"edges"` key (a lower bound of its offset) */
	searchFrom: number;
	totalBytes: number;
	control: SharedArrayBuffer;
	numbers: SharedArrayBuffer;
	edgesDone: SharedArrayBuffer;
	edgeType: SharedArrayBuffer;
	edgeName: SharedArrayBuffer;
	edgeTo: SharedArrayBuffer;
}

// control (Int32): the status word, a heartbeat bumped at start and after every chunk, and who owns
// the edge arrays (set once by compare-and-swap: the worker before writing, or the starting thread
// when it takes the edges over), so that the two never write them both
const STATUS = 0;
const HEARTBEAT = 1;
const OWNER = 2;
const OWNER_WORKER = 1;
const OWNER_STARTER = 2;
const PENDING = 0;
const DONE = 1;
const FAILED = 2;
// numbers (Float64: offsets may pass 2^31)
const START = 0;
const END = 1;
const COUNT = 2;
const BYTES = 3;

/** A worker with no heartbeat for this long is taken for dead (it beats per MiB, and once on start). */
const STALL_MS = 15_000;

export interface EdgeSectionJob {
	readonly arrays: Omit<ExternalEdges, 'count'>;
	/** Bytes of the edges array parsed so far (for progress). */
	bytesDone(): number;
	/** Edges written to the arrays so far: those below are final and may be read. */
	edgesDone(): number;
	/** Still working (not done, not failed, not given up on)? */
	running(): boolean;
	/** Blocks until the worker is done, failed or stalled, or `ms` have passed. */
	waitSync(ms: number): void;
	/** The same without blocking the event loop. */
	wait(ms: number): Promise<void>;
	/**
	 * Takes the arrays for the calling thread if the worker has not begun writing them (then stops the
	 * worker): true if they are now the caller's to fill.
	 */
	claimArrays(): boolean;
	/** The worker's result, or null when it failed (whatever the reason) or is not done. */
	result(): EdgeSectionResult | null;
	/** Ends the worker if still running. */
	stop(): void;
}

export function startEdgeSectionJob(path: string, header: SnapshotHeader, searchFrom: number, totalBytes: number): EdgeSectionJob {
	const count = header.edge_count;
	const data: EdgeWorkerData = {
		heaptopEdgeSection: true,
		path,
		header,
		searchFrom,
		totalBytes,
		control: new SharedArrayBuffer(3 * 4),
		numbers: new SharedArrayBuffer(4 * 8),
		edgesDone: new SharedArrayBuffer(4),
		edgeType: new SharedArrayBuffer(count),
		edgeName: new SharedArrayBuffer(count * 4),
		edgeTo: new SharedArrayBuffer(count * 4),
	};
	const control = new Int32Array(data.control);
	const numbers = new Float64Array(data.numbers);
	const edgesDone = new Uint32Array(data.edgesDone);
	const arrays = {edgeType: new Uint8Array(data.edgeType), edgeName: new Uint32Array(data.edgeName), edgeTo: new Uint32Array(data.edgeTo)};
	let gaveUp = false;
	let worker: Worker | null = null;
	let wake: (() => void) | null = null;
	let dead = false;
	try {
		worker = startWorker(data);
		worker.unref();
		const onEvent = () => wake?.();
		worker.on('message', onEvent);
		worker.on('error', onEvent);
		worker.on('exit', () => {
			dead = true;
			onEvent();
		});
	} catch {
		gaveUp = true;
	}
	const status = () => (gaveUp ? FAILED : Atomics.load(control, STATUS));
	// stall detection
	let beat = -1;
	let lastBeat = performance.now();
	const checkHeartbeat = () => {
		const now = performance.now();
		const next = Atomics.load(control, HEARTBEAT);
		if (next !== beat) {
			beat = next;
			lastBeat = now;
		} else if (now - lastBeat > STALL_MS) {
			gaveUp = true;
		}
	};
	return {
		arrays,
		bytesDone: () => numbers[BYTES]!,
		edgesDone: () => Atomics.load(edgesDone, 0),
		running: () => status() === PENDING,
		waitSync(ms) {
			if (status() !== PENDING) return;
			Atomics.wait(control, STATUS, PENDING, ms);
			checkHeartbeat();
		},
		async wait(ms) {
			if (status() !== PENDING) return;
			// The status is stored before the message is posted; an exit without one is a dead worker.
			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, ms);
				wake = () => {
					clearTimeout(timer);
					resolve();
				};
			});
			wake = null;
			if (dead && status() === PENDING) gaveUp = true;
			checkHeartbeat();
		},
		claimArrays() {
			if (Atomics.compareExchange(control, OWNER, 0, OWNER_STARTER) !== 0) return false;
			this.stop();
			return true;
		},
		result() {
			if (status() !== DONE) return null;
			return {start: numbers[START]!, end: numbers[END]!, count: numbers[COUNT]!};
		},
		stop() {
			if (status() === PENDING) gaveUp = true;
			void worker?.terminate().catch(() => {});
		},
	};
}

/**
 * How to start this module as a worker, as engine-client.ts does for the engine: the compiled .js next
 * to this file; the bundle file itself when bundled; or from TypeScript sources (tests, development)
 * through a bootstrap that registers tsx in the worker first. That bootstrap uses tsx's in-thread
 * require hook, not its ESM loader (which starts one more thread: 3-4× slower to start); the worker's
 * code needs nothing ESM-only. No worker gets the parent's flags (execArgv): a `--import`/`--require`
 * of the parent (tsx, an APM agent) has no business in a thread that only parses numbers.
 * A missing worker file (heaptop re-bundled into someone else's file) throws here, so the caller
 * parses on one thread at once instead of waiting for a worker that never beats.
 */
function startWorker(workerData: EdgeWorkerData): Worker {
	const self = import.meta.url;
	const options = {workerData, execArgv: []};
	if ((globalThis as {__HEAPTOP_BUNDLE__?: boolean}).__HEAPTOP_BUNDLE__ === true) return new Worker(new URL(self), options);
	if (!self.endsWith('.ts')) {
		const file = new URL('./edge-section-worker.js', self);
		if (!existsSync(file)) throw new Error(`no worker file at ${file.href}`);
		return new Worker(file, options);
	}
	const tsx = createRequire(self).resolve('tsx/cjs/api');
	const bootstrap = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(fileURLToPath(self))});`;
	return new Worker(bootstrap, {...options, eval: true});
}

/** The worker's body: find, parse, publish. */
function runEdgeSectionWorker(data: EdgeWorkerData): void {
	const control = new Int32Array(data.control);
	const numbers = new Float64Array(data.numbers);
	Atomics.add(control, HEARTBEAT, 1);
	let status = FAILED;
	let message = '';
	let fd = -1;
	try {
		fd = openSync(data.path, 'r');
		const buffer = Buffer.allocUnsafe(1 << 20);
		const start = findEdgeSection(fd, data.searchFrom, data.totalBytes, buffer, () => Atomics.add(control, HEARTBEAT, 1));
		if (start < 0) {
			message = 'no edges array where expected';
		} else if (Atomics.compareExchange(control, OWNER, 0, OWNER_WORKER) !== 0) {
			message = 'the starting thread took the edges over';
		} else {
			const arrays = {edgeType: new Uint8Array(data.edgeType), edgeName: new Uint32Array(data.edgeName), edgeTo: new Uint32Array(data.edgeTo)};
			const edgesDone = new Uint32Array(data.edgesDone);
			const result = parseEdgeSection(fd, data.header, start, data.totalBytes, arrays, (bytes, edges) => {
				numbers[BYTES] = bytes;
				Atomics.store(edgesDone, 0, edges); // after the edges themselves: the reader may then read them
				Atomics.add(control, HEARTBEAT, 1);
			}, buffer);
			numbers[START] = result.start;
			numbers[END] = result.end;
			numbers[COUNT] = result.count;
			numbers[BYTES] = result.end - result.start;
			status = DONE;
		}
	} catch (error) {
		message = error instanceof Error ? error.message : String(error);
	} finally {
		if (fd >= 0) closeSync(fd);
	}
	Atomics.store(control, STATUS, status);
	Atomics.notify(control, STATUS);
	parentPort?.postMessage({status, message});
}

if (parentPort && (workerData as Partial<EdgeWorkerData> | null)?.heaptopEdgeSection === true) runEdgeSectionWorker(workerData as EdgeWorkerData);
