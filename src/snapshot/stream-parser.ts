/**
 * A push parser for V8 heap snapshots: feed it the document in chunks of any size (CDP
 * `addHeapSnapshotChunk` strings, or file Buffers), get a HeapGraph from end().
 *
 * Why it looks like this (measured, see shared/perf-anchors.md):
 * - the numeric sections (`nodes`, `edges`: ~95 % of the bytes) are decoded digit by digit straight into
 *   typed arrays, one tight loop per section with all state in local variables, saved to fields only when
 *   a chunk ends. No JS arrays, no per-number strings. A number split across chunks just carries on;
 * - the header is bracket-balanced (string/escape aware) and only that object goes through JSON.parse;
 * - strings are not decoded as they are read: each chunk's bytes of the strings section are kept, and each
 *   string as its span in them (string-table.ts); only those with escapes or non-ASCII bytes, and those
 *   split across chunks (carried in a small buffer), are decoded, one at a time (JSON.parse only for the
 *   few with a backslash). The file, or the strings section, is never one JS string (V8 caps a string at
 *   512 MiB, which real snapshots exceed);
 * - header counts are not trusted for memory: a file's arrays are min(count, what the file could hold);
 *   a stream of unknown length (CDP) reserves the header's count up to a cap, and only the pages written
 *   become memory, so a corrupt `node_count` costs address space, not RAM (if even that is refused, the
 *   arrays start small and grow geometrically). end() then checks that counts, edge_count sums, edge
 *   targets and string indexes all agree.
 *
 * Any malformed input ends in a SnapshotFormatError; after one, the parser stays failed.
 * Vocabulary as in graph.ts: node/edge *ordinals*; V8's `to_node` is an index (ordinal × node field count).
 */
import {constants as bufferConstants} from 'node:buffer';
import {SnapshotFormatError} from './errors.js';
import {latin1Slice, utf8Slice} from './byte-text.js';
import {ParsedStrings, validEscapes} from './string-table.js';
import {LOCATION_FIELDS, LOCATION_NODE, maxStringEdgeName, type HeapGraph, type SourceLocations} from './graph.js';
import {readHeader, resolveLayout, type SnapshotHeader, type SnapshotLayout} from './meta.js';
import {scanEdgeRecords, scanLocationRecords, scanNodeRecords, scanPlainStrings} from './record-scanners.js';

export interface SnapshotParserOptions {
	/** Called after each write() with the bytes consumed so far and the section being read. */
	onProgress?: (progress: {bytes: number; section: string}) => void;
	/**
	 * Total size of the document if known (a file's size). Lets the parser preallocate the exact arrays
	 * at once instead of growing them, while still bounding what a corrupt header can make it allocate.
	 */
	totalBytes?: number;
	/**
	 * Leave the `edges` array to someone else (read-file.ts parses it in a second thread): on reaching
	 * `"edges":[` the parser records where it is and ignores the rest of that chunk; the caller then calls
	 * resumeAfterEdges() with the offset just past the array's `]`, and setExternalEdges() before end().
	 */
	externalEdges?: boolean;
	/**
	 * Put the node columns that shallow sizes read (type, name, self size, first edge) in shared memory,
	 * so that another thread can compute those while this one computes class keys (read-file.ts).
	 */
	sharedNodeArrays?: boolean;
}

/** An edges array parsed elsewhere (see SnapshotParser.forEdgeSection), handed over before end(). */
export interface ExternalEdges {
	count: number;
	edgeType: Uint8Array;
	edgeName: Uint32Array;
	edgeTo: Uint32Array;
}

// Parser states. The document is one JSON object whose first key must be "snapshot".
const S_START = 0;
const S_BEFORE_KEY = 1;
const S_KEY = 2;
const S_AFTER_KEY = 3;
const S_BEFORE_VALUE = 4;
const S_AFTER_VALUE = 5;
const S_DONE = 6;
const S_HEADER = 7;
const S_NODES = 8;
const S_EDGES = 9;
const S_LOCATIONS = 10;
const S_STRINGS = 11;
const S_SKIP = 12;
/** externalEdges mode: at the edges array, waiting for resumeAfterEdges(). */
const S_EDGES_EXTERNAL = 13;

// Number-array sub-states: expecting a number, inside one, after one (whitespace seen).
const N_EXPECT = 0;
const N_IN = 1;
const N_AFTER = 2;

// Problems found inside a numeric loop, turned into an error after it (keeps the loop free of calls).
const P_CHARACTER = 1;
const P_NO_COMMA = 2;
const P_MISSING_NUMBER = 3;
const P_TOO_MANY = 4;
const P_OUT_OF_RANGE = 5;
const P_EDGE_SUM = 6;
const P_EDGE_TARGET = 7;

// Strings-section sub-states.
const T_EXPECT = 0;
const T_IN = 1;
const T_AFTER = 2;

// Skip sub-modes for values we do not store.
const K_CONTAINER = 0;
const K_STRING = 1;
const K_SCALAR = 2;

const MAX_U32 = 0xffff_ffff;
/** Bytes kept between a fast-path record start and the chunk end: more than any well-formed record. */
const FAST_PATH_MARGIN = 128;
const MAX_KEY_LENGTH = 256;
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
/** Arrays start at this many records when reserving the header's count is refused, then grow ×2. */
const INITIAL_RECORDS = 1 << 20;
/** A stream of unknown length reserves at most this many nodes or edges at once (2.3 GB of address space). */
const MAX_RESERVED_RECORDS = 1 << 27;
/** At most this many strings are reserved at once (192 MiB of address space; more grow by doubling). */
const MAX_RESERVED_STRINGS = 1 << 24;
/** At most this many locations are reserved at once (256 MiB of address space; more grows by doubling). */
const MAX_RESERVED_LOCATIONS = 1 << 24;

/** The record scanners' in/out counts (record-scanners.ts); used within one call at a time. */
const cursor = new Float64Array(2);

const SECTION_NAMES: Record<number, string> = {
	[S_HEADER]: 'header', [S_NODES]: 'nodes', [S_EDGES]: 'edges', [S_EDGES_EXTERNAL]: 'edges', [S_LOCATIONS]: 'locations', [S_STRINGS]: 'strings',
};

export class SnapshotParser {
	private readonly onProgress: SnapshotParserOptions['onProgress'];
	private readonly totalBytes: number | undefined;
	private readonly externalEdges: boolean;
	private readonly sharedNodeArrays: boolean;
	/** externalEdges mode: the input offset of the edges array's `[`, -1 until reached. */
	private edgesOpenAt = -1;
	/** prepareEnd() has run: node checks and locations are done. */
	private prepared = false;
	private preparedLocations: SourceLocations | null = null;
	/** Edges below this have had their string names checked. */
	private edgeNamesChecked = 0;
	/** Input offset just past the header object's closing brace, -1 until then. */
	private headerEnd = -1;

	private state = S_START;
	private consumed = 0;
	private failure: SnapshotFormatError | null = null;
	private finished = false;

	// Top-level object.
	private key = '';
	private firstKey = true;
	private lastSection = '';
	private readonly seen = new Set<string>();

	// Header and layout.
	private header: SnapshotHeader | null = null;
	private layout: SnapshotLayout | null = null;
	private headerDepth = 0;
	private headerInString = false;
	private headerEscape = false;
	private headerBytes = new Carry();

	// Number sections: shared decode state (only one section is open at a time).
	private numValue = 0;
	private numState = N_EXPECT;
	private field = 0;
	private row = new Float64Array(0);

