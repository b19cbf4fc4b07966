import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';
import {graphFromJson} from '../helpers/reference-loader.js';
import type {HeapGraph} from '../../src/snapshot/graph.js';
import {computeClassKeys} from '../../src/snapshot/class-key.js';
import {computeShallowSizes} from '../../src/snapshot/shallow-size.js';
import {computeClassRetainedSizes, computeDominators, computeEssentialEdges, computeRetainedSizes, isEssential} from '../../src/snapshot/dominators.js';
import {ScratchArrays} from '../../src/snapshot/scratch.js';
import {naiveDominators, randomGraph} from './engine-graphs.js';

function dominate(g: HeapGraph) {
	const shallow = computeShallowSizes(g);
	return computeDominators(g, computeEssentialEdges(g), shallow);
}

test('diamond, cycle and chain: hand-computed dominators and retained sizes', () => {
	const b = new SnapshotBuilder();
	// diamond: r → a → {b, c} → d ; chain: r → x → y → z ; cycle: r → p → q → p
	const [a, bb, c, d] = ['A', 'B', 'C', 'D'].map(n => b.node('object', n, {selfSize: 10}));
	const [x, y, z] = ['X', 'Y', 'Z'].map(n => b.node('object', n, {selfSize: 1}));
	const [p, q] = ['P', 'Q'].map(n => b.node('object', n, {selfSize: 100}));
	b.edge(b.root, a!, 'element', 1).edge(a!, bb!, 'property', 'b').edge(a!, c!, 'property', 'c').edge(bb!, d!, 'property', 'd').edge(c!, d!, 'property', 'd');
	b.edge(b.root, x!, 'element', 2).edge(x!, y!, 'property', 'y').edge(y!, z!, 'property', 'z');
	b.edge(b.root, p!, 'element', 3).edge(p!, q!, 'property', 'q').edge(q!, p!, 'property', 'p');
	const tree = dominate(graphFromJson(b.toJson()));
	const dom = (n: number) => tree.dominator[n];
	assert.equal(dom(a!), b.root);
	assert.equal(dom(bb!), a);
	assert.equal(dom(c!), a);
	assert.equal(dom(d!), a, 'd is reached through b or c: only a dominates it');
	assert.equal(dom(y!), x);
	assert.equal(dom(z!), y);
	assert.equal(dom(p!), b.root);
	assert.equal(dom(q!), p);
	assert.equal(tree.dominator[b.root], b.root);
	assert.equal(tree.retainedSize[a!], 40);
	assert.equal(tree.retainedSize[bb!], 10);
	assert.equal(tree.retainedSize[x!], 3);
	assert.equal(tree.retainedSize[p!], 200);
	assert.equal(tree.retainedSize[b.root], 40 + 3 + 200);
});

test('weak edges do not retain; nodes with only weak retainers and unreachable cycles hang off the root', () => {
	const b = new SnapshotBuilder();
	const holder = b.node('object', 'Holder', {selfSize: 5});
	const target = b.node('object', 'Target', {selfSize: 7});
	const child = b.node('object', 'Child', {selfSize: 3});
	const [u, v] = [b.node('object', 'U', {selfSize: 2}), b.node('object', 'V', {selfSize: 2})];
	b.edge(b.root, holder, 'element', 1).edge(holder, target, 'weak', 'ref').edge(target, child, 'property', 'c');
	b.edge(u, v, 'property', 'v').edge(v, u, 'property', 'u');
	const tree = dominate(graphFromJson(b.toJson()));
	assert.equal(tree.dominator[target], b.root);
	assert.equal(tree.dominator[child], target);
	assert.equal(tree.retainedSize[holder], 5, 'the weak edge adds nothing to the holder');
	assert.equal(tree.dominator[u], b.root);
	assert.equal(tree.dominator[v], b.root);
	assert.equal(tree.retainedSize[b.root], 5 + 7 + 3 + 2 + 2);
});

test('dominators equal the textbook data-flow definition on random graphs', () => {
	for (const seed of [11, 12, 13, 14, 15, 16]) {
		const g = graphFromJson(randomGraph(seed, 45, 90).toJson());
		const expected = naiveDominators(g);
		const tree = dominate(g);
		assert.deepEqual(Array.from(tree.dominator), expected, `seed ${seed}`);
		// retained = own size + retained of immediately dominated nodes
		const sums = Float64Array.from(g.nodeSelfSize);
		for (let n = 1; n < g.nodeCount; n++) {
			for (let m = n; m !== 0; m = tree.dominator[m]!) {
				const d = tree.dominator[m]!;
				sums[d] = sums[d]! + g.nodeSelfSize[n]!;
			}
		}
		assert.deepEqual(Array.from(tree.retainedSize), Array.from(sums), `seed ${seed} retained`);
	}
});

