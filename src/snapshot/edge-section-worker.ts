/**
 * The second thread of a file parse: finds and parses the edges array (edge-section.ts) straight into
 * SharedArrayBuffer-backed arrays, while the starting thread parses the rest of the file.
 *
 * The result travels through shared memory (a status word, a heartbeat, offsets), not messages, so a
 * synchronous parseSnapshotFile can block on it with Atomics.wait — its event loop is not running.
 * A thread that dies without a word (could not start, out of memory, killed) stops the heartbeat; the
 * waiting side then gives up on it and parses sequentially. This module is also the worker's entry:
 * it runs only when started with the marker below (in the one-file bundle it is part of the CLI file),
 * then takes jobs by message, one at a time: a file's edges, then that file's shallow sizes (and, on
 * smaller graphs, its shortest-path tree).
 */
import {closeSync, openSync} from 'node:fs';
import {parentPort, workerData, type Worker} from 'node:worker_threads';
import {findEdgeSection, parseEdgeSection, type EdgeSectionResult} from './edge-section.js';
import type {HeapGraph} from './graph.js';
import {BackwardPrefault} from './prefault.js';
import {computeShallowSizes} from './shallow-size.js';
import {ScratchArrays} from './scratch.js';
import {shortestPathTree, traversalNamesFromTables, type TraversalTables} from './traverse.js';
import {detach, hasFollowUpWorker, isEdgeWorker, keepForFollowUp, retire, takeFollowUpWorker, takeWorker} from './edge-threads.js';
import type {ExternalEdges} from './stream-parser.js';
import type {SnapshotHeader} from './meta.js';

