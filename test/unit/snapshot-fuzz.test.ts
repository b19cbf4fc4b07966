/**
 * Damaged snapshots: whatever the bytes, the parser returns a consistent graph or throws a
 * SnapshotFormatError — never another error, never a hang. Seeded, so a failure names its replay seed.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {SnapshotFormatError} from '../../src/snapshot/errors.js';
import type {HeapGraph} from '../../src/snapshot/graph.js';
import {asciiEscaped, assertSameGraph, buildSample, parseChunked, prng, referenceGraph} from '../helpers/parser-fixtures.js';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';

const BASE = Buffer.from(asciiEscaped(buildSample().toJson()), 'latin1');
const UNICODE_BASE = Buffer.from(buildSample({layout: 'node24'}).toJson(), 'utf8');
/** Bytes that matter to the grammar, plus a few that do not. */
const INTERESTING = Buffer.from('0123456789,[]{}":\\ \nx-.eu\u00ff', 'latin1');

function outcome(input: Uint8Array, chunkSize: number): HeapGraph | SnapshotFormatError {
	try {
		return parseChunked(input, chunkSize);
	} catch (error) {
		if (error instanceof SnapshotFormatError) return error;
		throw new Error(`not a SnapshotFormatError: ${String(error)}`, {cause: error});
	}
}

/** What every graph the parser returns must satisfy, however odd its input was. */
function assertConsistent(graph: HeapGraph): void {
	assert.equal(graph.firstEdge.length, graph.nodeCount + 1);
	assert.equal(graph.firstEdge[graph.nodeCount], graph.edgeCount);
	for (let n = 0; n < graph.nodeCount; n++) {
		assert.ok(graph.firstEdge[n]! <= graph.firstEdge[n + 1]!);
		assert.ok(graph.nodeType[n]! < graph.nodeTypeNames.length);
		assert.ok(graph.nodeName[n]! < graph.strings.length);
	}
	for (let e = 0; e < graph.edgeCount; e++) {
		assert.ok(graph.edgeTo[e]! < graph.nodeCount);
		assert.ok(graph.edgeType[e]! < graph.edgeTypeNames.length);
	}
	const locations = graph.locations;
	if (locations) {
		assert.equal(locations.entries.length, 4 * locations.count);
		for (let k = 0; k < locations.count; k++) assert.ok(locations.entries[4 * k]! < graph.nodeCount);
	}
}

describe('snapshot fuzz', () => {
	it('every truncation of the document is a SnapshotFormatError', () => {
		for (const base of [BASE, UNICODE_BASE]) {
			const random = prng(base.length);
			for (let end = 0; end < base.length; end++) {
				const chunkSize = 1 + Math.floor(random() * 64);
				const result = outcome(base.subarray(0, end), chunkSize);
				assert.ok(result instanceof SnapshotFormatError, `a prefix of ${end} bytes parsed`);
			}
		}
	});

	for (const seed of [1, 2, 3, 4, 5, 6]) {
		it(`random byte mutations, seed ${seed} (60 cases)`, () => {
			const random = prng(seed);
			let graphs = 0;
			for (let round = 0; round < 60; round++) {
				const input = Buffer.from(seed % 2 ? BASE : UNICODE_BASE);
				const mutations = 1 + Math.floor(random() * 4);
				for (let m = 0; m < mutations; m++) {
					const at = Math.floor(random() * input.length);
					input[at] = random() < 0.8 ? INTERESTING[Math.floor(random() * INTERESTING.length)]! : Math.floor(random() * 256);
				}
				const cut = random() < 0.2 ? Math.floor(random() * input.length) : input.length;
				const chunkSize = 1 + Math.floor(random() * 300);
				const result = outcome(input.subarray(0, cut), chunkSize);
				if (!(result instanceof SnapshotFormatError)) {
					graphs++;
					assertConsistent(result);
				}
			}
			// Many mutations land in places that leave a valid snapshot (a digit for a digit, a letter in a string).
			assert.ok(graphs > 0 && graphs < 60, `${graphs} of 60 mutated inputs parsed`);
		});
	}

	it('random splices (deleted or duplicated spans) end in a graph or a SnapshotFormatError', () => {
		const random = prng(99);
		for (let round = 0; round < 120; round++) {
			const a = Math.floor(random() * BASE.length);
			const b = Math.min(BASE.length, a + Math.floor(random() * 200));
			const input = random() < 0.5
				? Buffer.concat([BASE.subarray(0, a), BASE.subarray(b)])
				: Buffer.concat([BASE.subarray(0, b), BASE.subarray(a)]);
			const result = outcome(input, 1 + Math.floor(random() * 500));
			if (!(result instanceof SnapshotFormatError)) assertConsistent(result);
		}
	});
	it('the fast record path (chunks over 128 bytes) agrees with the general loop on damaged numeric sections', () => {
		// Chunks of at most 100 bytes never take the fast path; a whole-document write takes it for every
		// record it can. Both must end the same way: the same graph or the same error message.
		const b = new SnapshotBuilder();
		let previous = b.root;
		for (let i = 0; i < 400; i++) {
			const node = b.node(i % 3 ? 'object' : 'string', `N${i % 17}`, {selfSize: 10 + i * 977, id: 3 + 2 * i});
			b.edge(previous, node, i % 5 ? 'property' : 'element', i % 5 ? `p${i % 7}` : i);
			b.edge(node, b.root, 'weak', 'back');
			previous = node;
		}
		const json = b.toJson();
		// V8's own layout puts the newline before the comma; the builder's after it: try both.
		for (const text of [json, json.replace(/,\n/g, '\n,')]) {
			const doc = Buffer.from(text, 'latin1');
			assertSameGraph(parseChunked(doc, doc.length), referenceGraph(text));
			const from = doc.indexOf('"nodes"');
			const to = doc.indexOf('"strings"');
			const random = prng(from);
			for (let round = 0; round < 150; round++) {
				const input = Buffer.from(doc);
				const mutations = 1 + Math.floor(random() * 3);
				for (let m = 0; m < mutations; m++) {
					input[from + Math.floor(random() * (to - from))] = INTERESTING[Math.floor(random() * INTERESTING.length)]!;
				}
				const fast = outcome(input, input.length);
				const general = outcome(input, 100);
				if (general instanceof SnapshotFormatError) {
					assert.ok(fast instanceof SnapshotFormatError, `round ${round}: the fast path accepted what the general loop rejects (${general.message})`);
					assert.equal(fast.message, general.message, `round ${round}`);
				} else {
					assert.ok(!(fast instanceof SnapshotFormatError), `round ${round}: ${String(fast)}`);
					assertSameGraph(fast, general, `round ${round}`);
				}
			}
		}
	});
});