test('essential edges: no weak, no self, no non-root shortcut, no WeakMap table→value, no system→page edge', () => {
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global');
	const gcRoots = b.node('synthetic', '(GC roots)');
	const handles = b.node('synthetic', '(Global handles)');
	const user = b.node('object', 'User');
	const systemOnly = b.node('object', 'Internal');
	const bound = b.node('closure', 'native_bind');
	const table = b.node('array', '', {id: 1001});
	const key = b.node('object', 'Key', {id: 1003});
	const value = b.node('object', 'Value', {id: 1005});
	const wm = b.node('object', 'WeakMap');
	const pair = (n: number) => `${n} / part of key (Key @1003) -> value (Value @1005) pair in WeakMap (table @1001)`;
	b.edge(b.root, global, 'shortcut', 'global').edge(b.root, gcRoots, 'element', 1).edge(gcRoots, handles, 'element', 0);
	b.edge(global, user, 'property', 'user'); // 0 of global
	b.edge(handles, user, 'internal', '7'); // system → page: not essential
	b.edge(handles, systemOnly, 'internal', '8'); // system → system: essential
	b.edge(global, bound, 'property', 'f').edge(bound, user, 'shortcut', 'bound_argument_0');
	b.edge(user, user, 'property', 'self').edge(user, systemOnly, 'weak', 'w');
	b.edge(global, wm, 'property', 'wm').edge(wm, table, 'internal', 'table').edge(global, key, 'property', 'k');
	b.edge(table, value, 'internal', pair(3)).edge(key, value, 'internal', pair(5));
	const g = graphFromJson(b.toJson());
	const bits = computeEssentialEdges(g);
	const edge = (from: number, name: string) => {
		for (let e = g.firstEdge[from]!; e < g.firstEdge[from + 1]!; e++) {
			const text = g.edgeTypeNames[g.edgeType[e]!] === 'element' || g.edgeTypeNames[g.edgeType[e]!] === 'hidden' ? String(g.edgeName[e]) : g.strings.at(g.edgeName[e]!);
			if (text === name) return e;
		}
		throw new Error(name);
	};
	assert.equal(isEssential(bits, edge(b.root, 'global')), true, 'root shortcuts count');
	assert.equal(isEssential(bits, edge(global, 'user')), true);
	assert.equal(isEssential(bits, edge(handles, '7')), false);
	assert.equal(isEssential(bits, edge(handles, '8')), true);
	assert.equal(isEssential(bits, edge(bound, 'bound_argument_0')), false);
	assert.equal(isEssential(bits, edge(user, 'self')), false);
	assert.equal(isEssential(bits, edge(user, 'w')), false);
	assert.equal(isEssential(bits, edge(table, pair(3))), false);
	assert.equal(isEssential(bits, edge(key, pair(5))), true);
	const tree = dominate(g);
	assert.equal(tree.dominator[user], global, '(Global handles) does not steal user objects');
	assert.equal(tree.dominator[value], key, 'a WeakMap value belongs to its key');
});

test('per-class retained size counts an instance inside another instance of its class once', () => {
	// root → head(Node) → Node → Node → Node, each 10 bytes and each with a 5-byte Payload.
	const b = new SnapshotBuilder();
	let previous = b.root;
	const nodes: number[] = [];
	for (let i = 0; i < 4; i++) {
		const node = b.node('object', 'ListNode', {selfSize: 10});
		const payload = b.node('object', 'Payload', {selfSize: 5});
		b.edge(previous, node, previous === b.root ? 'element' : 'property', previous === b.root ? 1 : 'next');
		b.edge(node, payload, 'property', 'payload');
		nodes.push(node);
		previous = node;
	}
	// A second, separate list of one node; and a zero-size ListNode wrapper (not listed by DevTools).
	const lone = b.node('object', 'ListNode', {selfSize: 10});
	b.edge(b.root, lone, 'element', 2);
	const g = graphFromJson(b.toJson());
	const keys = computeClassKeys(g);
	const shallow = computeShallowSizes(g);
	const tree = computeDominators(g, computeEssentialEdges(g), shallow);
	const perKey = computeClassRetainedSizes(tree, keys.nodeKey, keys.keyCount, shallow);
	const listKey = keys.nodeKey[nodes[0]!]!;
	const payloadKey = keys.nodeKey[nodes[0]! + 1]!;
	assert.equal(tree.retainedSize[nodes[0]!], 60);
	assert.equal(perKey[listKey], 60 + 10, 'the head list (60) plus the lone node (10), not 60+45+30+15+10');
	assert.equal(perKey[payloadKey], 20, 'payloads do not nest: each counted once');
});

