import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';
import {graphFromJson} from '../helpers/reference-loader.js';
import {computeShallowSizes} from '../../src/snapshot/shallow-size.js';
import type {HeapGraph} from '../../src/snapshot/graph.js';
import {prng} from '../helpers/parser-fixtures.js';

/** A builder whose root holds a `global` object (a user root), as every real Node snapshot has. */
function withGlobal() {
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global', {selfSize: 40});
	b.edge(b.root, global, 'shortcut', 'global');
	return {b, global};
}

/** An Array whose elements store is just under 4 GiB: each size fits in 32 bits, the owner's sum does not. */
function arrayWithHugeElements(): {graph: HeapGraph; arr: number} {
	const {b, global} = withGlobal();
	const arr = b.node('object', 'Array', {selfSize: 32});
	const elements = b.node('array', '(object elements)', {selfSize: 0xffff_fff0});
	b.edge(global, arr, 'property', 'list').edge(arr, elements, 'internal', 'elements');
	return {graph: graphFromJson(b.toJson()), arr};
}

test('an internal node reached from one owner gives its size to the owner, through internal chains', () => {
	const {b, global} = withGlobal();
	const arr = b.node('object', 'Array', {selfSize: 32});
	const elements = b.node('array', '(object elements)', {selfSize: 800});
	const map = b.node('object', 'Map', {selfSize: 32});
	const table = b.node('array', '', {selfSize: 500});
	const deeper = b.node('hidden', 'system / Foo', {selfSize: 20}); // internal behind internal
	const external = b.node('native', 'system / ExternalStringData', {selfSize: 1000});
	const str = b.node('string', 'external', {selfSize: 24});
	b.edge(global, arr, 'property', 'list').edge(arr, elements, 'internal', 'elements');
	b.edge(global, map, 'property', 'cache').edge(map, table, 'internal', 'table').edge(table, deeper, 'internal', '3');
	b.edge(global, str, 'property', 's').edge(str, external, 'internal', 'resource');
	const sizes = computeShallowSizes(graphFromJson(b.toJson()));
	assert.equal(sizes[arr], 832);
	assert.equal(sizes[elements], 0);
	assert.equal(sizes[map], 552);
	assert.equal(sizes[table], 0);
	assert.equal(sizes[deeper], 0);
	assert.equal(sizes[str], 1024);
	assert.equal(sizes[external], 0);
	assert.equal(sizes[global], 40, 'the owner of the owner gets nothing');
	const raw = Array.from(graphFromJson(b.toJson()).nodeSelfSize).reduce((a, x) => a + x, 0);
	assert.equal(Array.from(sizes).reduce((a, x) => a + x, 0), raw, 'sizes move, the total stays');
	assert.ok(sizes instanceof Uint32Array, 'small totals stay in 32 bits');
});

test('shallow sizes widen to Float64 when owned sizes could add up past 4 GiB', () => {
	const {graph, arr} = arrayWithHugeElements();
	assert.ok(graph.nodeSelfSize instanceof Uint32Array, 'each self size fits in 32 bits');
	const sizes = computeShallowSizes(graph);
	assert.ok(sizes instanceof Float64Array);
	assert.equal(sizes[arr], 0xffff_fff0 + 32, 'no 32-bit wrap-around');
});

test('an internal node shared by two owners keeps its size; weak edges do not make owners', () => {
	const {b, global} = withGlobal();
	const a = b.node('object', 'A', {selfSize: 10});
	const c = b.node('object', 'C', {selfSize: 10});
	const shared = b.node('array', '', {selfSize: 300});
	const behindShared = b.node('hidden', 'system / X', {selfSize: 7});
	const weakOnly = b.node('object', 'W', {selfSize: 10});
	const ownedWeakly = b.node('array', '', {selfSize: 50});
	b.edge(global, a, 'property', 'a').edge(global, c, 'property', 'c').edge(global, weakOnly, 'property', 'w');
	b.edge(a, shared, 'internal', 'x').edge(c, shared, 'internal', 'y').edge(shared, behindShared, 'internal', '1');
	b.edge(a, ownedWeakly, 'internal', 'mine').edge(weakOnly, ownedWeakly, 'weak', 'theirs');
	const sizes = computeShallowSizes(graphFromJson(b.toJson()));
	assert.equal(sizes[shared], 300);
	assert.equal(sizes[behindShared], 7, 'reached from two owners through the shared node');
	assert.equal(sizes[a], 60);
	assert.equal(sizes[c], 10);
	assert.equal(sizes[ownedWeakly], 0);
});

