/**
 * Reads a .heapsnapshot file into a HeapGraph. Synchronous `readSync` of 1 MiB chunks into one reused
 * Buffer is the fastest way to feed the parser in Node (perf-anchors: a stream 'data' handler costs ~2×);
 * the async variant does the same and yields to the event loop between a few chunks.
 * The parser copies whatever it keeps, so reusing the Buffer is safe.
 *
 * Big files are parsed by two threads (parseInTwoThreads): the edges array, 60 % of a snapshot's bytes,
 * goes to a second one. The one-thread parse stays the reference: whenever the two-thread parse cannot
 * vouch for its result, it gives up and the one-thread parse runs (and words any error).
 */
import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import {findClosingBracket} from './edge-section.js';
import {startEdgeSectionJob, type EdgeSectionJob} from './edge-section-worker.js';
import {parallelThreshold} from './edge-threads.js';
import {SnapshotFormatError} from './errors.js';
import type {HeapGraph} from './graph.js';
import {resolveLayout, type SnapshotHeader} from './meta.js';
import {SnapshotParser, type ExternalEdges} from './stream-parser.js';

export interface ParseFileOptions {
	/** Called after every chunk. */
	onProgress?: (bytesRead: number, totalBytes: number) => void;
	/** Checked before every chunk; an abort throws the signal's reason (an AbortError by default). */
	signal?: AbortSignal;
	/**
	 * Files of at least this many bytes have their edges array (~60 % of the bytes) parsed by a second
	 * thread. Default: 32 MiB on a machine with 2 or more cores, else never (Infinity).
	 */
	parallelMinBytes?: number;
}

const CHUNK_BYTES = 1 << 20;
/** The async variant yields after this many chunks (a few ms of parsing). */
const CHUNKS_PER_YIELD = 4;
/** While the edge thread works, this thread checks the edges it has written every this many ms. */
const EDGE_WAIT_MS = 10;

/**
 * What a parse generator asks its driver for: 'chunk' after each chunk (the async driver yields to the
 * event loop every few), 'edges' to wait a little for the edge thread.
 */
type Pause = 'chunk' | 'edges';
type ParseSteps = Generator<Pause, HeapGraph | null, void>;

// (started ahead of a parse; lives with the threads, so that a caller can start one before loading this module)
export {prestartParallelParse} from './edge-threads.js';

export function parseSnapshotFile(path: string, options: ParseFileOptions = {}): HeapGraph {
	const {begun, file} = openForParse(path, options);
	try {
		if (begun || wantsParallel(file, options)) {
			const graph = runSync(parseInTwoThreads(file, options, {}, begun), file);
			if (graph) return graph;
		}
		return runSync(parseInOneThread(file, options), file)!;
	} finally {
		file.close();
	}
}

/** The same as parseSnapshotFile, but gives the event loop a turn every few chunks. */
export async function parseSnapshotFileAsync(path: string, options: ParseFileOptions = {}): Promise<HeapGraph> {
	const {begun, file} = openForParse(path, options);
	try {
		if (begun || wantsParallel(file, options)) {
			const graph = await runAsync(parseInTwoThreads(file, options, {}, begun), file);
			if (graph) return graph;
		}
		return (await runAsync(parseInOneThread(file, options), file))!;
	} finally {
		file.close();
	}
}

/**
 * The two-thread parse on its own, for tests and benchmarks: the graph, or null when it gave up (a
 * file it cannot split, a second thread that failed, or any format error: the one-thread parse is what
 * decides, and words, what is wrong with a file).
 */
export function parseSnapshotFileInTwoThreads(path: string, options: ParseFileOptions = {}, how: TwoThreadOptions = {}): HeapGraph | null {
	const {begun, file} = openForParse(path, options);
	try {
		return runSync(parseInTwoThreads(file, options, how, begun), file);
	} finally {
		file.close();
	}
}

/** A two-thread parse begun ahead of its caller (beginParallelParse): header read, edge thread at work. */
interface BegunParse {
	readonly path: string;
	readonly file: SnapshotFile;
	readonly parser: SnapshotParser;
	/** where the parse carries on */
	readonly position: number;
}

let begunParse: BegunParse | null = null;