/** A file's edges array, into the shared arrays. */
interface EdgeJobData {
	kind: 'edges';
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

/**
 * After a two-thread parse, the same thread can compute the graph's shallow sizes (shallow-size.ts)
 * from the shared columns while the starting thread computes class keys.
 */
interface ShallowJobData {
	kind: 'shallow';
	nodeCount: number;
	edgeCount: number;
	nodeTypeNames: readonly string[];
	edgeTypeNames: readonly string[];
	/** the shared buffers of these graph columns */
	columns: Record<typeof SHARED_COLUMNS[number], SharedArrayBuffer>;
	selfSizeWide: boolean;
	externalStringData: number;
	/**
	 * Uint32 × (nodeCount + 1): the sizes, when they fit. The starting thread copies them into its own
	 * self-size column (the analysis keeps the shallow sizes there: see shallow-size.ts, inPlace) and
	 * says so (TAKEN): the buffer then holds the shortest-path tree's parent edges, or (no tree asked
	 * for) serves the starting thread's next phase (n + 1 slots: what the dominators take).
	 */
	result: SharedArrayBuffer;
	/** Int32: the status word, then TAKEN */
	control: SharedArrayBuffer;
	/** then, when asked, the shortest-path tree (traverse.ts) */
	paths: PathsJobData | null;
}

/** The shortest-path tree after the shallow sizes: what it needs besides their columns, and where it goes. */
interface PathsJobData {
	tables: TraversalTables;
	/** the edge names' shared buffer (from the parse) */
	edgeName: SharedArrayBuffer;
	/**
	 * Uint32 × (nodeCount + 1) each: the BFS's queue and put-off list (whose memory the caller takes
	 * back for its next phase); the parent edges go into the sizes' buffer (ShallowJobData.result)
	 */
	arrays: [SharedArrayBuffer, SharedArrayBuffer];
	/** Int32: its own status word */
	control: SharedArrayBuffer;
}

const SHARED_COLUMNS = ['nodeType', 'nodeName', 'nodeSelfSize', 'firstEdge', 'edgeType', 'edgeTo'] as const;

// control (Int32): the status word, a heartbeat bumped at start and after every chunk, and who owns
// the edge arrays (set once by compare-and-swap: the worker before writing, or the starting thread
// when it takes the edges over), so that the two never write them both
const STATUS = 0;
const HEARTBEAT = 1;
/** (a shallow-sizes job's control) 1 once the starting thread has copied the sizes out */
const TAKEN = 1;
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
const MAX_STRING_NAME = 4;

/** A worker with no heartbeat for this long is taken for dead (it beats per MiB, and once on start). */
const STALL_MS = 15_000;
/**
 * While waiting, the starting thread touches the pages of the edge arrays the worker has yet to fill
 * (prefault.ts), down to this many edges past the worker's last report (it reports per MiB of text:
 * at most ~175 k edges).
 */
const PREFAULT_MARGIN_EDGES = 1 << 18;
/** The async wait touches pages for at most this long before it gives the event loop a turn. */
const ASYNC_PREFAULT_MS = 4;

export interface EdgeSectionJob {
	readonly arrays: Omit<ExternalEdges, 'count'>;
	/** Bytes of the edges array parsed so far (for progress). */
	bytesDone(): number;
	/** Edges written to the arrays so far: those below are final and may be read. */
	edgesDone(): number;
	/** Still working (not done, not failed, not given up on)? */
	running(): boolean;
	/**
	 * Blocks until the worker is done, failed or stalled, or `ms` have passed; spends the time touching
	 * the pages the worker will fill next, as long as there are any.
	 */
	waitSync(ms: number): void;
	/** The same without blocking the event loop for more than a few ms. */
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

export interface PendingShallowSizes {
	/** Blocks until the worker is done: the sizes, or null (failed, or they need 64 bits). */
	result(): Uint32Array | null;
	/**
	 * Blocks until the shortest-path tree asked for is done: its parent edges, and two node-sized arrays
	 * the thread is done with (for the caller's next phase); null when not asked for, or failed.
	 */
	shortestPaths(): {parentEdge: Uint32Array; spare: Uint32Array[]} | null;
	/** After result(): the buffer the sizes came in, when no tree goes there (see ShallowJobData.result), else null. */
	sizesBuffer(): Uint32Array | null;
	/** Lets the thread go (at once: answers not taken by now are not waited for). */
	release(): void;
}

/**
 * Shallow sizes of `graph` on the kept edge thread, when there is one and the columns it reads are
 * shared (a two-thread parse); else null, and the caller computes them itself. With `paths` (the
 * strings' answers the BFS needs, made only if the thread can take the job), the thread then builds the
 * shortest-path tree (traverse.ts) too, while the caller does other work.
 */
export function startShallowSizesJob(graph: HeapGraph, paths: (() => TraversalTables) | null = null): PendingShallowSizes | null {
	const columns = {} as ShallowJobData['columns'];
	for (const name of SHARED_COLUMNS) {
		const buffer = graph[name].buffer;
		if (!(buffer instanceof SharedArrayBuffer)) return null;
		columns[name] = buffer;
	}
	if (!hasFollowUpWorker()) return null;
	const edgeName = graph.edgeName.buffer;
	const pathsData: PathsJobData | null =
		paths && edgeName instanceof SharedArrayBuffer
			? {
					tables: paths(),
					edgeName,
					// (n + 1 slots: the size the dominators take next, see dominators.ts)
					arrays: [0, 1].map(() => new SharedArrayBuffer((graph.nodeCount + 1) * 4)) as PathsJobData['arrays'],
					control: new SharedArrayBuffer(4),
				}
			: null;
	const worker = takeFollowUpWorker();
	if (!worker) return null;
	const data: ShallowJobData = {
		kind: 'shallow',
		nodeCount: graph.nodeCount,
		edgeCount: graph.edgeCount,
		nodeTypeNames: graph.nodeTypeNames,
		edgeTypeNames: graph.edgeTypeNames,
		columns,
		selfSizeWide: graph.nodeSelfSize instanceof Float64Array,
		externalStringData: graph.strings.indexOf('system / ExternalStringData'),
		result: new SharedArrayBuffer((graph.nodeCount + 1) * 4),
		control: new SharedArrayBuffer(2 * 4),
		paths: pathsData,
	};
	const control = new Int32Array(data.control);
	const pathsControl = pathsData ? new Int32Array(pathsData.control) : null;
	let exited = false;
	const onExit = () => (exited = true);
	worker.on('error', () => {});
	worker.once('exit', onExit);
	try {
		// (an atomic write before the message, read first by the worker: the columns written before it
		// are then visible there)
		Atomics.store(control, STATUS, PENDING);
		if (pathsControl) Atomics.store(pathsControl, STATUS, PENDING);
		worker.postMessage(data);
	} catch {
		retire(worker);
		return null;
	}
	let released = false;
	const release = () => {
		if (released) return;
		released = true;
		retire(detach(worker));
	};
	/** The thread's answer in `word`: true when done; a thread with no answer in time is let go. */
	const answer = (word: Int32Array): boolean => {
		if (released) return false;
		// One pass over the edges (~0.15 s per 3 M nodes here): a thread that has not answered long
		// after that is taken for dead, and this thread does the work itself.
		if (!exited) Atomics.wait(word, STATUS, PENDING, STALL_MS + graph.nodeCount / 100);
		const status = Atomics.load(word, STATUS);
		if (status === PENDING) release();
		return status === DONE;
	};
	let sizes: Uint32Array | null | undefined;
	let tree: {parentEdge: Uint32Array; spare: Uint32Array[]} | null | undefined = pathsData ? undefined : null;
	return {
		result() {
			if (sizes === undefined) {
				sizes = null;
				if (answer(control)) {
					// (the thread answers only when the sizes fit 32 bits: the column is a Uint32Array then)
					sizes = graph.nodeSelfSize as Uint32Array;
					sizes.set(new Uint32Array(data.result, 0, graph.nodeCount));
					Atomics.store(control, TAKEN, 1);
					Atomics.notify(control, TAKEN);
				}
			}
			// the thread is let go as soon as it has nothing more to do
			if (tree !== undefined) release();
			return sizes;
		},
		shortestPaths() {
			if (tree === undefined) {
				this.result(); // (the thread does the sizes first)
				const [queue, putOff] = pathsData!.arrays.map(buffer => new Uint32Array(buffer));
				tree = sizes && answer(pathsControl!) ? {parentEdge: new Uint32Array(data.result, 0, graph.nodeCount), spare: [queue!, putOff!]} : null;
				release();
			}
			return tree;
		},
		sizesBuffer() {
			return sizes && !pathsData ? new Uint32Array(data.result) : null;
		},
		release,
	};
}

export function startEdgeSectionJob(path: string, header: SnapshotHeader, searchFrom: number, totalBytes: number): EdgeSectionJob {
	const count = header.edge_count;
	const data: EdgeJobData = {
		kind: 'edges',
		path,
		header,
		searchFrom,
		totalBytes,
		control: new SharedArrayBuffer(3 * 4),
		numbers: new SharedArrayBuffer(5 * 8),
		edgesDone: new SharedArrayBuffer(4),
		edgeType: new SharedArrayBuffer(count),
		edgeName: new SharedArrayBuffer(count * 4),
		edgeTo: new SharedArrayBuffer(count * 4),
	};
	const control = new Int32Array(data.control);
	const numbers = new Float64Array(data.numbers);
	const edgesDone = new Uint32Array(data.edgesDone);
	const arrays = {edgeType: new Uint8Array(data.edgeType), edgeName: new Uint32Array(data.edgeName), edgeTo: new Uint32Array(data.edgeTo)};
	const prefault = new BackwardPrefault([arrays.edgeTo, arrays.edgeName, arrays.edgeType], count);
	let prefaulting = true;
	/** Touches pages until `deadline`; false when there are none left to touch. */
	const touchPages = (deadline: number): boolean => {
		if (prefaulting) prefaulting = prefault.run(Atomics.load(edgesDone, 0) + PREFAULT_MARGIN_EDGES, deadline);
		return prefaulting;
	};
	let gaveUp = false;
	let worker: Worker | null = null;
	let wake: (() => void) | null = null;
	let dead = false;
	const onEvent = () => wake?.();
	const onExit = () => {
		dead = true;
		onEvent();
	};
	try {
		worker = takeWorker();
		worker.unref();
		worker.on('message', onEvent);
		worker.on('error', onEvent);
		worker.on('exit', onExit);
		worker.postMessage(data);
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
			if (!touchPages(performance.now() + ms)) Atomics.wait(control, STATUS, PENDING, ms);
			checkHeartbeat();
		},
		async wait(ms) {
			if (status() !== PENDING) return;
			if (touchPages(performance.now() + Math.min(ms, ASYNC_PREFAULT_MS))) {
				await new Promise(resolve => setImmediate(resolve));
				checkHeartbeat();
				return;
			}
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
			return {start: numbers[START]!, end: numbers[END]!, count: numbers[COUNT]!, maxStringName: numbers[MAX_STRING_NAME]!};
		},
		stop() {
			const finished = worker;
			worker = null;
			if (!finished) return;
			finished.off('message', onEvent);
			finished.off('error', onEvent);
			finished.off('exit', onExit);
			// A clean end leaves a thread worth keeping for the summary that follows; else it retires.
			if (status() === DONE && !dead) {
				keepForFollowUp(finished);
				return;
			}
			if (status() === PENDING) gaveUp = true;
			retire(finished);
		},
	};
}

/**
 * The worker's body for a shallow-sizes job: a graph over the shared columns, the sizes into `result`;
 * then, when asked, the shortest-path tree over the same graph. Each answer's status word is written
 * once, by its own job.
 */
function runShallowJob(data: ShallowJobData): void {
	const control = new Int32Array(data.control);
	let status = FAILED;
	let graph: HeapGraph | null = null;
	try {
		Atomics.load(control, STATUS);
		const {columns} = data;
		graph = {
			nodeCount: data.nodeCount,
			edgeCount: data.edgeCount,
			nodeTypeNames: data.nodeTypeNames,
			edgeTypeNames: data.edgeTypeNames,
			strings: [], // not read: the one string index needed comes with the job
			nodeType: new Uint8Array(columns.nodeType, 0, data.nodeCount),
			nodeName: new Uint32Array(columns.nodeName, 0, data.nodeCount),
			nodeId: new Uint32Array(0),
			nodeSelfSize: data.selfSizeWide ? new Float64Array(columns.nodeSelfSize, 0, data.nodeCount) : new Uint32Array(columns.nodeSelfSize, 0, data.nodeCount),
			firstEdge: new Uint32Array(columns.firstEdge, 0, data.nodeCount + 1),
			edgeType: new Uint8Array(columns.edgeType, 0, data.edgeCount),
			edgeName: new Uint32Array(0),
			edgeTo: new Uint32Array(columns.edgeTo, 0, data.edgeCount),
			locations: null,
			extraNativeBytes: 0,
		};
		const into = new Uint32Array(data.result, 0, data.nodeCount);
		if (computeShallowSizes(graph, {externalStringData: data.externalStringData, into}) === into) status = DONE;
	} catch {
		// FAILED: the starting thread computes them itself
	}
	Atomics.store(control, STATUS, status);
	Atomics.notify(control, STATUS);
	if (!data.paths) return;
	// The tree's parent edges go where the sizes were, once the starting thread has copied them out.
	const taken = status === DONE && Atomics.wait(control, TAKEN, 0, STALL_MS) !== 'timed-out' && Atomics.load(control, TAKEN) === 1;
	runPathsJob(taken ? graph : null, data.paths, data.result);
}

/** The worker's body for the shortest-path tree: the parent edges into `parents`, with the job's arrays. */
function runPathsJob(shallowGraph: HeapGraph | null, data: PathsJobData, parents: SharedArrayBuffer): void {
	const control = new Int32Array(data.control);
	let status = FAILED;
	try {
		if (shallowGraph) {
			const graph = {...shallowGraph, edgeName: new Uint32Array(data.edgeName, 0, shallowGraph.edgeCount)};
			const [queue, putOff] = data.arrays.map(buffer => new Uint32Array(buffer));
			// (all three have n + 1 slots, and of equal arrays the scratch hands out the first given first:
			// the BFS takes its parent edges first)
			const scratch = new ScratchArrays();
			scratch.give(new Uint32Array(parents), queue!, putOff!);
			const tree = shortestPathTree(graph, traversalNamesFromTables(data.tables), scratch);
			if (tree.parentEdge.buffer === parents) status = DONE;
		}
	} catch {
		// FAILED: the starting thread builds the tree itself
	}
	Atomics.store(control, STATUS, status);
	Atomics.notify(control, STATUS);
}

/** The worker's body for an edges job: find, parse, publish. */
function runEdgeSectionJob(data: EdgeJobData): void {
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
			numbers[MAX_STRING_NAME] = result.maxStringName;
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

if (parentPort && isEdgeWorker(workerData)) {
	parentPort.on('message', (job: EdgeJobData | ShallowJobData) => (job.kind === 'shallow' ? runShallowJob(job) : runEdgeSectionJob(job)));
}
