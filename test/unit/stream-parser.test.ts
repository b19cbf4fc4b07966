import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {SnapshotFormatError} from '../../src/snapshot/errors.js';
import {resolveLayout, type SnapshotMeta} from '../../src/snapshot/meta.js';
import {SnapshotParser} from '../../src/snapshot/stream-parser.js';
import {allStrings, assertSameGraph, buildSample, comparable, parseChunked, referenceGraph, sampleFixtures, withExtraNativeBytes} from '../helpers/parser-fixtures.js';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';

describe('SnapshotParser: equal to JSON.parse at every chunk size', () => {
	for (const fixture of sampleFixtures()) {
		it(`${fixture.name}: Buffer chunks of 1 … ${Buffer.byteLength(fixture.json)} bytes`, () => {
			const expected = referenceGraph(fixture.json);
			const bytes = Buffer.from(fixture.json, 'utf8');
			for (let size = 1; size <= bytes.length; size++) {
				assertSameGraph(parseChunked(bytes, size), expected, `chunk size ${size}`);
			}
		});
		it(`${fixture.name}: string chunks (as CDP delivers them) of 1 … ${fixture.json.length} characters`, () => {
			const expected = referenceGraph(fixture.json);
			for (let size = 1; size <= fixture.json.length; size++) {
				assertSameGraph(parseChunked(fixture.json, size), expected, `chunk size ${size}`);
			}
		});
	}

	it('takes raw control characters inside strings as they are, at every chunk size', () => {
		// Not strict JSON, but nothing forbids a writer from putting them there; the parser reads each
		// string's bytes as they are.
		const json = buildSample().toJson().replace('"strings":["",', '"strings":["","a\ttab","a\nnewline","after",');
		const expected = allStrings(parseChunked(json, 1).strings);
		assert.ok(expected.includes('a\ttab') && expected.includes('a\nnewline') && expected.includes('after'));
		for (const size of [7, 64, 4096, json.length]) assert.deepEqual(allStrings(parseChunked(json, size).strings), expected, `chunk size ${size}`);
	});

	it('reads what the builder put in: names, unicode, escapes, big self sizes, extra_native_bytes', () => {
		const json = withExtraNativeBytes(buildSample({layout: 'node24'}).toJson(), 777);
		const graph = parseChunked(Buffer.from(json), 5);
		assert.equal(graph.extraNativeBytes, 777);
		const strings = allStrings(graph.strings);
		assert.ok(strings.includes('both \\" and "\\'));
		assert.ok(strings.includes('emoji 😀 and 🚀'));
		assert.ok(strings.includes(''));
		assert.ok(Array.from(graph.nodeSelfSize).includes(6_000_000_000));
		assert.ok(graph.nodeSelfSize instanceof Float64Array, 'a size of 4 GiB or more widens the column');
		const small = parseChunked(Buffer.from(new SnapshotBuilder().toJson()), 7);
		assert.ok(small.nodeSelfSize instanceof Uint32Array, 'sizes below 4 GiB are kept in 32 bits');
		// in file order (closure, global, context, global again), object indexes turned into node ordinals
		assert.equal(graph.locations!.count, 4);
		assert.deepEqual(Array.from(graph.locations!.entries), [29, 12, 40, 7, 1, 3, 0, 0, 30, 12, 41, 2, 1, 4, 1, 1]);
		assert.equal(graph.firstEdge[graph.nodeCount], graph.edgeCount);
	});

	it('accepts sections in any order after the header, pretty-printed, with unknown and nested sections skipped', () => {
		const object = buildSample().toObject();
		const reordered = {
			snapshot: object.snapshot,
			strings: object.strings,
			locations: object.locations,
			unknown_future_section: {nested: [[1, {a: '] } " \\ ['}], 'x'], flag: true},
			trace_tree: [1, 2, [3, [4, [5]]]],
			edges: object.edges,
			samples: [],
			scalar: -1.5e3,
			nothing: null,
			nodes: object.nodes,
		};
		const json = JSON.stringify(reordered, null, 2);
		const expected = comparable(referenceGraph(JSON.stringify(object)));
		for (const size of [1, 3, 64, json.length]) {
			assert.deepEqual(comparable(parseChunked(Buffer.from(json), size)), expected);
		}
	});

	it('gives locations: null when the snapshot has none, and handles an empty heap', () => {
		const b = new SnapshotBuilder();
		const graph = parseChunked(b.toJson(), 2);
		assert.equal(graph.locations, null);
		assert.equal(graph.nodeCount, 1);
		assert.equal(graph.edgeCount, 0);
		assert.deepEqual(Array.from(graph.firstEdge), [0, 0]);
	});

	it('grows its arrays when the input size is unknown, and preallocates exactly when it is known', () => {
		const b = new SnapshotBuilder();
		for (let i = 0; i < 3000; i++) b.edge(b.root, b.node('object', `O${i % 7}`), 'element', i);
		const json = b.toJson();
		const expected = comparable(referenceGraph(json));
		assert.deepEqual(comparable(parseChunked(Buffer.from(json), 997)), expected);
		assert.deepEqual(comparable(parseChunked(Buffer.from(json), 997, {totalBytes: json.length})), expected);
	});

	it('reports progress and bytesRead per write', () => {
		const json = buildSample().toJson();
		const seen: Array<{bytes: number; section: string}> = [];
		const parser = new SnapshotParser({onProgress: p => seen.push(p)});
		for (let i = 0; i < json.length; i += 100) parser.write(json.slice(i, i + 100));
		parser.end();
		assert.equal(parser.bytesRead, Buffer.byteLength(json));
		assert.equal(seen.at(-1)!.bytes, Buffer.byteLength(json));
		assert.equal(seen.at(-1)!.section, 'done');
		const sections = new Set(seen.map(p => p.section));
		for (const section of ['nodes', 'edges', 'strings']) assert.ok(sections.has(section), section);
	});
});