	// Nodes.
	private nodeCount = 0;
	private nodeCapacity = 0;
	private edgeSum = 0;
	private nodeType = new Uint8Array(0);
	private nodeName = new Uint32Array(0);
	private nodeId = new Uint32Array(0);
	// Uint32 until a size ≥ 2^32 shows up (see widenSelfSizes)
	private nodeSelfSize: Uint32Array | Float64Array = new Uint32Array(0);
	private firstEdge = new Uint32Array(1);

	// Edges.
	private edgeCount = 0;
	private edgeCapacity = 0;
	// (possibly on a SharedArrayBuffer: see forEdgeSection/setExternalEdges)
	private edgeType: Uint8Array = new Uint8Array(0);
	private edgeName: Uint32Array = new Uint32Array(0);
	private edgeTo: Uint32Array = new Uint32Array(0);

	// Locations, stored as V8 writes them (object index, script, line, column) until end().
	private locationCount = 0;
	private locationData = new Uint32Array(0);

	// Strings.
	private strings = new ParsedStrings();
	private stringState = T_EXPECT;
	private stringEscapePending = false;
	private stringHasEscape = false;
	private stringHasHighBytes = false;
	private readonly stringCarry = new Carry();
	/** This chunk's text's number in `strings` (see chunkTextOf), -1 until a string ends in the chunk. */
	private chunkText = -1;
	private chunkTextStart = 0;

	// Skipped values.
	private skipMode = K_CONTAINER;
	private skipDepth = 0;
	private skipInString = false;
	private skipEscape = false;

	// A CDP string chunk that ended in the first half of a surrogate pair.
	private pendingSurrogate = '';

	constructor(options: SnapshotParserOptions = {}) {
		this.onProgress = options.onProgress;
		this.totalBytes = options.totalBytes;
		this.externalEdges = options.externalEdges ?? false;
		this.sharedNodeArrays = options.sharedNodeArrays ?? false;
		this.startNumberFieldsAsDoubles();
	}

	/**
	 * The number fields the hot loops write back (counts, sums, a number split across chunks, offsets) hold
	 * doubles from the start. V8 records in an object's hidden class whether a field holds small
	 * integers or doubles. A field that starts as a small integer and later receives a double (optimized
	 * code writes back a sum it kept as a double) changes that class, and V8 then throws away every
	 * optimizing compile in flight that relied on it: measured, parseNodes was compiled twice and ran its
	 * first 5 MB unoptimized (~120 ms of a cold 50 MB parse). Storing a fraction once, here, before any
	 * code is optimized, makes the change happen now; the zeros stored next keep the double fields.
	 */
	private startNumberFieldsAsDoubles(): void {
		this.edgeNamesChecked = this.consumed = this.numValue = this.nodeCount = this.edgeSum = this.edgeCount = this.locationCount = 0.5;
		this.edgeNamesChecked = this.consumed = this.numValue = this.nodeCount = this.edgeSum = this.edgeCount = this.locationCount = 0;
		// input offsets, set from `consumed`
		this.headerEnd = this.edgesOpenAt = 0.5;
		this.headerEnd = this.edgesOpenAt = -1;
	}

	/**
	 * A parser for just the inside of an `edges` array (the bytes after its `[`), which starts at input
	 * offset `offset`, into caller-provided arrays sized to the header's edge_count. Feed it with
	 * writeEdgeSection(). It runs the very loop (and checks) of a whole-document parse, so the edges it
	 * returns and the errors it raises are the same; byte positions in messages are file offsets.
	 */
	static forEdgeSection(header: SnapshotHeader, arrays: Omit<ExternalEdges, 'count'>, offset: number): SnapshotParser {
		const parser = new SnapshotParser();
		parser.header = header;
		parser.layout = resolveLayout(header.meta);
		if (arrays.edgeType.length !== header.edge_count || arrays.edgeName.length !== header.edge_count || arrays.edgeTo.length !== header.edge_count) {
			throw new Error('forEdgeSection: the arrays must hold exactly the header\'s edge_count');
		}
		parser.edgeType = arrays.edgeType;
		parser.edgeName = arrays.edgeName;
		parser.edgeTo = arrays.edgeTo;
		parser.edgeCapacity = header.edge_count;
		parser.state = S_EDGES;
		parser.row = new Float64Array(5);
		parser.lastSection = 'edges';
		parser.consumed = offset;
		return parser;
	}

	/**
	 * forEdgeSection mode: parses the next bytes of the edges array. Returns -1 while the array goes on,
	 * else the position in `chunk` just past its closing `]` (what follows is not looked at).
	 */
	writeEdgeSection(chunk: Buffer): number {
		if (this.failure) throw this.failure;
		if (this.state !== S_EDGES) throw new SnapshotFormatError('writeEdgeSection() after the edges array ended');
		let i: number;
		try {
			i = this.parseEdges(chunk, 0, chunk.length);
		} catch (error) {
			throw this.fail(error);
		}
		if (this.state === S_EDGES) {
			this.consumed += chunk.length;
			return -1;
		}
		this.consumed += i;
		return i;
	}

	/** Edges stored so far (forEdgeSection mode: the count once writeEdgeSection found the `]`). */
	get edgesParsed(): number {
		return this.edgeCount;
	}

	/** The `"snapshot"` header once it has been read. */
	get parsedHeader(): SnapshotHeader | null {
		return this.header;
	}

	/** Input offset just past the `"snapshot"` header object, or -1 while it is incomplete. */
	get headerEndOffset(): number {
		return this.headerEnd;
	}

	/** externalEdges mode: the input offset of the edges array's `[` once reached, else -1. */
	get externalEdgesAt(): number {
		return this.state === S_EDGES_EXTERNAL ? this.edgesOpenAt : -1;
	}

	/** externalEdges mode: go on with the input at `offset`, which must be just past the edges array's `]`. */
	resumeAfterEdges(offset: number): void {
		if (this.failure) throw this.failure;
		if (this.state !== S_EDGES_EXTERNAL) throw new SnapshotFormatError('resumeAfterEdges() outside the edges array');
		this.consumed = offset;
		this.state = S_AFTER_VALUE;
	}

	/** externalEdges mode: the edges parsed elsewhere; end() checks them as if parsed here. */
	setExternalEdges(edges: ExternalEdges): void {
		this.edgeType = edges.edgeType;
		this.edgeName = edges.edgeName;
		this.edgeTo = edges.edgeTo;
		this.edgeCount = edges.count;
		this.edgeCapacity = edges.edgeType.length;
	}

	/** Bytes consumed so far. */
	get bytesRead(): number {
		return this.consumed;
	}

	write(chunk: Uint8Array | string): void {
		if (this.failure) throw this.failure;
		if (this.finished) throw new SnapshotFormatError('write() after end()');
		const buf = this.toBuffer(chunk);
		try {
			this.consumeChunk(buf);
		} catch (error) {
			throw this.fail(error);
		}
		// In externalEdges mode the rest of the chunk after `[` is not ours; resumeAfterEdges() sets the offset.
		if (this.state !== S_EDGES_EXTERNAL) this.consumed += buf.length;
		this.onProgress?.({bytes: this.consumed, section: this.currentSection()});
	}