test('internal nodes owned by the root or a synthetic node keep their size', () => {
	const {b} = withGlobal();
	const gcRoots = b.node('synthetic', '(GC roots)', {selfSize: 0});
	const handles = b.node('array', '(handles)', {selfSize: 64});
	const direct = b.node('array', '(direct)', {selfSize: 8});
	b.edge(b.root, gcRoots, 'element', 1).edge(gcRoots, handles, 'element', 0).edge(b.root, direct, 'element', 2);
	const sizes = computeShallowSizes(graphFromJson(b.toJson()));
	assert.equal(sizes[handles], 64);
	assert.equal(sizes[direct], 8);
});

test('a snapshot without user roots (internals exposed) is left as V8 wrote it', () => {
	const b = new SnapshotBuilder();
	const gcRoots = b.node('synthetic', '(GC roots)', {selfSize: 0});
	const obj = b.node('object', 'A', {selfSize: 10});
	const arr = b.node('array', '', {selfSize: 90});
	b.edge(b.root, gcRoots, 'element', 1).edge(gcRoots, obj, 'element', 0).edge(obj, arr, 'internal', 'elements');
	const sizes = computeShallowSizes(graphFromJson(b.toJson()));
	assert.equal(sizes[obj], 10);
	assert.equal(sizes[arr], 90);
});

/** DevTools' rule spelled out slowly: walk from every owner through internal nodes, count owners. */
function referenceShallowSizes(b: SnapshotBuilder): number[] {
	const isInternal = (n: number) => {
		const {type, name} = b.nodes[n]!;
		return type === 'hidden' || type === 'array' || (type === 'native' && name === 'system / ExternalStringData');
	};
	const ownersOf = b.nodes.map(() => new Set<number>());
	b.nodes.forEach((_, owner) => {
		if (isInternal(owner)) return;
		const seen = new Set<number>();
		const stack = [owner];
		while (stack.length > 0) {
			for (const e of b.nodes[stack.pop()!]!.edges) {
				if (e.type === 'weak' || !isInternal(e.to) || seen.has(e.to)) continue;
				seen.add(e.to);
				ownersOf[e.to]!.add(owner);
				stack.push(e.to);
			}
		}
	});
	const sizes = b.nodes.map(n => n.selfSize);
	ownersOf.forEach((owners, n) => {
		if (owners.size !== 1) return;
		const [owner] = owners;
		if (owner === b.root || b.nodes[owner!]!.type === 'synthetic') return;
		sizes[owner!]! += sizes[n]!;
		sizes[n] = 0;
	});
	return sizes;
}

test('random graphs: the one-pass owner walk agrees with walking from each owner separately', () => {
	const types = ['object', 'object', 'array', 'array', 'hidden', 'native', 'string', 'closure', 'synthetic'] as const;
	const edgeTypes = ['property', 'internal', 'element', 'hidden', 'weak', 'context'] as const;
	for (let seed = 1; seed <= 20; seed++) {
		const random = prng(seed);
		const pick = (n: number) => Math.floor(random() * n);
		const {b, global} = withGlobal();
		const count = 40 + pick(80);
		for (let i = 0; i < count; i++) {
			const type = types[pick(types.length)]!;
			const name = type === 'native' ? (pick(2) === 0 ? 'system / ExternalStringData' : 'Node / Buffer') : type;
			b.node(type, name, {selfSize: 1 + pick(1000)});
		}
		// Sparse random edges, including self-loops, cycles among internal nodes and weak edges.
		for (let i = 0; i < count * 2; i++) {
			const from = 1 + pick(b.nodes.length - 1);
			const to = 1 + pick(b.nodes.length - 1);
			const type = edgeTypes[pick(edgeTypes.length)]!;
			b.edge(from, to, type, type === 'element' || type === 'hidden' ? i : `e${i}`);
		}
		for (let i = 0; i < 5; i++) b.edge(global, 1 + pick(b.nodes.length - 1), 'property', `g${i}`);
		b.edge(b.root, 1 + pick(b.nodes.length - 1), 'element', 9);
		const expected = referenceShallowSizes(b);
		const sizes = computeShallowSizes(graphFromJson(b.toJson()));
		assert.deepEqual(Array.from(sizes), expected, `seed ${seed}`);
		// in place: the same sizes, in the graph's own column
		const graph = graphFromJson(b.toJson());
		const inPlace = computeShallowSizes(graph, {inPlace: true});
		assert.equal(inPlace, graph.nodeSelfSize, 'the column itself');
		assert.deepEqual(Array.from(inPlace), expected, `seed ${seed}, in place`);
		assert.deepEqual(Array.from(computeShallowSizes(graph, {inPlace: true})), expected, `seed ${seed}, in place twice: the same`);
	}
});