describe('SnapshotParser: bad input gives one clear SnapshotFormatError', () => {
	const good = buildSample().toJson();
	const object = buildSample().toObject() as {snapshot: {node_count: number; edge_count: number; meta: SnapshotMeta}; nodes: number[]; edges: number[]};
	const nodeFields = object.snapshot.meta.node_fields.length;

	const cases: Array<[string, string | Uint8Array, RegExp]> = [
		['empty input', '', /^empty input/],
		['only whitespace', ' \n\t ', /^empty input/],
		['not JSON', 'hello world', /^not JSON: the data starts with 'h'/],
		['binary garbage', new Uint8Array([0, 1, 2, 3]), /^not JSON: the data starts with byte 0x00/],
		['gzip', new Uint8Array([0x1f, 0x8b, 8, 0]), /byte 0x1f \(gzip-compressed\? decompress it first\)/],
		['JSON array', '[1,2,3]', /^not a V8 heap snapshot/],
		['empty object', '{}', /no "snapshot" header/],
		['JSON without a snapshot header', '{"nodes":[1,2,3],"strings":[]}', /^not a V8 heap snapshot: no "snapshot" header/],
		['header not an object', '{"snapshot":[1]}', /"snapshot" header is not an object/],
		['header not JSON', '{"snapshot":{"meta":{,}},"nodes":[]}', /header is not valid JSON/],
		['header without meta', '{"snapshot":{"node_count":1,"edge_count":0}}', /no "meta" block/],
		['header without counts', good.replace(/"node_count":\d+,/, ''), /header has no node_count/],
		['negative count', good.replace(/"node_count":\d+/, '"node_count":-4'), /node_count is not a count/],
		['meta missing a field', good.replace('"self_size",', ''), /meta\.node_fields has no "self_size" field/],
		['meta without type names', good.replace(/"edge_types":\[\[[^\]]*\]/, '"edge_types":["x"'), /edge_types has no list of type names/],
		['truncated in the header', good.slice(0, 40), /ends in the middle of the "snapshot" header \(truncated\?\)/],
		['truncated in nodes', good.slice(0, good.indexOf('"edges"') - 10), /ends in the middle of the nodes section \(truncated\?\)/],
		['truncated in edges', good.slice(0, good.indexOf('"trace_function_infos"') - 10), /ends in the middle of the edges section \(truncated\?\)/],
		['truncated in locations', good.slice(0, good.indexOf('"strings"') - 5), /ends in the middle of the locations section \(truncated\?\)/],
		['truncated in strings', good.slice(0, good.length - 10), /ends in the middle of the strings section \(truncated\?\)/],
		['truncated before the closing brace', good.slice(0, -1), /ends after the strings section, before the end of the document \(truncated\?\)/],
		['truncated in a skipped section', good.slice(0, good.indexOf('"trace_tree"') + 14), /ends in the middle of the trace_tree section/],
		['header count larger than the data', good.replace(/"node_count":(\d+)/, (_, n) => `"node_count":${Number(n) + 1}`), new RegExp(`^header says ${object.snapshot.node_count + 1} nodes but the nodes array holds ${object.snapshot.node_count}$`)],
		['header count smaller than the data', good.replace(/"node_count":(\d+)/, (_, n) => `"node_count":${Number(n) - 1}`), new RegExp(`^header says ${object.snapshot.node_count - 1} nodes but the nodes array holds more`)],
		['edge count disagrees', good.replace(/"edge_count":(\d+)/, (_, n) => `"edge_count":${Number(n) + 3}`), /edges but the edges array holds|edge_count fields add up/],
		['node edge_count fields disagree', JSON.stringify({...object, nodes: object.nodes.map((v, i) => (i === 4 ? v + 1 : v))}), /edge_count fields add up to/],
		['a node field count that does not divide', JSON.stringify({...object, nodes: [...object.nodes, 3]}), new RegExp(`not a multiple of the ${nodeFields} node fields`)],
		['edge to a non-node index', JSON.stringify({...object, edges: object.edges.map((v, i) => (i === 2 ? v + 1 : v))}), /edge 0 points to \d+, which is not the index of one of the header's \d+ nodes/],
		['edge beyond the last node', JSON.stringify({...object, edges: object.edges.map((v, i) => (i === 2 ? object.snapshot.node_count * nodeFields : v))}), /edge 0 points to/],
		['a letter among the nodes', good.replace('"nodes":[9', '"nodes":[9x'), /unexpected 'x' in the nodes section/],
		['a negative number', good.replace('"edges":[', '"edges":[-'), /unexpected '-' in the edges section/],
		['a fraction', good.replace('"nodes":[9,', '"nodes":[9.5,'), /unexpected '\.' in the nodes section/],
		['two numbers without a comma', good.replace('"nodes":[9,', '"nodes":[9 1,'), /two numbers without a comma/],
		['a missing number', good.replace('"nodes":[9,', '"nodes":[9,,'), /a missing number/],
		['a trailing comma', good.replace(/\]\],\n"edges"/, ',],\n"edges"').replace(/(\d)\],\n"edges"/, '$1,],\n"edges"'), /a missing number/],
		['nodes not an array', good.replace(/"nodes":\[/, '"nodes":{"x":[').replace(/\],\n"edges"/, ']},\n"edges"'), /the "nodes" section is not an array/],
		['a section twice', good.replace('"samples":[]', '"nodes":[]'), /the "nodes" section appears twice/],
		['no strings section', good.replace(/,\n"strings":\[[^]*\]\}$/, '}'), /has no "strings" section/],
		['a name outside the strings', good.replace(/"strings":\["",/, '"strings":['), /named by string \d+ but there are only \d+ strings/],
		['a node type beyond the type list', good.replace('"nodes":[9,', '"nodes":[99,'), /node 0 has a field out of range/],
		['an invalid escape in a string', good.replace('"strings":["",', '"strings":["bad \\q escape",'), /string 0 in the strings section has an invalid escape sequence/],
		['an invalid escape in a later string', good.replace('"strings":["",', '"strings":["","fine","bad \\q escape",'), /string 2 in the strings section has an invalid escape sequence/],
		['a number in the strings', good.replace('"strings":["",', '"strings":[42,'), /unexpected '4' in the strings section/],
		['data after the end', `${good}x`, /unexpected 'x' after the end of the snapshot/],
		['a non-value in a skipped section', good.replace('"samples":[]', '"samples":]'), /unexpected '\]' as the value of "samples"/],
	];

	for (const [name, input, message] of cases) {
		it(name, () => {
			for (const size of [1, 7, 4096]) {
				const parse = () => parseChunked(input, size);
				assert.throws(parse, (error: unknown) => {
					assert.ok(error instanceof SnapshotFormatError, `a SnapshotFormatError, got ${String(error)}`);
					assert.match(error.message, message);
					return true;
				}, `chunk size ${size}`);
			}
		});
	}

	it('the message says where the bad byte is', () => {
		const at = good.indexOf('"nodes":[9') + 10;
		assert.throws(() => parseChunked(good.replace('"nodes":[9', '"nodes":[9x'), 100), new RegExp(`at byte ${at}\\)$`));
	});

	it('a hostile node_count in a stream costs address space up to a cap, not memory', () => {
		const hostile = good.replace(/"node_count":\d+/, '"node_count":4000000000');
		const before = process.memoryUsage();
		const parser = new SnapshotParser();
		parser.write(hostile);
		const after = process.memoryUsage();
		const reserved = after.arrayBuffers - before.arrayBuffers;
		// 2^27 nodes at 17 bytes and as many locations at 16 (or, where the system refuses that, a small start)
		assert.ok(reserved < 2 ** 27 * 33 + 64 * 1024 * 1024, `reserved ${reserved} bytes`);
		assert.ok(after.rss - before.rss < 64 * 1024 * 1024, `resident memory grew by ${after.rss - before.rss} bytes`);
		assert.throws(() => parser.end(), /^SnapshotFormatError: header says 4000000000 nodes but the nodes array holds \d+$/);
	});

	it('a stream reserves the header\'s counts at once: no array is copied to grow', () => {
		// (more than the 1 M records a stream used to start from; the capacity is private, hence the cast)
		const claimed = good.replace(/"node_count":\d+/, '"node_count":3000000');
		const parser = new SnapshotParser();
		parser.write(claimed.slice(0, claimed.indexOf('"nodes":[') + 10));
		assert.equal((parser as unknown as {nodeCapacity: number}).nodeCapacity, 3_000_000);
		const graph = parseChunked(good, 64);
		assert.equal(graph.nodeType.length, graph.nodeCount, 'an honest header: the columns are exactly the count');
	});

	it('a hostile count with a known input size allocates for the input only', () => {
		const hostile = good.replace(/"edge_count":\d+/, '"edge_count":4000000000');
		const before = process.memoryUsage().arrayBuffers;
		const parser = new SnapshotParser({totalBytes: hostile.length});
		parser.write(hostile);
		assert.ok(process.memoryUsage().arrayBuffers - before < 1024 * 1024);
		assert.throws(() => parser.end(), /header says 4000000000 edges but the edges array holds/);
	});

	it('stays failed after an error, and refuses use after end()', () => {
		const parser = new SnapshotParser();
		assert.throws(() => parser.write('xyz'), SnapshotFormatError);
		assert.throws(() => parser.write(good), /not JSON/);
		assert.throws(() => parser.end(), /not JSON/);

		const done = new SnapshotParser();
		done.write(good);
		done.end();
		assert.throws(() => done.write('{'), /write\(\) after end\(\)/);
		assert.throws(() => done.end(), /end\(\) called twice/);
	});
});