test('a long circular doubly linked list (like a Node timer list): every element is dominated by the list head', () => {
	// head ⇄ e1 ⇄ e2 ⇄ … ⇄ eL ⇄ head, each element holding a payload. The iterative algorithm used
	// before needed one pass over the heap per element here; Lengauer–Tarjan does one.
	const b = new SnapshotBuilder();
	const head = b.node('object', 'TimersList', {selfSize: 8});
	b.edge(b.root, head, 'element', 1);
	const length = 3000;
	const elements: number[] = [];
	const payloads: number[] = [];
	for (let i = 0; i < length; i++) {
		elements.push(b.node('object', 'Timeout', {selfSize: 4}));
		payloads.push(b.node('object', 'Payload', {selfSize: 2}));
	}
	for (let i = 0; i < length; i++) {
		const prev = i === 0 ? head : elements[i - 1]!;
		const next = i === length - 1 ? head : elements[i + 1]!;
		b.edge(elements[i]!, next, 'property', '_idleNext').edge(elements[i]!, prev, 'property', '_idlePrev').edge(elements[i]!, payloads[i]!, 'property', 'state');
	}
	b.edge(head, elements[0]!, 'property', '_idleNext').edge(head, elements[length - 1]!, 'property', '_idlePrev');
	const tree = dominate(graphFromJson(b.toJson()));
	for (let i = 0; i < length; i++) {
		assert.equal(tree.dominator[elements[i]!], head, `element ${i}`);
		assert.equal(tree.dominator[payloads[i]!], elements[i], `payload ${i}`);
	}
	assert.equal(tree.retainedSize[head], 8 + length * 6);
});

test('dominators equal the textbook data-flow definition on larger random graphs with unreachable parts', () => {
	for (const seed of [21, 22, 23]) {
		const g = graphFromJson(randomGraph(seed, 160, 260).toJson());
		assert.deepEqual(Array.from(dominate(g).dominator), naiveDominators(g), `seed ${seed}`);
	}
});

test('dominators do not depend on what the scratch arrays held: every slot read is written first', () => {
	for (const seed of [21, 22, 23, 24]) {
		// (unreachable parts: the DFS starts again from nodes that are no tree edge's target)
		const g = graphFromJson(randomGraph(seed, 160, 260).toJson());
		const scratch = new ScratchArrays();
		for (let i = 0; i < 8; i++) scratch.give(new Uint32Array(g.nodeCount + 1).fill(0x5a5a5a5a));
		const tree = computeDominators(g, computeEssentialEdges(g), computeShallowSizes(g), undefined, scratch);
		assert.deepEqual(Array.from(tree.dominator), naiveDominators(g), `seed ${seed}`);
	}
});

test('per-class retained sizes computed with the tree equal computeClassRetainedSizes on the finished tree', () => {
	for (const seed of [31, 32, 33, 34]) {
		const g = graphFromJson(randomGraph(seed, 120, 240).toJson());
		const shallow = computeShallowSizes(g);
		const keys = computeClassKeys(g);
		const tree = computeDominators(g, computeEssentialEdges(g), shallow, keys);
		assert.ok(tree.classRetained, 'sums come with the tree');
		const expected = computeClassRetainedSizes(tree, keys.nodeKey, keys.keyCount, shallow);
		assert.deepEqual(Array.from(tree.classRetained), Array.from(expected), `seed ${seed}`);
		assert.ok(expected.some(v => v > 0));
	}
});

test('retained sizes: Uint32 when the shallow total fits, the same values as the Float64 path', () => {
	for (const seed of [21, 22, 23]) {
		const g = graphFromJson(randomGraph(seed, 60, 150).toJson());
		const shallow = computeShallowSizes(g);
		assert.ok(shallow instanceof Uint32Array);
		const narrow = computeDominators(g, computeEssentialEdges(g), shallow);
		const wide = computeDominators(g, computeEssentialEdges(g), Float64Array.from(shallow));
		assert.ok(narrow.retainedSize instanceof Uint32Array, 'a total under 4 GiB stays in 32 bits');
		assert.ok(wide.retainedSize instanceof Float64Array, 'Float64 shallow sizes keep Float64 retained sizes');
		assert.deepEqual(Array.from(narrow.retainedSize), Array.from(wide.retainedSize), `seed ${seed}`);
		assert.deepEqual(Array.from(narrow.dominator), Array.from(wide.dominator), `seed ${seed}`);
	}
});

test('retained sizes without the tree: the same sizes and class sums, and one scratch set serves every run', () => {
	const scratch = new ScratchArrays();
	for (const seed of [41, 42, 43, 44]) {
		// dense (many parallel, cross and back edges: the predecessor lists leave some out) and sparse
		const g = graphFromJson(randomGraph(seed, 150, seed % 2 === 0 ? 900 : 200).toJson());
		const shallow = computeShallowSizes(g);
		const keys = computeClassKeys(g);
		const tree = computeDominators(g, computeEssentialEdges(g), shallow, keys);
		assert.deepEqual(Array.from(tree.dominator), naiveDominators(g), `seed ${seed}`);
		// Leftover arrays with stale contents from an earlier run must not leak into this one.
		const sizes = computeRetainedSizes(g, computeEssentialEdges(g, undefined, scratch), shallow, keys, scratch);
		assert.deepEqual(Array.from(sizes.retainedSize), Array.from(tree.retainedSize), `seed ${seed}`);
		assert.deepEqual(Array.from(sizes.classRetained), Array.from(tree.classRetained!), `seed ${seed}`);
		assert.equal(sizes.retainedSize.length, g.nodeCount);
		scratch.give(scratch.take(g.nodeCount + 1).fill(0x5a5a5a5a)); // scribble on what the next round gets
	}
});