test('in place: a column that cannot hold the sizes is left as it is, and the sizes come apart', () => {
	const {graph, arr} = arrayWithHugeElements();
	assert.ok(graph.nodeSelfSize instanceof Uint32Array);
	const before = Array.from(graph.nodeSelfSize);
	const sizes = computeShallowSizes(graph, {inPlace: true});
	assert.ok(sizes instanceof Float64Array && (sizes as unknown) !== graph.nodeSelfSize, 'an owner past 4 GiB needs 64 bits');
	assert.equal(sizes[arr], 32 + 0xffff_fff0);
	assert.deepEqual(Array.from(graph.nodeSelfSize), before, 'the column is untouched');
});

test('an owner with more internal children than the walk stack first holds', () => {
	// Built as typed arrays directly: 140 000 nodes through the JSON builder would take seconds.
	// Ordinals: 0 root, 1 global, 2 owner, then per child i an array (3 + 2i) holding a hidden node
	// (4 + 2i): the arrays all wait on the stack at once, and each must still be walked.
	const children = 70_000;
	const nodeCount = 3 + 2 * children;
	const edgeCount = 2 + 2 * children;
	const nodeTypeNames = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic'];
	const edgeTypeNames = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
	const nodeType = new Uint8Array(nodeCount);
	const firstEdge = new Uint32Array(nodeCount + 1);
	const edgeTo = new Uint32Array(edgeCount);
	const edgeType = new Uint8Array(edgeCount).fill(edgeTypeNames.indexOf('internal'));
	nodeType[0] = nodeTypeNames.indexOf('synthetic');
	nodeType[1] = nodeTypeNames.indexOf('object');
	nodeType[2] = nodeTypeNames.indexOf('object');
	edgeType[0] = edgeTypeNames.indexOf('shortcut');
	edgeTo[0] = 1; // root → global
	edgeTo[1] = 2; // global → owner
	firstEdge[0] = 0;
	firstEdge[1] = 1;
	firstEdge[2] = 2;
	for (let i = 0; i < children; i++) edgeTo[2 + i] = 3 + 2 * i; // owner → every array
	let e = 2 + children;
	for (let i = 0; i < children; i++) {
		const array = 3 + 2 * i;
		nodeType[array] = nodeTypeNames.indexOf('array');
		nodeType[array + 1] = nodeTypeNames.indexOf('hidden');
		firstEdge[array] = e;
		firstEdge[array + 1] = e + 1;
		edgeTo[e++] = array + 1;
	}
	firstEdge[nodeCount] = edgeCount;
	const nodeSelfSize = new Uint32Array(nodeCount).fill(1);
	nodeSelfSize[0] = 0;
	nodeSelfSize[2] = 10;
	const graph: HeapGraph = {
		nodeCount, edgeCount, nodeTypeNames, edgeTypeNames, strings: [''],
		nodeType, nodeName: new Uint32Array(nodeCount), nodeId: Uint32Array.from({length: nodeCount}, (_, i) => 2 * i + 1),
		nodeSelfSize, firstEdge, edgeType, edgeName: new Uint32Array(edgeCount), edgeTo,
		locations: null, extraNativeBytes: 0,
	};
	const sizes = computeShallowSizes(graph);
	assert.equal(sizes[2], 10 + 2 * children, 'every array and every hidden node behind one');
	assert.equal(sizes.subarray(3).findIndex(size => size !== 0), -1, 'no internal node keeps its size');
	assert.equal(sizes[1], 1, 'the global keeps its own size');
});