/**
 * Begins the two-thread parse of `path` now, if it is big enough to get one: reads its first chunk
 * (the header) and hands the edges array to the edge thread at once, so that the thread parses it
 * while the caller loads the rest of itself (`heaptop analyze`: its command-line parser, the engine;
 * the thread would otherwise wait ~30 ms for this thread to read the header). Start that thread first
 * (prestartParallelParse). The next parse of `path` carries on from there; a parse of another file,
 * or abandonBegunParse(), drops it. Never throws: the parse itself finds and words what is wrong.
 */
export function beginParallelParse(path: string, options: ParseFileOptions = {}): void {
	abandonBegunParse();
	let file: SnapshotFile | null = null;
	try {
		file = openSnapshotFile(path);
		if (!wantsParallel(file, options)) return;
		const parser = newTwoThreadParser(file);
		const chunk = file.read(0);
		parser.write(chunk);
		const header = parser.parsedHeader;
		// (a first chunk that reaches the edges array is a file this is not worth it for)
		if (!header || parser.externalEdgesAt >= 0) return;
		file.edgeJob = startEdgeJob(file, header, parser.headerEndOffset);
		if (!file.edgeJob) return;
		begunParse = {path, file, parser, position: chunk.length};
		file = null;
	} catch {
		// left for the parse itself
	} finally {
		if (file) dropFile(file);
	}
}

/** Whether a parse of `path` has been begun ahead and not taken yet. */
export function hasBegunParse(path: string): boolean {
	return begunParse?.path === path;
}

/** Drops the parse begun ahead, if any (its file closed, its edge thread let go). */
export function abandonBegunParse(): void {
	const begun = begunParse;
	begunParse = null;
	if (begun) dropFile(begun.file);
}

/** The parse begun ahead for `path` (taken out of its slot) and its file, or none and the file opened now. */
function openForParse(path: string, options: ParseFileOptions): {begun: BegunParse | null; file: SnapshotFile} {
	const begun = takeBegunParse(path, options);
	return {begun, file: begun?.file ?? openSnapshotFile(path)};
}

/** The parse begun ahead for `path`, taken out of its slot; any other is dropped. */
function takeBegunParse(path: string, options: ParseFileOptions): BegunParse | null {
	const begun = begunParse;
	if (!begun || begun.path !== path || !wantsParallel(begun.file, options)) {
		abandonBegunParse();
		return null;
	}
	begunParse = null;
	return begun;
}

function dropFile(file: SnapshotFile): void {
	file.edgeJob?.stop();
	file.edgeJob = null;
	file.close();
}

export interface TwoThreadOptions {
	/**
	 * When this thread is done with its part and the edge thread has not begun parsing, this thread
	 * parses the edges itself: 'auto' (the default), 'always' (even when the edge thread has begun),
	 * 'never' (wait for the edge thread, whatever it takes). For tests of each path.
	 */
	takeOver?: 'auto' | 'always' | 'never';
}

function wantsParallel(file: SnapshotFile, options: ParseFileOptions): boolean {
	return file.totalBytes >= parallelThreshold(options);
}

function runSync(steps: ParseSteps, file: SnapshotFile): HeapGraph | null {
	try {
		for (;;) {
			const step = steps.next();
			if (step.done) return step.value;
			if (step.value === 'edges') file.edgeJob?.waitSync(EDGE_WAIT_MS);
		}
	} finally {
		steps.return(null); // an exception out of the driver still ends the generator (its finally)
	}
}

async function runAsync(steps: ParseSteps, file: SnapshotFile): Promise<HeapGraph | null> {
	try {
		for (let chunk = 1; ; chunk++) {
			const step = steps.next();
			if (step.done) return step.value;
			if (step.value === 'edges') await file.edgeJob?.wait(EDGE_WAIT_MS);
			else if (chunk % CHUNKS_PER_YIELD === 0) await new Promise(resolve => setImmediate(resolve));
		}
	} finally {
		steps.return(null); // an exception out of the driver still ends the generator (its finally)
	}
}

/** Today's parse: every byte, in order, on this thread. */
function* parseInOneThread(file: SnapshotFile, options: ParseFileOptions): ParseSteps {
	const parser = new SnapshotParser({totalBytes: file.totalBytes});
	let position = 0;
	for (;;) {
		options.signal?.throwIfAborted();
		const chunk = file.read(position);
		if (chunk.length === 0) break;
		parser.write(chunk);
		position += chunk.length;
		options.onProgress?.(position, file.totalBytes);
		yield 'chunk';
	}
	options.signal?.throwIfAborted();
	return parser.end();
}

