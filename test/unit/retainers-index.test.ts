import {test} from 'node:test';
import assert from 'node:assert/strict';
import {graphFromJson} from '../helpers/reference-loader.js';
import {buildRetainers, edgeSource} from '../../src/snapshot/retainers-index.js';
import {randomGraph} from './engine-graphs.js';

test('the retainer CSR is the exact inverse of the edge CSR', () => {
	for (const seed of [1, 2, 3]) {
		const g = graphFromJson(randomGraph(seed, 60, 400).toJson());
		const r = buildRetainers(g);
		assert.equal(r.firstRetainer[g.nodeCount], g.edgeCount);
		const seen = new Uint8Array(g.edgeCount);
		for (let n = 0; n < g.nodeCount; n++) {
			let previous = -1;
			for (let s = r.firstRetainer[n]!; s < r.firstRetainer[n + 1]!; s++) {
				const e = r.retainerEdge[s]!;
				assert.equal(g.edgeTo[e], n, 'slot lists an edge into this node');
				const src = r.retainerNode[s]!;
				assert.ok(e >= g.firstEdge[src]! && e < g.firstEdge[src + 1]!, 'retainerNode is the edge source');
				assert.ok(e > previous, 'slots are in edge order');
				previous = e;
				assert.equal(seen[e], 0);
				seen[e] = 1;
			}
		}
		assert.ok(seen.every(x => x === 1), 'every edge appears once');
	}
});

test('edgeSource finds the node an edge leaves, also across nodes without edges', () => {
	const g = graphFromJson(randomGraph(7, 40, 120).toJson());
	for (let n = 0; n < g.nodeCount; n++) {
		for (let e = g.firstEdge[n]!; e < g.firstEdge[n + 1]!; e++) assert.equal(edgeSource(g, e), n);
	}
});
