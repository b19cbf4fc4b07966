import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';
import {graphFromJson} from '../helpers/reference-loader.js';
import type {HeapGraph} from '../../src/snapshot/graph.js';
import {computeShortestPaths, NO_DISTANCE, NO_EDGE, shortestPathTree, SYSTEM_DISTANCE, traversalNamesFromTables, traversalTables} from '../../src/snapshot/traverse.js';
import {WeakMapEdges} from '../../src/snapshot/weakmap-edges.js';
import {edgeSource} from '../../src/snapshot/retainers-index.js';
import {randomGraph} from './engine-graphs.js';

/** Plain BFS distances over the edges `follow` accepts, for comparison. */
function bfs(g: HeapGraph, follow: (type: string, from: number) => boolean): number[] {
	const dist = new Array(g.nodeCount).fill(-1);
	dist[0] = 0;
	const queue = [0];
	for (let i = 0; i < queue.length; i++) {
		const v = queue[i]!;
		for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++) {
			const w = g.edgeTo[e]!;
			if (dist[w] !== -1 || !follow(g.edgeTypeNames[g.edgeType[e]!]!, v)) continue;
			dist[w] = dist[v] + 1;
			queue.push(w);
		}
	}
	return dist;
}

test('distances are shortest over strong edges, weak edges never shorten one, parents form the tree', () => {
	for (const seed of [21, 22, 23]) {
		const g = graphFromJson(randomGraph(seed, 80, 200, ['property', 'element', 'internal', 'weak', 'weak', 'hidden'], true).toJson());
		const tree = computeShortestPaths(g);
		const strong = bfs(g, type => type !== 'weak');
		const withWeak = bfs(g, () => true);
		for (let n = 0; n < g.nodeCount; n++) {
			// No user roots in these graphs: everything is measured from the root, from 0.
			assert.equal(tree.distance[n] === NO_DISTANCE ? -1 : tree.distance[n], strong[n], `node ${n}`);
			if (strong[n] !== -1) assert.ok(strong[n]! >= withWeak[n]!, 'weak edges only ever look shorter');
			const e = tree.parentEdge[n]!;
			if (n === 0 || strong[n] === -1) {
				assert.equal(e, NO_EDGE);
				continue;
			}
			assert.equal(g.edgeTo[e], n);
			assert.notEqual(g.edgeTypeNames[g.edgeType[e]!], 'weak');
			assert.equal(strong[edgeSource(g, e)]! + 1, strong[n], 'the parent edge leaves a node one step closer');
		}
	}
});

test('user roots first: a path through global wins over a shorter one through (GC roots)', () => {
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global');
	const gcRoots = b.node('synthetic', '(GC roots)');
	const handles = b.node('synthetic', '(Global handles)');
	const mod = b.node('object', 'Module');
	const exportsObj = b.node('object', 'Object');
	const target = b.node('object', 'Target');
	const systemOnly = b.node('object', 'SystemThing');
	b.edge(b.root, gcRoots, 'element', 1).edge(b.root, global, 'shortcut', 'global');
	b.edge(gcRoots, handles, 'element', 0).edge(handles, target, 'internal', '3').edge(handles, systemOnly, 'internal', '4');
	b.edge(global, mod, 'property', 'module').edge(mod, exportsObj, 'property', 'exports').edge(exportsObj, target, 'property', 'target');
	const g = graphFromJson(b.toJson());
	const tree = computeShortestPaths(g);
	assert.equal(tree.distance[global], 1);
	assert.equal(tree.distance[target], 4, 'via global, although (GC roots) is 3 hops away');
	assert.equal(edgeSource(g, tree.parentEdge[target]!), exportsObj);
	assert.equal(tree.distance[b.root], SYSTEM_DISTANCE);
	assert.equal(tree.distance[systemOnly], SYSTEM_DISTANCE + 3);
});

test('shortcuts are followed only out of the root; readable edges win ties over internal ones', () => {
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global');
	const bound = b.node('closure', 'native_bind');
	const arg = b.node('object', 'Arg');
	const holder = b.node('object', 'Holder');
	const shared = b.node('object', 'Shared');
	b.edge(b.root, global, 'shortcut', 'global');
	b.edge(global, bound, 'property', 'f').edge(bound, arg, 'shortcut', 'bound_argument_0');
	b.edge(global, holder, 'property', 'h');
	// Both global and holder… global reaches `shared` through an internal edge first in edge order,
	// holder through a property at the same depth: the property must win.
	b.edge(global, b.node('object', 'Pad'), 'property', 'pad');
	const internalSource = b.node('object', 'InternalSource');
	b.edge(global, internalSource, 'property', 'i');
	b.edge(internalSource, shared, 'internal', 'slot').edge(holder, shared, 'property', 'shared');
	const g = graphFromJson(b.toJson());
	const tree = computeShortestPaths(g);
	assert.equal(tree.distance[arg], NO_DISTANCE, 'bound_argument shortcut not followed');
	assert.equal(tree.distance[shared], 3);
	assert.equal(edgeSource(g, tree.parentEdge[shared]!), holder);
});

