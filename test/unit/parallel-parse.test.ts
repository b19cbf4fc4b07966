/**
 * The two-thread file parse (read-file.ts parseInTwoThreads + edge-section*.ts): the edges array parsed
 * by a second thread must give exactly the graph of the one-thread parse, and a bad file must end in
 * exactly the one-thread parse's error.
 */
import assert from 'node:assert/strict';
import {closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {findClosingBracket, findEdgeSection, parseEdgeSection} from '../../src/snapshot/edge-section.js';
import {SnapshotFormatError} from '../../src/snapshot/errors.js';
import {readHeader} from '../../src/snapshot/meta.js';
import {startShallowSizesJob} from '../../src/snapshot/edge-section-worker.js';
import {edgeWorkersStarted} from '../../src/snapshot/edge-threads.js';
import {analyzeGraph} from '../../src/snapshot/analysis.js';
import {computeShallowSizes} from '../../src/snapshot/shallow-size.js';
import {
	abandonBegunParse,
	beginParallelParse,
	hasBegunParse,
	parseSnapshotFile,
	parseSnapshotFileAsync,
	parseSnapshotFileInTwoThreads,
	prestartParallelParse,
} from '../../src/snapshot/read-file.js';
import {writeChildSnapshot} from '../helpers/child-snapshot.js';
import {assertSameGraph, buildSample, referenceGraph, sampleFixtures} from '../helpers/parser-fixtures.js';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';

const ALWAYS = {parallelMinBytes: 0};
const NEVER = {parallelMinBytes: Infinity};
/** The edges from the edge thread, however long it takes to start … */
const WAIT = {takeOver: 'never'} as const;
/** … or from this thread, after the rest (what happens when the edge thread is slow to start). */
const HERE = {takeOver: 'always'} as const;

/** The edges key and array rewritten with odd (but valid) whitespace: CRLF, tabs, spaces around commas. */
function oddWhitespace(json: string, key: string): string {
	return json.replace(/"edges":\[([^\]]*)\]/, (_m, body: string) => `${key}${body.replace(/,\n/g, ' ,\r\n\t').replace(/,(?=\d)/g, ', ')} \n]`);
}

/** A builder heap big enough for several chunks of `parseEdgeSection`'s small test buffers. */
function biggerSample(): string {
	const b = new SnapshotBuilder();
	let previous = b.root;
	for (let i = 0; i < 300; i++) {
		const n = b.node(i % 3 ? 'object' : 'closure', `Thing${i % 17}`, {selfSize: 8 * i});
		b.edge(previous, n, i % 2 ? 'property' : 'element', i % 2 ? `p${i}` : i);
		if (i > 10) b.edge(n, (i * 7919) % i + 1, 'internal', 'back');
		previous = n;
	}
	return b.toJson();
}