/**
 * This thread parses the file but the edges array, which it skips (from a lower bound of its end, to
 * the first `]`); a second thread (edge-section-worker.ts) parses that array meanwhile, straight into
 * shared arrays. The result is used only when both agree on where the array starts and ends; then
 * end() runs every check of a one-thread parse. If this thread is done before the edge thread has even
 * begun (it can take longer to start than a small file's nodes take to parse, on a busy machine), this
 * thread parses the edges itself and the edge thread is stopped. Anything else (a format error on either side included)
 * gives up with null, so that the one-thread parse decides what the file holds or what is wrong with it.
 */
function* parseInTwoThreads(file: SnapshotFile, options: ParseFileOptions, how: TwoThreadOptions = {}, begun: BegunParse | null = null): ParseSteps {
	const {totalBytes} = file;
	const parser = begun?.parser ?? newTwoThreadParser(file);
	let position = begun?.position ?? 0;
	let skipped = 0;
	let edgesStart = -1;
	let edgesEnd = -1;
	let reported = 0;
	let edgeBytesHere = 0;
	const progress = () => {
		const bytes = Math.min(totalBytes, position - skipped + Math.max(edgeBytesHere, file.edgeJob?.bytesDone() ?? 0));
		if (bytes > reported) reported = bytes;
		options.onProgress?.(reported, totalBytes);
	};
	try {
		for (;;) {
			options.signal?.throwIfAborted();
			const chunk = file.read(position);
			if (chunk.length === 0) break;
			parser.write(chunk);
			position += chunk.length;
			if (!file.edgeJob) {
				const header = parser.parsedHeader;
				if (header) {
					const job = startEdgeJob(file, header, parser.headerEndOffset);
					if (!job) return null;
					file.edgeJob = job;
				}
			}
			const open = parser.externalEdgesAt;
			if (open >= 0) {
				if (!file.edgeJob) return null;
				const header = parser.parsedHeader!;
				// The array's `]` cannot come before every edge field had a digit and a comma.
				const lowerBound = open + 2 * header.edge_count * resolveLayout(header.meta).edgeFieldCount;
				const end = file.findClosingBracket(lowerBound);
				if (end < 0) return null;
				edgesStart = open + 1;
				edgesEnd = end;
				skipped = end - open;
				parser.resumeAfterEdges(end);
				position = end;
			}
			progress();
			yield 'chunk';
		}
		options.signal?.throwIfAborted();
		const job = file.edgeJob;
		if (!job || edgesEnd < 0) return null;
		// Whatever does not need the edges, then the edges' string names as they come: while waiting.
		parser.prepareEnd();
		const takeOver = how.takeOver ?? 'auto';
		// The edge thread has not even begun (a busy machine can take longer to start a thread than to
		// parse a small file's nodes): this thread does the edges itself, into the same arrays.
		const claimed = takeOver !== 'never' && job.claimArrays();
		if (claimed || takeOver === 'always') {
			job.stop();
			const arrays = claimed ? job.arrays : freshEdgeArrays(parser.parsedHeader!.edge_count);
			const edges = yield* parseEdgesHere(file, parser.parsedHeader!, edgesStart, arrays, options, bytes => {
				edgeBytesHere = bytes;
				progress();
			});
			if (edges.end !== edgesEnd) return null;
			parser.setExternalEdges(edges);
		} else {
			parser.setExternalEdges({count: 0, ...job.arrays});
			for (;;) {
				const running = job.running();
				progress();
				if (!running) break;
				// the names of what has come, while waiting (once the thread is done, its largest name
				// stands for the rest)
				parser.checkEdgeNames(job.edgesDone());
				yield 'edges';
				options.signal?.throwIfAborted();
			}
			const result = job.result();
			if (!result || result.start !== edgesStart || result.end !== edgesEnd) return null;
			parser.setExternalEdges({count: result.count, ...job.arrays});
			parser.edgeNamesBelow(result.maxStringName);
		}
		const graph = parser.end();
		position = totalBytes;
		skipped = 0;
		progress();
		return graph;
	} catch (error) {
		if (error instanceof SnapshotFormatError) return null;
		throw error;
	} finally {
		file.edgeJob?.stop();
		file.edgeJob = null;
	}
}