test('edges put off in a level are taken in the order the level met them: first node, first edge', () => {
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global');
	const first = b.node('object', 'First');
	const second = b.node('object', 'Second');
	const viaHidden = b.node('object', 'ViaHidden');
	const viaInternal = b.node('object', 'ViaInternal');
	b.edge(b.root, global, 'shortcut', 'global').edge(global, first, 'property', 'first').edge(global, second, 'property', 'second');
	// Both reach both targets through less-preferable edges only; `second` offers them in the other order.
	b.edge(first, viaInternal, 'internal', 'a').edge(first, viaHidden, 'hidden', 1);
	b.edge(second, viaHidden, 'internal', 'c').edge(second, viaInternal, 'internal', 'd');
	const g = graphFromJson(b.toJson());
	const tree = computeShortestPaths(g);
	assert.equal(tree.distance[viaHidden], 3);
	assert.equal(edgeSource(g, tree.parentEdge[viaHidden]!), first, 'the first node of the level wins');
	assert.equal(edgeSource(g, tree.parentEdge[viaInternal]!), first);
	assert.equal(g.strings.at(g.edgeName[tree.parentEdge[viaInternal]!]!), 'a');
});

test('a level that puts off more edges than the heap has nodes still takes the first of them', () => {
	// The put-off list starts at one slot per node; parallel internal edges make it grow.
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global');
	const target = b.node('object', 'Target');
	b.edge(b.root, global, 'shortcut', 'global');
	for (let i = 0; i < 40; i++) b.edge(global, target, 'internal', `slot${i}`);
	const g = graphFromJson(b.toJson());
	assert.ok(40 > g.nodeCount);
	const tree = computeShortestPaths(g);
	assert.equal(tree.distance[target], 2);
	assert.equal(g.strings.at(g.edgeName[tree.parentEdge[target]!]!), 'slot0');
});

test('a WeakMap value is as far as the farther of its table and key edges', () => {
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global');
	const wm = b.node('object', 'WeakMap');
	const table = b.node('array', '', {id: 901});
	const far1 = b.node('object', 'A');
	const far2 = b.node('object', 'B');
	const key = b.node('object', 'Key', {id: 903});
	const value = b.node('object', 'Value', {id: 905});
	const pair = (n: number) => `${n} / part of key (Key @903) -> value (Value @905) pair in WeakMap (table @901)`;
	b.edge(b.root, global, 'shortcut', 'global').edge(global, wm, 'property', 'wm').edge(wm, table, 'internal', 'table');
	b.edge(global, far1, 'property', 'a').edge(far1, far2, 'property', 'b').edge(far2, key, 'property', 'key');
	b.edge(table, value, 'internal', pair(3)).edge(key, value, 'internal', pair(1));
	const g = graphFromJson(b.toJson());
	const tree = computeShortestPaths(g);
	assert.equal(tree.distance[table], 3);
	assert.equal(tree.distance[key], 4);
	assert.equal(tree.distance[value], 5, 'not 4 through the table');
	assert.equal(edgeSource(g, tree.parentEdge[value]!), key);
});

/** A heap with each of DevTools' special cases: the NativeContext's sloppy_function_map, (map descriptors) slots, a WeakMap pair. */
function specialCasesHeap() {
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global');
	b.edge(b.root, global, 'shortcut', 'global');
	const context = b.node('hidden', 'system / NativeContext');
	const sloppy = b.node('object', 'SloppyMapOnly');
	const other = b.node('object', 'FromContext');
	b.edge(global, context, 'internal', 'native_context').edge(context, sloppy, 'internal', 'sloppy_function_map').edge(context, other, 'internal', 'other');
	const descriptors = b.node('array', '(map descriptors)');
	b.edge(global, descriptors, 'internal', 'descriptors');
	// slots 0, 1 and the keys (3i+2) are followed; 3i+1 (i >= 1) are not, however the number is written
	const slots = ['0', '1', '2', '4', '5', '7', '+10', ' 13', '3', 'x'];
	const slotTargets = slots.map(name => {
		const target = b.node('object', `Slot${name.trim()}`);
		b.edge(descriptors, target, 'internal', name);
		return target;
	});
	const wm = b.node('object', 'WeakMap');
	const table = b.node('array', '', {id: 901});
	const key = b.node('object', 'Key', {id: 903});
	const value = b.node('object', 'Value', {id: 905});
	const pair = (n: number) => `${n} / part of key (Key @903) -> value (Value @905) pair in WeakMap (table @901)`;
	b.edge(global, wm, 'property', 'wm').edge(wm, table, 'internal', 'table').edge(global, key, 'property', 'key');
	b.edge(table, value, 'internal', pair(3)).edge(key, value, 'internal', pair(1));
	return {g: graphFromJson(b.toJson()), sloppy, other, slots, slotTargets};
}

test('DevTools\' filters: the sloppy_function_map and the (map descriptors) slots 3i+1 are not followed', () => {
	const {g, sloppy, other, slots, slotTargets} = specialCasesHeap();
	const tree = computeShortestPaths(g);
	assert.equal(tree.parentEdge[sloppy], NO_EDGE);
	assert.notEqual(tree.parentEdge[other], NO_EDGE);
	const reached = slots.filter((_, i) => tree.parentEdge[slotTargets[i]!] !== NO_EDGE);
	assert.deepEqual(reached, ['0', '1', '2', '5', '3', 'x']);
});

test('the BFS from tables (for a thread without the strings) gives the tree the strings give', () => {
	const graphs = [specialCasesHeap().g, ...[31, 32, 33].map(seed => graphFromJson(randomGraph(seed, 60, 180).toJson()))];
	for (const g of graphs) {
		const expected = computeShortestPaths(g).parentEdge;
		const tables = traversalTables(g.strings, WeakMapEdges.forGraph(g));
		// structured-cloned, as they travel to the other thread; and that thread has no strings
		const names = traversalNamesFromTables(structuredClone(tables));
		assert.deepEqual(shortestPathTree({...g, strings: []}, names).parentEdge, expected);
	}
});
