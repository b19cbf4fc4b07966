import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {HeapGraph} from '../../src/snapshot/graph.js';
import {locationEntryOf, stableOrderBy} from '../../src/snapshot/locations.js';
import {graphFromJson} from '../helpers/reference-loader.js';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';

/** A graph whose nodes 1…count each get the locations listed, in this file order. */
function withLocations(count: number, rows: Array<[node: number, script: number]>): HeapGraph {
	const b = new SnapshotBuilder();
	const nodes = Array.from({length: count}, (_, i) => b.node('closure', `f${i}`));
	for (const [node, script] of rows) b.location(nodes[node - 1]!, script, script * 10, 0);
	return graphFromJson(b.toJson());
}

test('a node is found wherever V8 put it, and its last entry in file order is the one returned', () => {
	// out of node order, node 2 listed twice (scripts 20 and 21): DevTools keeps the last
	const graph = withLocations(5, [[3, 30], [2, 20], [5, 50], [1, 10], [2, 21]]);
	const first = graph.locations!.entries[0]!; // the ordinal of node "3"
	const scriptOf = (ordinal: number) => {
		const entry = locationEntryOf(graph, ordinal);
		return entry < 0 ? -1 : graph.locations!.entries[entry * 4 + 1]!;
	};
	assert.equal(scriptOf(first), 30);
	assert.equal(scriptOf(first - 1), 21);
	assert.equal(scriptOf(first - 2), 10);
	assert.equal(scriptOf(first + 2), 50);
	assert.equal(scriptOf(first + 1), -1, 'node 4 has no location');
	assert.equal(scriptOf(0), -1, 'the root has none');
	assert.equal(scriptOf(graph.nodeCount + 5), -1);
});

test('already sorted locations are looked up as they are, ties still giving the last', () => {
	const graph = withLocations(4, [[1, 10], [2, 20], [2, 22], [4, 40]]);
	const base = graph.locations!.entries[0]!;
	assert.equal(graph.locations!.entries[locationEntryOf(graph, base + 1) * 4 + 1], 22);
	assert.equal(graph.locations!.entries[locationEntryOf(graph, base + 3) * 4 + 1], 40);
	assert.equal(locationEntryOf(graph, base + 2), -1);
});

test('no locations: every lookup is -1', () => {
	const graph = withLocations(2, []);
	assert.equal(graph.locations, null);
	assert.equal(locationEntryOf(graph, 1), -1);
});

test('stableOrderBy sorts by key across both 16-bit halves and keeps ties in input order', () => {
	const keys = Uint32Array.from([70_000, 5, 70_000, 0xffff_ffff, 5, 65_536, 65_535, 0]);
	const order = Array.from(stableOrderBy(keys));
	assert.deepEqual(order, [7, 1, 4, 6, 5, 0, 2, 3]);
	let seed = 7;
	const random = Uint32Array.from({length: 5000}, () => (seed = (seed * 1103515245 + 12345) >>> 0) % 200_000);
	const expected = Array.from(random.keys()).sort((a, b) => random[a]! - random[b]! || a - b);
	assert.deepEqual(Array.from(stableOrderBy(random)), expected);
});
