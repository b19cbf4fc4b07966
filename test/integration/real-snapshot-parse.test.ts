/**
 * A real V8 heap snapshot, written by a child Node process, read by parseSnapshotFile and compared with
 * the JSON.parse reference; plus the file-level errors and options of read-file.ts.
 */
import assert from 'node:assert/strict';
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {SnapshotFormatError} from '../../src/snapshot/errors.js';
import {typeIds, type HeapGraph} from '../../src/snapshot/graph.js';
import {parseSnapshotFile, parseSnapshotFileAsync} from '../../src/snapshot/read-file.js';
import {writeChildSnapshot} from '../helpers/child-snapshot.js';
import {assertSameGraph, parseChunked, referenceGraph} from '../helpers/parser-fixtures.js';

const PROBES = 5000;
const CHILD = `
class HeaptopParseProbe { constructor(i) { this.index = i; this.label = 'probe-' + (i % 10); } }
globalThis.keep = Array.from({length: ${PROBES}}, (_, i) => new HeaptopParseProbe(i));
globalThis.keepMap = new Map(globalThis.keep.map(p => [p.index, () => p]));
require('v8').writeHeapSnapshot(process.argv[1]);
`;

describe('parsing a real heap snapshot', () => {
	let dir: string;
	let file: string;
	let text: string;
	let graph: HeapGraph;

	before(() => {
		({dir, file} = writeChildSnapshot(CHILD, 'heaptop-parse-', 'probe.heapsnapshot'));
		text = readFileSync(file, 'latin1'); // V8 writes pure ASCII
		graph = parseSnapshotFile(file);
	});
	after(() => rmSync(dir, {recursive: true, force: true}));

	it('equals the JSON.parse reference, array for array', () => {
		assertSameGraph(graph, referenceGraph(text));
		assert.ok(graph.nodeCount > PROBES && graph.edgeCount > graph.nodeCount);
		assert.ok(graph.locations !== null && graph.locations.count > 0);
	});

	it(`finds the ${PROBES} HeaptopParseProbe objects`, () => {
		const {object} = typeIds(graph.nodeTypeNames, ['object'] as const);
		const name = graph.strings.indexOf('HeaptopParseProbe');
		let count = 0;
		for (let n = 0; n < graph.nodeCount; n++) if (graph.nodeType[n] === object && graph.nodeName[n] === name) count++;
		assert.equal(count, PROBES);
	});

	it('gives the same graph from CDP-sized string chunks and from the async reader', async () => {
		assertSameGraph(parseChunked(text, 102_400), graph);
		assertSameGraph(await parseSnapshotFileAsync(file), graph);
	});

	it('reports progress per chunk up to the file size', () => {
		const size = statSync(file).size;
		const calls: number[] = [];
		parseSnapshotFile(file, {onProgress: (bytes, total) => {
			assert.equal(total, size);
			calls.push(bytes);
		}});
		assert.equal(calls.at(-1), size);
		assert.equal(calls.length, Math.ceil(size / (1 << 20)));
	});

	it('stops with an AbortError when the signal is aborted', async () => {
		const controller = new AbortController();
		let chunks = 0;
		assert.throws(() => parseSnapshotFile(file, {signal: controller.signal, onProgress: () => {
			if (++chunks === 1) controller.abort();
		}}), {name: 'AbortError'});
		assert.equal(chunks, 1);
		await assert.rejects(parseSnapshotFileAsync(file, {signal: AbortSignal.abort()}), {name: 'AbortError'});
	});

	it('a truncated copy of the file is a SnapshotFormatError that says so', () => {
		const cut = join(dir, 'cut.heapsnapshot');
		writeFileSync(cut, text.slice(0, Math.floor(text.length * 0.6)), 'latin1');
		assert.throws(() => parseSnapshotFile(cut), (error: unknown) =>
			error instanceof SnapshotFormatError && /ends in the middle of the (nodes|edges) section \(truncated\?\)/.test(error.message));
	});
});

describe('parseSnapshotFile: files that are not snapshots', () => {
	let dir: string;
	before(() => {
		dir = mkdtempSync(join(tmpdir(), 'heaptop-parse-'));
	});
	after(() => rmSync(dir, {recursive: true, force: true}));

	const expectFormatError = (path: string, message: RegExp) =>
		assert.throws(() => parseSnapshotFile(path), (error: unknown) => error instanceof SnapshotFormatError && message.test(error.message));

	it('a missing file', () => expectFormatError(join(dir, 'nope.heapsnapshot'), /^no such file$/));

	it('a directory', () => {
		mkdirSync(join(dir, 'sub'));
		expectFormatError(join(dir, 'sub'), /is a directory, not a heap snapshot file/);
	});

	it('an empty file', () => {
		writeFileSync(join(dir, 'empty.heapsnapshot'), '');
		expectFormatError(join(dir, 'empty.heapsnapshot'), /^the file is empty/);
	});

	it('an unreadable file', {skip: process.getuid?.() === 0 ? 'root can read anything' : false}, () => {
		const path = join(dir, 'secret.heapsnapshot');
		writeFileSync(path, '{}');
		chmodSync(path, 0o000);
		expectFormatError(path, /permission denied/);
	});

	it('a JSON file that is something else', () => {
		writeFileSync(join(dir, 'package.json'), JSON.stringify({name: 'x', version: '1.0.0'}));
		expectFormatError(join(dir, 'package.json'), /not a V8 heap snapshot: no "snapshot" header/);
	});
});