describe('resolveLayout', () => {
	it('resolves offsets by name, whatever the order', () => {
		const meta = (buildSample({shuffledFields: true}).toObject() as {snapshot: {meta: SnapshotMeta}}).snapshot.meta;
		const layout = resolveLayout(meta);
		assert.equal(layout.nodeFieldCount, 7);
		assert.equal(layout.nodeTypeOffset, 6);
		assert.equal(layout.nodeEdgeCountOffset, 2);
		assert.equal(layout.edgeToNodeOffset, 0);
		assert.equal(layout.edgeTypeOffset, 2);
		assert.equal(layout.nodeTypeNames[3], 'object');
		assert.equal(layout.edgeTypeNames[6], 'weak');
	});

	it('reads the Node 24 layout and defaults location fields when absent', () => {
		const meta = (buildSample({layout: 'node24'}).toObject() as {snapshot: {meta: SnapshotMeta}}).snapshot.meta;
		delete meta.location_fields;
		const layout = resolveLayout(meta);
		assert.equal(layout.nodeFieldCount, 6);
		assert.equal(layout.locationFieldCount, 4);
		assert.equal(layout.locationLineOffset, 2);
	});

	it('rejects a meta block without the fields it needs', () => {
		const meta = (buildSample().toObject() as {snapshot: {meta: SnapshotMeta}}).snapshot.meta;
		assert.throws(() => resolveLayout({...meta, edge_fields: ['type', 'name_or_index']}), /edge_fields has no "to_node" field/);
		assert.throws(() => resolveLayout({...meta, node_fields: 'type' as never}), /node_fields is not a list of field names/);
	});
});