function newTwoThreadParser(file: SnapshotFile): SnapshotParser {
	// The node columns shared too: the edge thread can then compute the shallow sizes while this one
	// computes class keys (startShallowSizesJob in edge-section-worker.ts).
	return new SnapshotParser({totalBytes: file.totalBytes, externalEdges: true, sharedNodeArrays: true});
}

/** The edges array parsed on this thread, a chunk at a time, after the rest of the file. */
function* parseEdgesHere(
	file: SnapshotFile,
	header: SnapshotHeader,
	start: number,
	arrays: Omit<ExternalEdges, 'count'>,
	options: ParseFileOptions,
	onChunk: (bytes: number) => void,
): Generator<Pause, ExternalEdges & {end: number}, void> {
	const parser = SnapshotParser.forEdgeSection(header, arrays, start);
	let position = start;
	for (;;) {
		options.signal?.throwIfAborted();
		const chunk = file.read(position);
		if (chunk.length === 0) throw new SnapshotFormatError('the snapshot ends in the middle of the edges section (truncated?)');
		const close = parser.writeEdgeSection(chunk);
		if (close >= 0) return {...arrays, count: parser.edgesParsed, end: position + close};
		position += chunk.length;
		onChunk(position - start);
		yield 'chunk';
	}
}

function freshEdgeArrays(count: number): Omit<ExternalEdges, 'count'> {
	return {edgeType: new Uint8Array(count), edgeName: new Uint32Array(count), edgeTo: new Uint32Array(count)};
}

/** Starts the edge thread, or null when the header rules this file out of the two-thread parse. */
function startEdgeJob(file: SnapshotFile, header: SnapshotHeader, headerEnd: number): EdgeSectionJob | null {
	const layout = resolveLayout(header.meta);
	const edges = header.edge_count;
	// Nothing to share out; or a header that claims more than the file could hold (the sequential
	// parser words that error, and must not allocate for it).
	if (edges === 0 || 2 * edges * layout.edgeFieldCount > file.totalBytes) return null;
	const searchFrom = headerEnd + 2 * header.node_count * layout.nodeFieldCount;
	if (searchFrom >= file.totalBytes) return null;
	return startEdgeSectionJob(file.path, header, searchFrom, file.totalBytes);
}

interface SnapshotFile {
	readonly path: string;
	readonly totalBytes: number;
	/** The next chunk from `position` (empty at the end); valid until the next call. */
	read(position: number): Buffer;
	findClosingBracket(from: number): number;
	edgeJob: EdgeSectionJob | null;
	close(): void;
}

function openSnapshotFile(path: string): SnapshotFile {
	let fd: number;
	try {
		fd = openSync(path, 'r');
	} catch (error) {
		throw fileError(error);
	}
	let totalBytes: number;
	try {
		const stat = fstatSync(fd);
		if (stat.isDirectory()) throw new SnapshotFormatError('this is a directory, not a heap snapshot file');
		if (!stat.isFile()) throw new SnapshotFormatError('this is not a regular file');
		if (stat.size === 0) throw new SnapshotFormatError('the file is empty (0 bytes)');
		totalBytes = stat.size;
	} catch (error) {
		closeSync(fd);
		throw error instanceof SnapshotFormatError ? error : fileError(error);
	}
	const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
	let open = true;
	return {
		path,
		totalBytes,
		edgeJob: null,
		read(position) {
			let n: number;
			try {
				n = readSync(fd, buffer, 0, CHUNK_BYTES, position);
			} catch (error) {
				throw fileError(error);
			}
			return n === CHUNK_BYTES ? buffer : buffer.subarray(0, n);
		},
		findClosingBracket(from) {
			try {
				return findClosingBracket(fd, from, totalBytes, buffer);
			} catch (error) {
				throw fileError(error);
			}
		},
		close() {
			if (open) closeSync(fd);
			open = false;
		},
	};
}

function fileError(error: unknown): SnapshotFormatError {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	switch (code) {
		case 'ENOENT': return new SnapshotFormatError('no such file');
		case 'EISDIR': return new SnapshotFormatError('this is a directory, not a heap snapshot file');
		case 'EACCES': case 'EPERM': return new SnapshotFormatError('cannot read the file: permission denied');
		default: return new SnapshotFormatError(`cannot read the file: ${error instanceof Error ? error.message : String(error)}`, {cause: error});
	}
}
