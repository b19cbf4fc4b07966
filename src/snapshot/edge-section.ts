/**
 * The `edges` array of a .heapsnapshot file, found and parsed on its own (about 60 % of the file's bytes),
 * so that read-file.ts can have a second thread do it while the first parses everything else.
 *
 * Finding it without parsing the nodes first: the nodes array holds node_count × node-field-count numbers,
 * each at least one digit plus a separator, so the `"edges"` key cannot start before
 * headerEnd + 2 × that many bytes; and the nodes array itself holds only digits, commas and whitespace.
 * The first `"edges"` found from there is therefore the key, in any file the sequential parser accepts.
 * The caller still checks that both threads agree on where the array starts and ends (they must, or the
 * file is not what it seems and the sequential parser decides what is wrong with it).
 */
import {readSync} from 'node:fs';
import {SnapshotFormatError} from './errors.js';
import {maxStringEdgeName} from './graph.js';
import {resolveLayout, type SnapshotHeader} from './meta.js';
import {SnapshotParser, type ExternalEdges} from './stream-parser.js';

export interface EdgeSectionResult {
	/** File offset of the first byte inside the array (just past `[`). */
	start: number;
	/** File offset just past the array's closing `]`. */
	end: number;
	/** Edges the array holds (the header's edge_count when the arrays are full). */
	count: number;
	/**
	 * The largest name among edges named by a string index (all but element and hidden edges), -1 when
	 * there are none: the starting thread then checks them all against its strings in one comparison.
	 */
	maxStringName: number;
}

const CHUNK_BYTES = 1 << 20;
const KEY = Buffer.from('"edges"', 'latin1');

/**
 * The file offset just past the `[` of the `"edges": [` key found first at or after `from`, or -1 when
 * there is none, or when that first `"edges"` is not followed by `:` and `[` (whitespace allowed).
 * `onRead` is called after every read (a heartbeat: on a cold disk this can take seconds).
 */
export function findEdgeSection(fd: number, from: number, totalBytes: number, buffer: Buffer = Buffer.allocUnsafe(CHUNK_BYTES), onRead?: () => void): number {
	let position = from;
	while (position < totalBytes) {
		const n = readSync(fd, buffer, 0, buffer.length, position);
		onRead?.();
		if (n < KEY.length) return -1;
		const at = buffer.subarray(0, n).indexOf(KEY);
		if (at < 0) {
			position += n - (KEY.length - 1); // the key may straddle two reads
			continue;
		}
		return expectColonBracket(fd, position + at + KEY.length, totalBytes, buffer);
	}
	return -1;
}

/** From `position`: whitespace, `:`, whitespace, `[`; returns the offset just past `[`, or -1. */
function expectColonBracket(fd: number, position: number, totalBytes: number, buffer: Buffer): number {
	let colon = false;
	while (position < totalBytes) {
		const n = readSync(fd, buffer, 0, Math.min(buffer.length, 4096), position);
		if (n === 0) return -1;
		for (let i = 0; i < n; i++) {
			const c = buffer[i]!;
			if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
			if (!colon && c === 0x3a) colon = true;
			else if (colon && c === 0x5b) return position + i + 1;
			else return -1;
		}
		position += n;
	}
	return -1;
}

/**
 * Parses the edges array whose inside starts at file offset `start` into `arrays` (sized to the header's
 * edge_count), with the sequential parser's own loop and checks. Throws SnapshotFormatError as it would
 * (including "ends in the middle of the edges section" when the file ends first).
 * `onChunk(bytes, edges)` is told how many bytes of the section, and edges, are done after every chunk.
 */
export function parseEdgeSection(
	fd: number,
	header: SnapshotHeader,
	start: number,
	totalBytes: number,
	arrays: Omit<ExternalEdges, 'count'>,
	onChunk?: (bytes: number, edges: number) => void,
	buffer: Buffer = Buffer.allocUnsafe(CHUNK_BYTES),
): EdgeSectionResult {
	const parser = SnapshotParser.forEdgeSection(header, arrays, start);
	const {edgeTypeNames} = resolveLayout(header.meta);
	let maxStringName = -1;
	let position = start;
	while (position < totalBytes) {
		const n = readSync(fd, buffer, 0, buffer.length, position);
		if (n === 0) break;
		const named = parser.edgesParsed;
		const close = parser.writeEdgeSection(n === buffer.length ? buffer : buffer.subarray(0, n));
		// (the chunk's edges are still in cache)
		maxStringName = maxStringEdgeName(edgeTypeNames, arrays.edgeType, arrays.edgeName, named, parser.edgesParsed, maxStringName);
		if (close >= 0) return {start, end: position + close, count: parser.edgesParsed, maxStringName};
		position += n;
		onChunk?.(position - start, parser.edgesParsed);
	}
	throw new SnapshotFormatError('the snapshot ends in the middle of the edges section (truncated?)');
}

/**
 * The offset just past the first `]` at or after `from` (the end of the edges array when `from` is a
 * lower bound of it), or -1 if the file has none. Used by the thread that skips the array.
 */
export function findClosingBracket(fd: number, from: number, totalBytes: number, buffer: Buffer): number {
	let position = from;
	while (position < totalBytes) {
		const n = readSync(fd, buffer, 0, buffer.length, position);
		if (n === 0) return -1;
		const at = buffer.subarray(0, n).indexOf(0x5d);
		if (at >= 0) return position + at + 1;
		position += n;
	}
	return -1;
}