	end(): HeapGraph {
		if (this.failure) throw this.failure;
		if (this.finished) throw new SnapshotFormatError('end() called twice');
		this.finished = true;
		try {
			if (this.pendingSurrogate) this.consumeChunk(Buffer.from(this.pendingSurrogate, 'utf8'));
			return this.finish();
		} catch (error) {
			throw this.fail(error);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Input

	private toBuffer(chunk: Uint8Array | string): Buffer {
		if (typeof chunk !== 'string') {
			return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		}
		if (this.pendingSurrogate) {
			chunk = this.pendingSurrogate + chunk;
			this.pendingSurrogate = '';
		}
		// CDP chunks are pure ASCII, for which latin1 is the cheapest exact conversion.
		if (Buffer.byteLength(chunk, 'utf8') === chunk.length) return Buffer.from(chunk, 'latin1');
		const last = chunk.charCodeAt(chunk.length - 1);
		if (last >= 0xd800 && last <= 0xdbff) {
			this.pendingSurrogate = chunk.slice(-1);
			chunk = chunk.slice(0, -1);
		}
		return Buffer.from(chunk, 'utf8');
	}

	private consumeChunk(buf: Buffer): void {
		const end = buf.length;
		let i = 0;
		while (i < end) {
			switch (this.state) {
				case S_NODES: i = this.parseNodes(buf, i, end); break;
				case S_EDGES: i = this.parseEdges(buf, i, end); break;
				case S_STRINGS: i = this.parseStrings(buf, i, end); break;
				case S_LOCATIONS: i = this.parseLocations(buf, i, end); break;
				case S_HEADER: i = this.parseHeader(buf, i, end); break;
				case S_SKIP: i = this.skipValue(buf, i, end); break;
				case S_EDGES_EXTERNAL: i = end; break;
				case S_KEY: i = this.readKey(buf, i, end); break;
				default: i = this.structure(buf, i, end); break;
			}
		}
	}

	private fail(error: unknown): SnapshotFormatError {
		const failure = error instanceof SnapshotFormatError
			? error
			// A bug or an engine limit (e.g. an allocation failure) must still surface as a format problem
			// of this input, with the original attached for debugging.
			: new SnapshotFormatError(`cannot read the snapshot: ${error instanceof Error ? error.message : String(error)}`, {cause: error});
		this.failure = failure;
		return failure;
	}

	private at(_buf: Buffer, i: number): string {
		return `at byte ${this.consumed + i}`;
	}

	private unexpected(buf: Buffer, i: number, where: string): SnapshotFormatError {
		return new SnapshotFormatError(`unexpected ${describeByte(buf[i]!)} ${where} (${this.at(buf, i)})`);
	}

	private currentSection(): string {
		if (this.state === S_DONE) return 'done';
		if (this.state === S_SKIP) return this.key;
		return SECTION_NAMES[this.state] ?? (this.lastSection || 'header');
	}

	// ---------------------------------------------------------------------------------------------
	// The top-level object: `{ "key": value, … }`

	private structure(buf: Buffer, i: number, end: number): number {
		for (; i < end; i++) {
			const c = buf[i]!;
			if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
			switch (this.state) {
				case S_START:
					if (c === 0x7b /* { */) {
						this.state = S_BEFORE_KEY;
						continue;
					}
					throw notAnObject(buf, i);
				case S_BEFORE_KEY:
					if (c === 0x22 /* " */) {
						this.key = '';
						this.state = S_KEY;
						return i + 1;
					}
					if (c === 0x7d /* } */ && this.firstKey) throw new SnapshotFormatError('not a V8 heap snapshot: no "snapshot" header (the JSON object is empty)');
					throw this.unexpected(buf, i, this.firstKey ? 'at the start of the JSON object' : 'where a section name should be');
				case S_AFTER_KEY:
					if (c !== 0x3a /* : */) throw this.unexpected(buf, i, `after the key "${this.key}"`);
					this.state = S_BEFORE_VALUE;
					continue;
				case S_BEFORE_VALUE:
					return this.openValue(buf, i);
				case S_AFTER_VALUE:
					if (c === 0x2c /* , */) {
						this.state = S_BEFORE_KEY;
						continue;
					}
					if (c === 0x7d /* } */) {
						this.state = S_DONE;
						continue;
					}
					throw this.unexpected(buf, i, `after the "${this.lastSection}" section`);
				case S_DONE:
					throw this.unexpected(buf, i, 'after the end of the snapshot');
			}
		}
		return i;
	}

	private readKey(buf: Buffer, i: number, end: number): number {
		const start = i;
		while (i < end && buf[i] !== 0x22) i++;
		this.key += buf.toString('latin1', start, i);
		if (this.key.length > MAX_KEY_LENGTH) throw new SnapshotFormatError(`a key longer than ${MAX_KEY_LENGTH} characters (${this.at(buf, i)})`);
		if (i === end) return end;
		const key = this.key;
		if (this.firstKey && key !== 'snapshot') {
			throw new SnapshotFormatError(`not a V8 heap snapshot: no "snapshot" header (the JSON object starts with "${printable(key)}")`);
		}
		this.firstKey = false;
		this.state = S_AFTER_KEY;
		return i + 1;
	}

	private openValue(buf: Buffer, i: number): number {
		const c = buf[i]!;
		const key = this.key;
		const known = key === 'snapshot' || key === 'nodes' || key === 'edges' || key === 'strings' || key === 'locations';
		this.lastSection = key;
		if (!known) {
			this.state = S_SKIP;
			this.skipDepth = 0;
			this.skipInString = false;
			this.skipEscape = false;
			if (c === 0x7b || c === 0x5b) {
				this.skipMode = K_CONTAINER;
				this.skipDepth = 1;
				return i + 1;
			}
			if (c === 0x22) {
				this.skipMode = K_STRING;
				return i + 1;
			}
			// true, false, null or a number
			if (c !== 0x2d && !(c >= 0x30 && c <= 0x39) && c !== 0x74 && c !== 0x66 && c !== 0x6e) {
				throw this.unexpected(buf, i, `as the value of "${printable(key)}"`);
			}
			this.skipMode = K_SCALAR;
			return i;
		}
		if (this.seen.has(key)) throw new SnapshotFormatError(`the "${key}" section appears twice`);
		this.seen.add(key);
		if (key === 'snapshot') {
			if (c !== 0x7b) throw new SnapshotFormatError('the "snapshot" header is not an object');
			this.state = S_HEADER;
			this.headerDepth = 0;
			return i;
		}
		if (c !== 0x5b /* [ */) throw new SnapshotFormatError(`the "${key}" section is not an array`);
		if (key === 'strings') {
			this.state = S_STRINGS;
			this.stringState = T_EXPECT;
			// Room for as many strings as the rest of the input could hold (3 bytes each at least: `"",`),
			// when its size is known: pages past the last string are never touched.
			if (this.totalBytes !== undefined) this.strings = new ParsedStrings(Math.min(MAX_RESERVED_STRINGS, Math.floor(Math.max(0, this.totalBytes - this.consumed - i) / 3) + 1));
			return i + 1;
		}
		if (key === 'edges' && this.externalEdges) {
			this.state = S_EDGES_EXTERNAL;
			this.edgesOpenAt = this.consumed + i;
			return buf.length;
		}
		this.numValue = 0;
		this.numState = N_EXPECT;
		this.field = 0;
		if (key === 'nodes') {
			this.state = S_NODES;
			this.row = new Float64Array(5);
			this.allocateNodes();
		} else if (key === 'edges') {
			this.state = S_EDGES;
			this.row = new Float64Array(5);
			this.allocateEdges();
		} else {
			this.state = S_LOCATIONS;
			this.row = new Float64Array(5);
			this.allocateLocations(this.consumed + i + 1);
		}
		return i + 1;
	}

	// ---------------------------------------------------------------------------------------------
	// Header: bracket-balance the object (strings and escapes aware), JSON.parse just that.

	private parseHeader(buf: Buffer, i: number, end: number): number {
		const start = i;
		let depth = this.headerDepth;
		let inString = this.headerInString;
		let escape = this.headerEscape;
		for (; i < end; i++) {
			const c = buf[i]!;
			if (inString) {
				if (escape) escape = false;
				else if (c === 0x5c) escape = true;
				else if (c === 0x22) inString = false;
			} else if (c === 0x22) {
				inString = true;
			} else if (c === 0x7b || c === 0x5b) {
				depth++;
			} else if (c === 0x7d || c === 0x5d) {
				if (--depth === 0) {
					i++;
					break;
				}
			}
		}
		this.headerBytes.append(buf, start, i);
		if (this.headerBytes.length > MAX_HEADER_BYTES) {
			throw new SnapshotFormatError(`the "snapshot" header is longer than ${MAX_HEADER_BYTES} bytes (not a V8 heap snapshot?)`);
		}
		this.headerDepth = depth;
		this.headerInString = inString;
		this.headerEscape = escape;
		if (depth === 0) {
			this.headerEnd = this.consumed + i;
			this.finishHeader();
		}
		return i;
	}

	private finishHeader(): void {
		let value: unknown;
		try {
			value = JSON.parse(this.headerBytes.toString('utf8'));
		} catch {
			throw new SnapshotFormatError('the "snapshot" header is not valid JSON');
		}
		this.headerBytes = new Carry();
		this.header = readHeader(value);
		this.layout = resolveLayout(this.header.meta);
		this.state = S_AFTER_VALUE;
	}

	// ---------------------------------------------------------------------------------------------
	// Storage: reserved at once where that is safe (see the top of the file), else grown ×2 as data
	// arrives; never beyond the header's count.

	/**
	 * A file: the most records of `fieldCount` numbers it could hold (each number takes ≥ 2 bytes). A
	 * stream: the header's count, capped. Growing instead (the arrays copied at each doubling) cost a
	 * 250 MB live snapshot twice the page faults and ~50 MB more at its peak.
	 */
	private initialCapacity(headerCount: number, fieldCount: number): number {
		const bound = this.totalBytes === undefined ? MAX_RESERVED_RECORDS : Math.floor(this.totalBytes / (2 * fieldCount)) + 1;
		return Math.min(headerCount, bound);
	}

	/** `allocate(capacity)`, or, if the system refuses that much address space, a small start to grow from. */
	private reserve(capacity: number, allocate: (capacity: number) => void): void {
		try {
			allocate(capacity);
		} catch (error) {
			if (!(error instanceof RangeError) || capacity <= INITIAL_RECORDS) throw error;
			allocate(INITIAL_RECORDS);
		}
	}

	private allocateNodes(): void {
		this.reserve(this.initialCapacity(this.header!.node_count, this.layout!.nodeFieldCount), capacity => this.resizeNodes(capacity));
	}

	private allocateEdges(): void {
		this.reserve(this.initialCapacity(this.header!.edge_count, this.layout!.edgeFieldCount), capacity => this.resizeEdges(capacity));
	}

	/**
	 * Makes room for every node the next `bytes` bytes could hold, before the hot loop runs (so the loop
	 * never calls out). Never beyond the header's count: one more node than that is an error in the loop.
	 */
	private reserveNodes(bytes: number): void {
		const limit = this.header!.node_count;
		const needed = Math.min(limit, this.nodeCount + Math.floor(bytes / (2 * this.layout!.nodeFieldCount)) + 1);
		if (needed > this.nodeCapacity) this.resizeNodes(Math.min(limit, Math.max(needed, this.nodeCapacity * 2)));
	}

	private reserveEdges(bytes: number): void {
		const limit = this.header!.edge_count;
		const needed = Math.min(limit, this.edgeCount + Math.floor(bytes / (2 * this.layout!.edgeFieldCount)) + 1);
		if (needed > this.edgeCapacity) this.resizeEdges(Math.min(limit, Math.max(needed, this.edgeCapacity * 2)));
	}

	/**
	 * Room for every location the rest of the input could hold, when its size is known: nothing is
	 * copied as the section grows, and the pages past the last location are never touched (so cost no
	 * memory). Capped, so that a file that puts its locations first does not reserve twice its size.
	 */
	private allocateLocations(offset: number): void {
		// A stream: one location per node is what V8 writes at most in practice (more still fit: they grow).
		const bound = this.totalBytes === undefined
			? this.header!.node_count
			: Math.floor(Math.max(0, this.totalBytes - offset) / (2 * this.layout!.locationFieldCount)) + 1;
		this.reserve(Math.min(bound, MAX_RESERVED_LOCATIONS), capacity => (this.locationData = new Uint32Array(4 * capacity)));
	}

	private reserveLocations(bytes: number): void {
		const needed = 4 * (this.locationCount + Math.floor(bytes / (2 * this.layout!.locationFieldCount)) + 1);
		const data = this.locationData;
		if (needed > data.length) this.locationData = resized(new Uint32Array(Math.max(needed, data.length * 2)), data, this.locationCount * 4);
	}

	private resizeNodes(capacity: number): void {
		const n = this.nodeCount;
		this.nodeType = resized(this.nodeColumn(Uint8Array, capacity), this.nodeType, n);
		this.nodeName = resized(this.nodeColumn(Uint32Array, capacity), this.nodeName, n);
		this.nodeId = resized(new Uint32Array(capacity), this.nodeId, n);
		const sizes = this.nodeSelfSize;
		this.nodeSelfSize = sizes instanceof Float64Array ? resized(this.nodeColumn(Float64Array, capacity), sizes, n) : resized(this.nodeColumn(Uint32Array, capacity), sizes, n);
		this.firstEdge = resized(this.nodeColumn(Uint32Array, capacity + 1), this.firstEdge, n);
		this.nodeCapacity = capacity;
	}

	/** The first self size ≥ 2^32 (rare: a huge backing store) turns the column into Float64. */
	private widenSelfSizes(used: number): Float64Array {
		const wide = this.nodeColumn(Float64Array, this.nodeCapacity);
		wide.set(this.nodeSelfSize.subarray(0, used));
		this.nodeSelfSize = wide;
		return wide;
	}

	/** A node column, in shared memory with the sharedNodeArrays option. */
	private nodeColumn<T extends Uint8Array | Uint32Array | Float64Array>(Type: {new (buffer: ArrayBufferLike): T; readonly BYTES_PER_ELEMENT: number}, length: number): T {
		const bytes = length * Type.BYTES_PER_ELEMENT;
		return new Type(this.sharedNodeArrays ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
	}

	private resizeEdges(capacity: number): void {
		const n = this.edgeCount;
		this.edgeType = resized(new Uint8Array(capacity), this.edgeType, n);
		this.edgeName = resized(new Uint32Array(capacity), this.edgeName, n);
		this.edgeTo = resized(new Uint32Array(capacity), this.edgeTo, n);
		this.edgeCapacity = capacity;
	}

	// ---------------------------------------------------------------------------------------------
	// Numeric sections. The three loops below are deliberately alike and deliberately not shared: each
	// keeps its state in locals and writes straight into its own arrays. Whole records in V8's layout
	// go through the fast paths in record-scanners.ts; these loops take the rest, a byte at a time.

	private parseNodes(buf: Buffer, i: number, end: number): number {
		this.reserveNodes(end - i);
		const layout = this.layout!;
		const fieldCount = layout.nodeFieldCount;
		const typeAt = layout.nodeTypeOffset;
		const nameAt = layout.nodeNameOffset;
		const idAt = layout.nodeIdOffset;
		const sizeAt = layout.nodeSelfSizeOffset;
		const edgesAt = layout.nodeEdgeCountOffset;
		const typeLimit = layout.nodeTypeNames.length;
		const edgeLimit = this.header!.edge_count;
		const row = this.row; // the fields of a node split across chunks
		let type = row[0]!;
		let name = row[1]!;
		let id = row[2]!;
		let size = row[3]!;
		let edges = row[4]!;
		let value = this.numValue;
		let state = this.numState;
		let field = this.field;
		let n = this.nodeCount;
		const capacity = this.nodeCapacity;
		let edgeSum = this.edgeSum;
		const nodeType = this.nodeType;
		const nodeName = this.nodeName;
		const nodeId = this.nodeId;
		let nodeSelfSize = this.nodeSelfSize;
		const firstEdge = this.firstEdge;
		// V8's own field order, for the fast path (record-scanners.ts); extra fields after edge_count are read and ignored.
		const standard = typeAt === 0 && nameAt === 1 && idAt === 2 && sizeAt === 3 && edgesAt === 4;
		const fastEnd = end - FAST_PATH_MARGIN;
		let closed = false;
		let problem = 0;

		while (i < end) {
			if (field === 0 && state === N_EXPECT && standard && i < fastEnd) {
				cursor[0] = n;
				cursor[1] = edgeSum;
				i = scanNodeRecords(buf, i, fastEnd, fieldCount, typeLimit, edgeLimit, capacity, nodeType, nodeName, nodeId, nodeSelfSize, firstEdge, cursor);
				n = cursor[0]!;
				edgeSum = cursor[1]!;
			}
			let c = buf[i]!;
			if (c <= 0x39 && c >= 0x30) {
				if (state === N_AFTER) {
					problem = P_NO_COMMA;
					break;
				}
				value = value * 10 + (c - 0x30);
				while (++i < end && (c = buf[i]!) <= 0x39 && c >= 0x30) value = value * 10 + (c - 0x30);
				state = N_IN;
				if (i === end) break;
			}
			if (c === 0x2c || c === 0x5d) {
				if (state === N_EXPECT) {
					if (c === 0x2c || n !== 0 || field !== 0) {
						problem = P_MISSING_NUMBER;
						break;
					}
				} else {
					if (field === typeAt) type = value;
					else if (field === nameAt) name = value;
					else if (field === idAt) id = value;
					else if (field === sizeAt) size = value;
					else if (field === edgesAt) edges = value;
					value = 0;
					if (++field === fieldCount) {
						field = 0;
						if (n === capacity) {
							problem = P_TOO_MANY;
							break;
						}
						if (type >= typeLimit || name > MAX_U32 || id > MAX_U32 || size > Number.MAX_SAFE_INTEGER) {
							problem = P_OUT_OF_RANGE;
							break;
						}
						if (size > MAX_U32 && !(nodeSelfSize instanceof Float64Array)) {
							nodeSelfSize = this.widenSelfSizes(n);
						}
						nodeType[n] = type;
						nodeName[n] = name;
						nodeId[n] = id;
						nodeSelfSize[n] = size;
						firstEdge[n] = edgeSum;
						edgeSum += edges;
						if (edgeSum > edgeLimit) {
							problem = P_EDGE_SUM;
							break;
						}
						n++;
					}
				}
				state = N_EXPECT;
				i++;
				if (c === 0x5d) {
					closed = true;
					break;
				}
				continue;
			}
			if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
				if (state === N_IN) state = N_AFTER;
				i++;
				continue;
			}
			problem = P_CHARACTER;
			break;
		}

		row[0] = type;
		row[1] = name;
		row[2] = id;
		row[3] = size;
		row[4] = edges;
		this.numValue = value;
		this.numState = state;
		this.field = field;
		this.nodeCount = n;
		this.edgeSum = edgeSum;
		if (problem !== 0) throw this.numberProblem('nodes', problem, buf, i, n, 0);
		if (closed) {
			if (field !== 0) {
				throw new SnapshotFormatError(`the nodes array holds ${n * fieldCount + field} numbers, not a multiple of the ${fieldCount} node fields`);
			}
			this.state = S_AFTER_VALUE;
		}
		return i;
	}

	private parseEdges(buf: Buffer, i: number, end: number): number {
		this.reserveEdges(end - i);
		const layout = this.layout!;
		const fieldCount = layout.edgeFieldCount;
		const nodeFieldCount = layout.nodeFieldCount;
		const typeAt = layout.edgeTypeOffset;
		const nameAt = layout.edgeNameOffset;
		const toAt = layout.edgeToNodeOffset;
		const typeLimit = layout.edgeTypeNames.length;
		const nodeLimit = this.header!.node_count;
		const row = this.row; // the fields of an edge split across chunks
		let type = row[0]!;
		let name = row[1]!;
		let to = row[2]!;
		let value = this.numValue;
		let state = this.numState;
		let field = this.field;
		let m = this.edgeCount;
		const capacity = this.edgeCapacity;
		const edgeType = this.edgeType;
		const edgeName = this.edgeName;
		const edgeTo = this.edgeTo;
		// V8's own field order, for the fast path (record-scanners.ts); a record cannot start past fastEnd (its numbers could
		// run beyond the chunk) — the general loop takes the chunk's tail.
		const standard = fieldCount === 3 && typeAt === 0 && nameAt === 1 && toAt === 2;
		const fastEnd = end - FAST_PATH_MARGIN;
		let closed = false;
		let problem = 0;

		while (i < end) {
			if (field === 0 && state === N_EXPECT && standard && i < fastEnd) {
				cursor[0] = m;
				i = scanEdgeRecords(buf, i, fastEnd, nodeFieldCount, typeLimit, nodeLimit, capacity, edgeType, edgeName, edgeTo, cursor);
				m = cursor[0]!;
				if (i >= end) break;
			}
			let c = buf[i]!;
			if (c <= 0x39 && c >= 0x30) {
				if (state === N_AFTER) {
					problem = P_NO_COMMA;
					break;
				}
				value = value * 10 + (c - 0x30);
				while (++i < end && (c = buf[i]!) <= 0x39 && c >= 0x30) value = value * 10 + (c - 0x30);
				state = N_IN;
				if (i === end) break;
			}
			if (c === 0x2c || c === 0x5d) {
				if (state === N_EXPECT) {
					if (c === 0x2c || m !== 0 || field !== 0) {
						problem = P_MISSING_NUMBER;
						break;
					}
				} else {
					if (field === typeAt) type = value;
					else if (field === nameAt) name = value;
					else if (field === toAt) to = value;
					value = 0;
					if (++field === fieldCount) {
						field = 0;
						if (m === capacity) {
							problem = P_TOO_MANY;
							break;
						}
						const ordinal = to / nodeFieldCount;
						if (type >= typeLimit || name > MAX_U32) {
							problem = P_OUT_OF_RANGE;
							break;
						}
						if (ordinal !== ordinal >>> 0 || ordinal >= nodeLimit) {
							problem = P_EDGE_TARGET;
							break;
						}
						edgeType[m] = type;
						edgeName[m] = name;
						edgeTo[m] = ordinal;
						m++;
					}
				}
				state = N_EXPECT;
				i++;
				if (c === 0x5d) {
					closed = true;
					break;
				}
				continue;
			}
			if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
				if (state === N_IN) state = N_AFTER;
				i++;
				continue;
			}
			problem = P_CHARACTER;
			break;
		}

		row[0] = type;
		row[1] = name;
		row[2] = to;
		this.numValue = value;
		this.numState = state;
		this.field = field;
		this.edgeCount = m;
		if (problem !== 0) throw this.numberProblem('edges', problem, buf, i, m, to);
		if (closed) {
			if (field !== 0) {
				throw new SnapshotFormatError(`the edges array holds ${m * fieldCount + field} numbers, not a multiple of the ${fieldCount} edge fields`);
			}
			this.state = S_AFTER_VALUE;
		}
		return i;
	}

	private parseLocations(buf: Buffer, i: number, end: number): number {
		this.reserveLocations(end - i);
		const layout = this.layout!;
		const fieldCount = layout.locationFieldCount;
		const objectAt = layout.locationObjectIndexOffset;
		const scriptAt = layout.locationScriptIdOffset;
		const lineAt = layout.locationLineOffset;
		const columnAt = layout.locationColumnOffset;
		const row = this.row; // the fields of a location split across chunks
		let object = row[0]!;
		let script = row[1]!;
		let line = row[2]!;
		let column = row[3]!;
		let value = this.numValue;
		let state = this.numState;
		let field = this.field;
		let k = this.locationCount;
		const data = this.locationData;
		// V8's own field order, for the fast path (record-scanners.ts; reserveLocations made room for every
		// record of this chunk; anything unusual goes to the general loop, which re-reads the record).
		const standard = fieldCount === 4 && objectAt === 0 && scriptAt === 1 && lineAt === 2 && columnAt === 3;
		const fastEnd = end - FAST_PATH_MARGIN;
		let closed = false;
		let problem = 0;

		while (i < end) {
			if (field === 0 && state === N_EXPECT && standard && i < fastEnd) {
				cursor[0] = k;
				i = scanLocationRecords(buf, i, fastEnd, data, cursor);
				k = cursor[0]!;
				if (i >= end) break;
			}
			let c = buf[i]!;
			if (c <= 0x39 && c >= 0x30) {
				if (state === N_AFTER) {
					problem = P_NO_COMMA;
					break;
				}
				value = value * 10 + (c - 0x30);
				while (++i < end && (c = buf[i]!) <= 0x39 && c >= 0x30) value = value * 10 + (c - 0x30);
				state = N_IN;
				if (i === end) break;
			}
			if (c === 0x2c || c === 0x5d) {
				if (state === N_EXPECT) {
					if (c === 0x2c || k !== 0 || field !== 0) {
						problem = P_MISSING_NUMBER;
						break;
					}
				} else {
					if (field === objectAt) object = value;
					else if (field === scriptAt) script = value;
					else if (field === lineAt) line = value;
					else if (field === columnAt) column = value;
					value = 0;
					if (++field === fieldCount) {
						field = 0;
						if (object > MAX_U32 || script > MAX_U32 || line > MAX_U32 || column > MAX_U32) {
							problem = P_OUT_OF_RANGE;
							break;
						}
						const at = k * 4;
						data[at] = object;
						data[at + 1] = script;
						data[at + 2] = line;
						data[at + 3] = column;
						k++;
					}
				}
				state = N_EXPECT;
				i++;
				if (c === 0x5d) {
					closed = true;
					break;
				}
				continue;
			}
			if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
				if (state === N_IN) state = N_AFTER;
				i++;
				continue;
			}
			problem = P_CHARACTER;
			break;
		}

		row[0] = object;
		row[1] = script;
		row[2] = line;
		row[3] = column;
		this.numValue = value;
		this.numState = state;
		this.field = field;
		this.locationCount = k;
		if (problem !== 0) throw this.numberProblem('locations', problem, buf, i, k, 0);
		if (closed) {
			if (field !== 0) {
				throw new SnapshotFormatError(`the locations array holds ${k * fieldCount + field} numbers, not a multiple of the ${fieldCount} location fields`);
			}
			this.state = S_AFTER_VALUE;
		}
		return i;
	}