describe('two-thread file parse', () => {
	let dir: string;
	const files = new Map<string, string>();
	const write = (name: string, text: string) => {
		const path = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.heapsnapshot`);
		writeFileSync(path, text);
		files.set(name, path);
		return path;
	};

	before(() => {
		dir = mkdtempSync(join(tmpdir(), 'heaptop-parallel-'));
		for (const fixture of sampleFixtures()) write(fixture.name, fixture.json);
		const plain = buildSample().toJson();
		write('spaces around the key', oddWhitespace(plain, '"edges" : [ '));
		write('newlines and tabs around the key', oddWhitespace(plain, '"edges"\r\n\t:\n\n\t[\r\n'));
		write('no whitespace at all', plain.replace(/\n/g, ''));
		write('bigger heap', biggerSample());
	});
	after(() => rmSync(dir, {recursive: true, force: true}));

	// (Each two-thread parse starts a worker, which takes a few hundred ms from TypeScript sources.)
	it('gives the one-thread graph, array for array, for every builder layout and whitespace', () => {
		for (const [name, path] of files) {
			const expected = parseSnapshotFile(path, NEVER);
			assertSameGraph(expected, referenceGraph(readFileSync(path, 'utf8')), `${name}: the one-thread parse`);
			const twoThreads = parseSnapshotFileInTwoThreads(path, {}, WAIT);
			assert.ok(twoThreads, `${name}: the two-thread parse gave up`);
			assertSameGraph(twoThreads, expected, name);
			assert.ok(twoThreads.edgeTo.buffer instanceof SharedArrayBuffer, 'the edges came from the edge thread');
			const tookOver = parseSnapshotFileInTwoThreads(path, {}, HERE);
			assert.ok(tookOver, `${name}: the two-thread parse gave up when taking the edges over`);
			assertSameGraph(tookOver, expected, `${name}, edges taken over`);
		}
	});

	it('is what parseSnapshotFile and parseSnapshotFileAsync use from parallelMinBytes on', async () => {
		const path = files.get('bigger heap')!;
		const expected = parseSnapshotFile(path, NEVER);
		assertSameGraph(parseSnapshotFile(path, ALWAYS), expected, 'parseSnapshotFile');
		assertSameGraph(await parseSnapshotFileAsync(path, ALWAYS), expected, 'parseSnapshotFileAsync');
		const size = statSync(path).size;
		assert.ok(parseSnapshotFile(path, {parallelMinBytes: size + 1}).edgeTo.buffer instanceof ArrayBuffer, 'below the threshold: one thread');
	});

	it('finds and parses the edges array on its own, whatever the read size', () => {
		const path = files.get('bigger heap')!;
		const expected = parseSnapshotFile(path, NEVER);
		const text = readFileSync(path, 'latin1');
		const header = readHeader(JSON.parse(text.slice(text.indexOf(':') + 1, text.indexOf('},\n"nodes"') + 1)).valueOf());
		const open = text.indexOf('"edges":[') + '"edges":['.length;
		// the largest string index naming an edge (element and hidden edges are named by numbers)
		let maxStringName = -1;
		for (let e = 0; e < expected.edgeCount; e++) {
			const type = expected.edgeTypeNames[expected.edgeType[e]!];
			if (type !== 'element' && type !== 'hidden') maxStringName = Math.max(maxStringName, expected.edgeName[e]!);
		}
		assert.ok(maxStringName > 0 && maxStringName < expected.strings.length);
		const fd = openSync(path, 'r');
		try {
			for (const size of [7, 8, 13, 64, 1000]) {
				const buffer = Buffer.alloc(size);
				assert.equal(findEdgeSection(fd, 0, text.length, buffer), open, `find, read size ${size}`);
				assert.equal(findEdgeSection(fd, open, text.length, buffer), -1, 'nothing past the key');
				const arrays = {edgeType: new Uint8Array(header.edge_count), edgeName: new Uint32Array(header.edge_count), edgeTo: new Uint32Array(header.edge_count)};
				const chunks: number[] = [];
				const result = parseEdgeSection(fd, header, open, text.length, arrays, bytes => chunks.push(bytes), buffer);
				assert.deepEqual(result, {start: open, end: text.indexOf(']', open) + 1, count: expected.edgeCount, maxStringName});
				assert.deepEqual(arrays, {edgeType: expected.edgeType, edgeName: expected.edgeName, edgeTo: expected.edgeTo}, `parse, read size ${size}`);
				assert.ok(chunks.length > 0 && chunks.every((bytes, i) => i === 0 || bytes > chunks[i - 1]!));
				assert.equal(findClosingBracket(fd, open, text.length, buffer), result.end);
			}
		} finally {
			closeSync(fd);
		}
	});

	it('reports progress that only grows and ends at the file size', () => {
		const path = files.get('bigger heap')!;
		for (const how of [WAIT, HERE]) {
			const calls: number[] = [];
			parseSnapshotFileInTwoThreads(path, {onProgress: (bytes, total) => {
				assert.equal(total, statSync(path).size);
				calls.push(bytes);
			}}, how);
			assert.ok(calls.every((bytes, i) => i === 0 || bytes >= calls[i - 1]!), how.takeOver);
			assert.equal(calls.at(-1), statSync(path).size, how.takeOver);
		}
	});

	it('stops with an AbortError when the signal is aborted', async () => {
		const path = files.get('bigger heap')!;
		const controller = new AbortController();
		assert.throws(() => parseSnapshotFile(path, {...ALWAYS, signal: controller.signal, onProgress: () => controller.abort()}), {name: 'AbortError'});
		await assert.rejects(parseSnapshotFileAsync(path, {...ALWAYS, signal: AbortSignal.abort()}), {name: 'AbortError'});
		const late = new AbortController();
		await assert.rejects(parseSnapshotFileAsync(path, {...ALWAYS, signal: late.signal, onProgress: () => late.abort()}), {name: 'AbortError'});
	});

	describe('a bad file gives the one-thread parse\'s error', () => {
		const good = buildSample().toJson();
		const edgesAt = good.indexOf('"edges":[');
		const edgesEnd = good.indexOf(']', edgesAt);
		const mid = Math.floor((edgesAt + edgesEnd) / 2);
		const digitInEdges = edgesAt + good.slice(edgesAt).search(/\d/) + 5;
		const header = JSON.parse(good.slice(good.indexOf(':') + 1, good.indexOf(',\n"nodes"'))) as {edge_count: number; node_count: number};
		const withHeader = (change: Record<string, number>) => good.replace(/"node_count":\d+,"edge_count":\d+/, `"node_count":${change.node_count ?? header.node_count},"edge_count":${change.edge_count ?? header.edge_count}`);
		const cases: Array<[string, string]> = [
			['truncated inside the edges array', good.slice(0, mid)],
			['truncated right after "edges":[', good.slice(0, edgesAt + 9)],
			['truncated after the edges array', good.slice(0, edgesEnd + 3)],
			['a letter among the edges', `${good.slice(0, mid)}x${good.slice(mid + 1)}`],
			['a digit replaced by a space among the edges', `${good.slice(0, digitInEdges)} ${good.slice(digitInEdges + 1)}`],
			['a stray ] inside the edges', `${good.slice(0, mid)}]${good.slice(mid + 1)}`],
			['one edge more than the header says', withHeader({edge_count: header.edge_count - 1})],
			['one edge fewer than the header says', withHeader({edge_count: header.edge_count + 1})],
			['far more edges in the header than the file could hold', withHeader({edge_count: 10_000_000})],
			['more nodes in the header than in the array', withHeader({node_count: header.node_count + 1})],
			['fewer nodes in the header than in the array', withHeader({node_count: header.node_count - 1})],
			['an edge pointing past the last node', good.replace(/("edges":\[\d+,\d+,)\d+/, '$1999999')],
			['no edges section', good.replace('"edges":', '"edgez":')],
			['an edge named by a string past the strings', `${good.slice(0, edgesAt)}${good.slice(edgesAt).replace(/\n2,\d+,/, '\n2,99999,')}`],
			['a node named by a string past the strings', good.replace(/("nodes":\[\d+,)\d+/, '$199999')],
		];
		for (const [name, text] of cases) {
			it(name, async () => {
				const path = join(dir, `bad-${name.replace(/[^a-z0-9]+/gi, '-')}.heapsnapshot`);
				writeFileSync(path, text);
				const error = (() => {
					try {
						parseSnapshotFile(path, NEVER);
					} catch (e) {
						return e as Error;
					}
					assert.fail('the one-thread parse accepted the file');
				})();
				assert.ok(error instanceof SnapshotFormatError);
				assert.ok(!error.message.includes('\n'), 'one line');
				assert.equal(parseSnapshotFileInTwoThreads(path, {}, WAIT), null, 'the two-thread parse gives up');
				assert.equal(parseSnapshotFileInTwoThreads(path, {}, HERE), null, 'the two-thread parse gives up (edges taken over)');
				await assert.rejects(parseSnapshotFileAsync(path, ALWAYS), {name: 'SnapshotFormatError', message: error.message});
			});
		}
	});
});

describe('two-thread file parse of a real heap snapshot', () => {
	const CHILD = `
class HeaptopParallelProbe { constructor(i) { this.index = i; this.tags = ['t' + (i % 7)]; } }
globalThis.keep = Array.from({length: 20000}, (_, i) => new HeaptopParallelProbe(i));
require('v8').writeHeapSnapshot(process.argv[1]);
`;
	let dir: string;
	let file: string;
	before(() => {
		({dir, file} = writeChildSnapshot(CHILD, 'heaptop-parallel-real-', 'real.heapsnapshot'));
	});
	after(() => rmSync(dir, {recursive: true, force: true}));

	it('equals the one-thread graph and the JSON.parse reference, array for array', async () => {
		assert.ok(statSync(file).size > 3 << 20, 'several chunks for each thread');
		const expected = parseSnapshotFile(file, NEVER);
		assertSameGraph(expected, referenceGraph(readFileSync(file, 'latin1')));
		const twoThreads = parseSnapshotFileInTwoThreads(file, {}, WAIT);
		assert.ok(twoThreads, 'the two-thread parse gave up');
		assertSameGraph(twoThreads, expected);
		assert.ok(twoThreads.edgeTo.buffer instanceof SharedArrayBuffer, 'the edges came from the edge thread');
		assertSameGraph(parseSnapshotFileInTwoThreads(file, {}, HERE)!, expected);
		assertSameGraph(await parseSnapshotFileAsync(file, ALWAYS), expected);
	});

	it('announced files each get a fresh thread, started ahead: the first before the parse, the next when the previous retires', async () => {
		await new Promise(resolve => setImmediate(resolve)); // a thread kept after an earlier parse retires now
		const expected = parseSnapshotFile(file, NEVER);
		const started = edgeWorkersStarted();
		prestartParallelParse([file, join(dir, 'missing.heapsnapshot'), file], ALWAYS);
		assert.equal(edgeWorkersStarted(), started + 1, 'started ahead, once for the two big files');
		for (const round of [1, 2]) {
			// as heaptop analyze goes: the parse, then the shallow sizes on the same thread, which then retires
			const graph = parseSnapshotFileInTwoThreads(file, {}, WAIT);
			assert.ok(graph?.edgeTo.buffer instanceof SharedArrayBuffer, `file ${round}: the edges came from the edge thread`);
			assertSameGraph(graph, expected, `file ${round}`);
			assert.equal(edgeWorkersStarted(), started + round, `file ${round} used the thread started ahead for it`);
			assert.ok(startShallowSizesJob(graph)?.result(), `file ${round}: shallow sizes from the same thread`);
		}
		assert.equal(edgeWorkersStarted(), started + 2, 'after the last announced file no thread is started ahead');
		assertSameGraph(parseSnapshotFileInTwoThreads(file, {}, WAIT)!, expected, 'an unannounced file');
		assert.equal(edgeWorkersStarted(), started + 3, 'an unannounced file starts its thread itself');
		await new Promise(resolve => setImmediate(resolve));
		prestartParallelParse([file], NEVER);
		assert.equal(edgeWorkersStarted(), started + 3, 'files below the threshold start nothing');
	});

	it('a parse begun ahead hands the edges to the thread at once; the parse of that file carries on from it', async () => {
		await new Promise(resolve => setImmediate(resolve));
		const expected = parseSnapshotFile(file, NEVER);
		const started = edgeWorkersStarted();
		prestartParallelParse([file], ALWAYS);
		beginParallelParse(file, ALWAYS);
		assert.ok(hasBegunParse(file));
		assert.equal(edgeWorkersStarted(), started + 1, 'the begun parse took the thread started ahead');
		const graph = parseSnapshotFile(file, ALWAYS);
		assert.ok(graph.edgeTo.buffer instanceof SharedArrayBuffer, 'the edges came from the edge thread');
		assertSameGraph(graph, expected);
		assert.equal(hasBegunParse(file), false, 'taken by the parse');
		assert.equal(edgeWorkersStarted(), started + 1, 'no other thread');

		// begun for one file, then another parsed: dropped, and the other parses as usual
		await new Promise(resolve => setImmediate(resolve));
		const copy = join(dir, 'copy.heapsnapshot');
		copyFileSync(file, copy);
		beginParallelParse(file, ALWAYS);
		assertSameGraph(parseSnapshotFile(copy, ALWAYS), expected, 'another file');
		assert.equal(hasBegunParse(file), false, 'dropped by the parse of another file');
		beginParallelParse(file, ALWAYS);
		abandonBegunParse();
		assert.equal(hasBegunParse(file), false, 'dropped on request');
		assertSameGraph(parseSnapshotFile(file, ALWAYS), expected, 'after a dropped one');

		// nothing begun for what cannot be a two-thread parse, and no error either
		const notSnapshot = join(dir, 'not-a-snapshot.heapsnapshot');
		writeFileSync(notSnapshot, 'hello, this is no heap snapshot\n'.repeat(1000));
		for (const [path, options, why] of [
			[join(dir, 'missing.heapsnapshot'), ALWAYS, 'a missing file'],
			[notSnapshot, ALWAYS, 'not a snapshot'],
			[file, NEVER, 'a file below the threshold'],
		] as const) {
			beginParallelParse(path, options);
			assert.equal(hasBegunParse(path), false, why);
		}
	});

	it('its second thread then computes the shallow sizes, the same as this thread would, and is ended after', async () => {
		await new Promise(resolve => setImmediate(resolve));
		const oneThread = parseSnapshotFile(file, NEVER);
		assert.equal(startShallowSizesJob(oneThread), null, 'no kept thread: the caller computes them');
		const graph = parseSnapshotFileInTwoThreads(file, {}, WAIT)!;
		assert.ok(graph.nodeType.buffer instanceof SharedArrayBuffer && graph.firstEdge.buffer instanceof SharedArrayBuffer, 'shared node columns');
		assert.equal(startShallowSizesJob(oneThread), null, 'a graph whose columns are not shared is not sent');
		const job = startShallowSizesJob(graph);
		assert.ok(job, 'the thread kept after the parse takes the job');
		assert.equal(job.sizesBuffer(), null, 'nothing is free before the sizes are taken');
		const sizes = job.result();
		assert.ok(sizes?.buffer instanceof SharedArrayBuffer);
		assert.equal(sizes, graph.nodeSelfSize, 'the sizes are copied into the graph\'s own column');
		assert.deepEqual(sizes, computeShallowSizes(oneThread));
		const free = job.sizesBuffer();
		assert.ok(free && free.length === graph.nodeCount + 1 && free.buffer instanceof SharedArrayBuffer, 'no tree asked for: the buffer the sizes came in is free (n + 1 slots)');
		assert.equal(startShallowSizesJob(graph), null, 'the thread is not kept after the job (no more files announced)');

		// through the analysis, as the engine host and the bench use it: the same summary either way, and
		// for retained sizes the same shortest-path tree, built on that thread
		const again = parseSnapshotFileInTwoThreads(file, {}, WAIT)!;
		let asked = 0;
		const analysis = analyzeGraph(again, {shallowSizesElsewhere: (g, paths) => (asked++, startShallowSizesJob(g, paths))});
		const withThread = analysis.summary({retained: true});
		assert.equal(asked, 1);
		const alone = analyzeGraph(oneThread);
		assert.deepEqual(withThread, alone.summary({retained: true}));
		assert.ok(analysis.shortestPaths().parentEdge.buffer instanceof SharedArrayBuffer, 'the tree came from the thread');
		assert.deepEqual(Array.from(analysis.shortestPaths().parentEdge), Array.from(alone.shortestPaths().parentEdge));
		assert.deepEqual(analysis.classRetainers('HeaptopParallelProbe'), alone.classRetainers('HeaptopParallelProbe'));

		// an unused kept thread is ended once the event loop turns
		parseSnapshotFileInTwoThreads(file, {}, WAIT);
		await new Promise(resolve => setImmediate(resolve));
		assert.equal(startShallowSizesJob(graph), null);
	});

	it('a truncated copy or a bad byte in its edges gives the one-thread error', () => {
		const text = readFileSync(file, 'latin1');
		const open = text.indexOf('"edges":[');
		const close = text.indexOf(']', open);
		const at = open + Math.floor((close - open) * 0.7);
		for (const [name, bad] of [['truncated', text.slice(0, at)], ['bad byte', `${text.slice(0, at)}?${text.slice(at + 1)}`]]) {
			const path = join(dir, `${name}.heapsnapshot`);
			writeFileSync(path, bad!, 'latin1');
			let message = '';
			assert.throws(() => parseSnapshotFile(path, NEVER), (e: Error) => (message = e.message, e instanceof SnapshotFormatError));
			assert.equal(parseSnapshotFileInTwoThreads(path, {}, WAIT), null);
			assert.equal(parseSnapshotFileInTwoThreads(path, {}, HERE), null);
			assert.throws(() => parseSnapshotFile(path, ALWAYS), {name: 'SnapshotFormatError', message});
			beginParallelParse(path, ALWAYS);
			assert.ok(hasBegunParse(path), `${name}: its header reads fine`);
			assert.throws(() => parseSnapshotFile(path, ALWAYS), {name: 'SnapshotFormatError', message}, `${name}, begun ahead`);
		}
	});
});