	private numberProblem(section: string, problem: number, buf: Buffer, i: number, record: number, detail: number): SnapshotFormatError {
		const header = this.header!;
		switch (problem) {
			case P_NO_COMMA: return this.unexpected(buf, i, `in the ${section} section (two numbers without a comma)`);
			case P_MISSING_NUMBER: return this.unexpected(buf, i, `in the ${section} section (a missing number)`);
			case P_TOO_MANY: return section === 'nodes'
				? new SnapshotFormatError(`header says ${header.node_count} nodes but the nodes array holds more`)
				: new SnapshotFormatError(`header says ${header.edge_count} edges but the edges array holds more`);
			case P_OUT_OF_RANGE: return new SnapshotFormatError(`${section === 'nodes' ? 'node' : section === 'edges' ? 'edge' : 'location'} ${record} has a field out of range (${this.at(buf, i)})`);
			case P_EDGE_SUM: return new SnapshotFormatError(`the nodes' edge_count fields add up to more than the header's ${header.edge_count} edges (${this.at(buf, i)})`);
			case P_EDGE_TARGET: return new SnapshotFormatError(`edge ${record} points to ${detail}, which is not the index of one of the header's ${header.node_count} nodes (${this.at(buf, i)})`);
			default: return this.unexpected(buf, i, `in the ${section} section`);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Strings: a fast path for runs of plain strings (plainStrings), the general loop for the rest, one
	// at a time; a string that crosses a chunk boundary goes through stringCarry.

	private parseStrings(buf: Buffer, i: number, end: number): number {
		this.chunkText = -1; // (the next chunk may come in the same Buffer)
		this.chunkTextStart = i;
		while (i < end) {
			const state = this.stringState;
			if (state === T_IN) {
				i = this.continueString(buf, i, end);
				continue;
			}
			const c = buf[i]!;
			if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
				i++;
				continue;
			}
			if (state === T_EXPECT) {
				if (c === 0x22) {
					const stop = this.plainStrings(buf, i, end);
					if (stop !== i) {
						i = stop;
						continue;
					}
					this.stringState = T_IN;
					this.stringHasEscape = false;
					this.stringHasHighBytes = false;
					this.stringEscapePending = false;
					i = this.startString(buf, i, end);
					continue;
				}
				if (c === 0x5d && this.strings.length === 0) {
					this.state = S_AFTER_VALUE;
					return i + 1;
				}
				throw this.unexpected(buf, i, 'in the strings section (a string was expected)');
			}
			// T_AFTER
			if (c === 0x2c) {
				this.stringState = T_EXPECT;
				i++;
				continue;
			}
			if (c === 0x5d) {
				this.state = S_AFTER_VALUE;
				return i + 1;
			}
			throw this.unexpected(buf, i, 'in the strings section (after a string)');
		}
		return i;
	}

	/** `open` is the position of the opening quote. Fast path: the whole string is in this chunk. */
	private startString(buf: Buffer, open: number, end: number): number {
		const close = this.scanString(buf, open + 1, end);
		if (close < end) {
			if (this.stringHasHighBytes) {
				const value = this.decodeString(buf, open, close + 1, this.stringHasEscape, this.stringHasHighBytes);
				this.strings.addDecoded(value, this.chunkTextOf(buf, end), open + 1 - this.chunkTextStart, close - this.chunkTextStart);
			} else if (this.stringHasEscape) {
				// kept escaped, decoded when asked (see ParsedStrings): checked now, as JSON.parse would
				if (!validEscapes(buf, open + 1, close)) throw new SnapshotFormatError(`string ${this.strings.length} in the strings section has an invalid escape sequence`);
				this.strings.addEscaped(this.chunkTextOf(buf, end), open + 1 - this.chunkTextStart, close - this.chunkTextStart);
			} else {
				this.plainString(buf, open + 1, close, end);
			}
			this.stringState = T_AFTER;
			return close + 1;
		}
		this.stringCarry.reset();
		this.stringCarry.append(buf, open, end);
		return end;
	}

	private continueString(buf: Buffer, i: number, end: number): number {
		const close = this.scanString(buf, i, end);
		const carry = this.stringCarry;
		carry.append(buf, i, close < end ? close + 1 : end);
		if (carry.length > bufferConstants.MAX_STRING_LENGTH) {
			throw new SnapshotFormatError('a string in the strings section is longer than the longest string V8 can hold');
		}
		if (close >= end) return end;
		const value = this.decodeString(carry.bytes, 0, carry.length, this.stringHasEscape, this.stringHasHighBytes);
		// (it began in an earlier chunk: in this chunk's text it starts at 0)
		this.strings.addDecoded(value, this.chunkTextOf(buf, end), 0, close - this.chunkTextStart);
		carry.reset();
		this.stringState = T_AFTER;
		return close + 1;
	}

	/**
	 * Finds the closing quote from `i`, noting backslashes and non-ASCII bytes on the way.
	 * Returns its position, or `end` when the string goes on in the next chunk.
	 */
	private scanString(buf: Buffer, i: number, end: number): number {
		let hasEscape = this.stringHasEscape;
		let high = this.stringHasHighBytes;
		if (this.stringEscapePending) {
			// The previous chunk ended on a backslash: this byte is escaped.
			this.stringEscapePending = false;
			i++;
		}
		for (; i < end; i++) {
			const c = buf[i]!;
			if (c === 0x22) break;
			if (c === 0x5c) {
				hasEscape = true;
				if (++i === end) {
					this.stringEscapePending = true;
					break;
				}
			} else if (c >= 0x80) {
				high = true;
			}
		}
		this.stringHasEscape = hasEscape;
		this.stringHasHighBytes = high;
		return i < end ? i : end;
	}

	/**
	 * This chunk's text: its bytes from where parseStrings began on, copied (the chunk's Buffer may be
	 * read into again), made for the first string that ends in this chunk (a chunk inside one long
	 * string gets none).
	 */
	private chunkTextOf(buf: Buffer, end: number): number {
		if (this.chunkText < 0) this.chunkText = this.strings.addText(Buffer.from(buf.subarray(this.chunkTextStart, end)));
		return this.chunkText;
	}

	/**
	 * The fast path from the opening quote at `i` (scanPlainStrings): the plain strings that follow,
	 * each kept as its span in the chunk's text (see ParsedStrings for why no string is made per
	 * string). Returns where it stopped: `i` when it took none.
	 */
	private plainStrings(buf: Buffer, i: number, end: number): number {
		const strings = this.strings;
		const room = Math.floor((end - i) / 3) + 1; // a string takes 3 bytes at least: "",
		const text = this.chunkTextOf(buf, end);
		const spans = strings.spanRoom(room);
		cursor[0] = strings.length;
		const stop = scanPlainStrings(buf, i, end, spans, strings.length + room, text, this.chunkTextStart, cursor);
		strings.addSpans(cursor[0]! - strings.length);
		if (cursor[1] === 1) this.stringState = T_AFTER;
		return stop;
	}

	/**
	 * A string without escapes or non-ASCII bytes that the fast path left (see plainStrings), from
	 * start to stop (its quotes left out).
	 */
	private plainString(buf: Buffer, start: number, stop: number, end: number): void {
		this.strings.addSpan(this.chunkTextOf(buf, end), start - this.chunkTextStart, stop - this.chunkTextStart);
	}

	/** Decodes `"…"` from start (the opening quote) to end (after the closing quote). */
	private decodeString(buf: Buffer, start: number, end: number, hasEscape: boolean, high: boolean): string {
		if (!hasEscape) return high ? utf8Slice(buf, start + 1, end - 1) : latin1Slice(buf, start + 1, end - 1);
		const quoted = high ? utf8Slice(buf, start, end) : latin1Slice(buf, start, end);
		try {
			return JSON.parse(quoted) as string;
		} catch {
			throw new SnapshotFormatError(`string ${this.strings.length} in the strings section has an invalid escape sequence`);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Values we do not keep (trace_function_infos, trace_tree, samples, anything unknown).

	private skipValue(buf: Buffer, i: number, end: number): number {
		if (this.skipMode === K_SCALAR) {
			for (; i < end; i++) {
				const c = buf[i]!;
				if (c === 0x2c || c === 0x7d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
					this.state = S_AFTER_VALUE;
					return i;
				}
				if (c === 0x22 || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x3a || c < 0x20 || c >= 0x80) {
					throw this.unexpected(buf, i, `in the "${printable(this.key)}" value`);
				}
			}
			return i;
		}
		let depth = this.skipDepth;
		let inString = this.skipMode === K_STRING || this.skipInString;
		let escape = this.skipEscape;
		for (; i < end; i++) {
			const c = buf[i]!;
			if (inString) {
				if (escape) escape = false;
				else if (c === 0x5c) escape = true;
				else if (c === 0x22) {
					inString = false;
					if (depth === 0) {
						i++;
						break;
					}
				}
			} else if (c === 0x22) {
				inString = true;
			} else if (c === 0x7b || c === 0x5b) {
				depth++;
			} else if (c === 0x7d || c === 0x5d) {
				if (--depth === 0) {
					i++;
					break;
				}
			}
		}
		this.skipMode = K_CONTAINER;
		this.skipDepth = depth;
		this.skipInString = inString;
		this.skipEscape = escape;
		if (depth === 0 && !inString) this.state = S_AFTER_VALUE;
		return i;
	}

	// ---------------------------------------------------------------------------------------------
	// end(): everything must be there and agree.

	private finish(): HeapGraph {
		// (the checks in the order of a one-thread parse: the first failing one is the message)
		if (!this.prepared) this.checkSectionsAndNodeCount();
		const header = this.header!;
		const layout = this.layout!;
		const nodeCount = this.nodeCount;
		const edgeCount = this.edgeCount;
		if (edgeCount !== header.edge_count) {
			throw new SnapshotFormatError(`header says ${header.edge_count} edges but the edges array holds ${edgeCount}`);
		}
		if (this.edgeSum !== edgeCount) {
			throw new SnapshotFormatError(`the nodes' edge_count fields add up to ${this.edgeSum} edges but the edges array holds ${edgeCount}`);
		}
		if (this.nodeCapacity !== nodeCount) this.resizeNodes(nodeCount); // only when both are 0 before the section
		if (this.edgeCapacity !== edgeCount) this.resizeEdges(edgeCount);
		this.firstEdge[nodeCount] = edgeCount;
		if (!this.prepared) this.checkNodeNames();
		this.checkEdgeNamesBelow(edgeCount);
		const locations = this.prepared ? this.preparedLocations : this.finishLocations(layout.nodeFieldCount, nodeCount);

		return {
			nodeCount,
			edgeCount,
			nodeTypeNames: layout.nodeTypeNames,
			edgeTypeNames: layout.edgeTypeNames,
			strings: this.strings,
			nodeType: this.nodeType,
			nodeName: this.nodeName,
			nodeId: this.nodeId,
			nodeSelfSize: this.nodeSelfSize,
			firstEdge: this.firstEdge,
			edgeType: this.edgeType,
			edgeName: this.edgeName,
			edgeTo: this.edgeTo,
			locations,
			extraNativeBytes: header.extra_native_bytes ?? 0,
		};
	}

	private truncated(): SnapshotFormatError {
		if (this.consumed === 0 && this.state === S_START) return new SnapshotFormatError('empty input: no snapshot data');
		switch (this.state) {
			case S_START:
				return new SnapshotFormatError('empty input: only whitespace, no snapshot data');
			case S_HEADER:
				return new SnapshotFormatError('the snapshot ends in the middle of the "snapshot" header (truncated?)');
			case S_NODES: case S_EDGES: case S_EDGES_EXTERNAL: case S_LOCATIONS: case S_STRINGS:
				return new SnapshotFormatError(`the snapshot ends in the middle of the ${SECTION_NAMES[this.state]} section (truncated?)`);
			case S_SKIP:
				return new SnapshotFormatError(`the snapshot ends in the middle of the ${printable(this.key)} section (truncated?)`);
			default:
				if (!this.header) return new SnapshotFormatError('the snapshot ends before its "snapshot" header is complete (truncated?)');
				return new SnapshotFormatError(`the snapshot ends after the ${printable(this.lastSection)} section, before the end of the document (truncated?)`);
		}
	}

	private checkSectionsAndNodeCount(): void {
		if (this.state !== S_DONE) throw this.truncated();
		for (const section of ['nodes', 'edges', 'strings']) {
			if (!this.seen.has(section)) throw new SnapshotFormatError(`the snapshot has no "${section}" section`);
		}
		if (this.nodeCount !== this.header!.node_count) {
			throw new SnapshotFormatError(`header says ${this.header!.node_count} nodes but the nodes array holds ${this.nodeCount}`);
		}
	}

	/**
	 * externalEdges mode, once the whole input is written: does now what end() does that does not involve
	 * the edges (so it overlaps the other thread's work). Its checks come in another order than a
	 * one-thread end()'s, which is why a caller that needs one-thread messages must reparse on failure.
	 */
	prepareEnd(): void {
		if (this.failure) throw this.failure;
		if (this.prepared) return;
		try {
			this.checkSectionsAndNodeCount();
			const nodeCount = this.nodeCount;
			if (this.nodeCapacity !== nodeCount) this.resizeNodes(nodeCount);
			this.checkNodeNames();
			this.preparedLocations = this.finishLocations(this.layout!.nodeFieldCount, nodeCount);
			this.prepared = true;
		} catch (error) {
			throw this.fail(error);
		}
	}

	/**
	 * Checks the string names of the edges below `upTo` (each edge is checked once, over all calls); in
	 * externalEdges mode after prepareEnd(), for edges the other thread has already written.
	 */
	checkEdgeNames(upTo: number): void {
		if (this.failure) throw this.failure;
		try {
			this.checkEdgeNamesBelow(upTo);
		} catch (error) {
			throw this.fail(error);
		}
	}

	/**
	 * The thread that parsed the edges found no string-named edge named above `maxStringName`: when
	 * that is inside `strings`, so is every edge name, and end() does not check them one by one
	 * (otherwise it does, and words the first bad one).
	 */
	edgeNamesBelow(maxStringName: number): void {
		if (maxStringName < this.strings.length) this.edgeNamesChecked = this.edgeName.length;
	}

	/** Every node name must point into `strings`. */
	private checkNodeNames(): void {
		const stringCount = this.strings.length;
		const nodeName = this.nodeName;
		for (let n = 0; n < this.nodeCount; n++) {
			if (nodeName[n]! >= stringCount) {
				throw new SnapshotFormatError(`node ${n} is named by string ${nodeName[n]} but there are only ${stringCount} strings`);
			}
		}
	}

	/** So must every edge name that is a string index (element/hidden edge names are numbers). */
	private checkEdgeNamesBelow(upTo: number): void {
		const {edgeTypeNames} = this.layout!;
		const stringCount = this.strings.length;
		const edgeType = this.edgeType;
		const edgeName = this.edgeName;
		const from = this.edgeNamesChecked;
		upTo = Math.min(upTo, edgeName.length);
		if (maxStringEdgeName(edgeTypeNames, edgeType, edgeName, from, upTo) >= stringCount) {
			// (a bad file: find the first bad edge, to name it)
			for (let e = from; e < upTo; e++) {
				if (maxStringEdgeName(edgeTypeNames, edgeType, edgeName, e, e + 1) >= stringCount) {
					throw new SnapshotFormatError(`edge ${e} is named by string ${edgeName[e]} but there are only ${stringCount} strings`);
				}
			}
		}
		if (upTo > from) this.edgeNamesChecked = upTo;
	}

	/** The locations in file order, each object index turned into a node ordinal in place. */
	private finishLocations(nodeFieldCount: number, nodeCount: number): SourceLocations | null {
		const count = this.locationCount;
		if (count === 0) return null;
		const entries = this.locationData.subarray(0, count * LOCATION_FIELDS);
		for (let at = 0; at < entries.length; at += LOCATION_FIELDS) {
			const index = entries[at + LOCATION_NODE]!;
			const ordinal = index / nodeFieldCount;
			if (ordinal !== ordinal >>> 0 || ordinal >= nodeCount) {
				throw new SnapshotFormatError(`location ${at / LOCATION_FIELDS} refers to ${index}, which is not the index of a node`);
			}
			entries[at + LOCATION_NODE] = ordinal;
		}
		this.locationData = new Uint32Array(0);
		return {count, entries};
	}
}

/** A growable byte buffer for the rare values that cross chunk boundaries (the header, long strings). */
class Carry {
	bytes = Buffer.allocUnsafe(256);
	length = 0;

	append(source: Uint8Array, start: number, end: number): void {
		const needed = this.length + (end - start);
		if (needed > this.bytes.length) {
			const next = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
			this.bytes.copy(next, 0, 0, this.length);
			this.bytes = next;
		}
		this.bytes.set(source.subarray(start, end), this.length);
		this.length = needed;
	}

	reset(): void {
		this.length = 0;
		if (this.bytes.length > 1 << 20) this.bytes = Buffer.allocUnsafe(256);
	}

	toString(encoding: 'utf8' | 'latin1'): string {
		return this.bytes.toString(encoding, 0, this.length);
	}
}

function resized<T extends Uint8Array | Uint32Array | Float64Array>(next: T, previous: T, used: number): T {
	if (used > 0) next.set(previous.subarray(0, used) as never);
	return next;
}

function notAnObject(buf: Buffer, i: number): SnapshotFormatError {
	const c = buf[i]!;
	// 0x1f is the first byte of gzip's magic number; nothing else starts with it.
	if (c === 0x1f) return new SnapshotFormatError('not JSON: the data starts with byte 0x1f (gzip-compressed? decompress it first)');
	if (c === 0x5b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) {
		return new SnapshotFormatError('not a V8 heap snapshot: the JSON document is not an object with a "snapshot" header');
	}
	return new SnapshotFormatError(`not JSON: the data starts with ${describeByte(c)}`);
}

function describeByte(c: number): string {
	if (c >= 0x21 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
	return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

function printable(text: string): string {
	const clean = text.replace(/[^\x20-\x7e]/g, '?');
	return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
