/**
 * Breadth-first distances from the root and a shortest-path tree (one parent edge per node), so that
 * the retaining path of any node costs only its depth to print.
 *
 * Rules (DevTools' JSHeapSnapshot.calculateDistances, plus what reads well on Node heaps, cdp-facts §8):
 * - "user roots first": the root's non-synthetic children (the `global / ` object) are seeded at
 *   distance 1 and explored before anything else; whatever they do not reach is then explored from
 *   the root itself, at distances starting from SYSTEM_DISTANCE (so paths avoid `(GC roots)` when they can);
 * - `weak` edges are never followed; `shortcut` edges only out of the root (elsewhere they duplicate a
 *   real path, e.g. bound-function arguments);
 * - DevTools' noise filters: NativeContext's `sloppy_function_map`, and the descriptor slots of
 *   `(map descriptors)` arrays;
 * - WeakMap values are as far as the farther of their two ephemeron edges (see weakmap-edges.ts);
 * - within one BFS level, "less preferable" edges (internal/hidden edges, or edges into system nodes)
 *   are tried only after every node of the level has offered its ordinary edges (memlab's postponing):
 *   distances stay exact, but among equally short paths the readable one wins.
 *
 * Invariants: distance[root] is 0 (SYSTEM_DISTANCE when user roots exist); for every reached node n
 * other than the root, parentEdge[n] is an edge whose target is n and whose source s has
 * distance[s] + 1 === distance[n]; unreached nodes have NO_DISTANCE and NO_EDGE.
 */
import type {HeapGraph} from './graph.js';
import {ROOT_ORDINAL, typeIds} from './graph.js';
import {WeakMapEdges, type ResolvedWeakMapEdges} from './weakmap-edges.js';
import {ScratchArrays, grown} from './scratch.js';
import {stringsByFirstChar, type StringTable} from './string-table.js';

export const NO_DISTANCE = 0xffffffff;
export const NO_EDGE = 0xffffffff;
/** DevTools' baseSystemDistance: nodes reached only from the root (not from user roots) start here. */
export const SYSTEM_DISTANCE = 100_000_000;

export interface ShortestPathTree {
	/**
	 * Per node (NO_DISTANCE when unreached). Derived from parentEdge on first read and then kept: the
	 * engine itself never reads it (paths need only the parent edges), so it costs no memory there.
	 */
	readonly distance: Uint32Array;
	readonly parentEdge: Uint32Array;
}

/** parentEdge's mark for the root while the BFS runs (it has no parent edge, but it is visited). */
const ROOT_MARK = 0xfffffffe;

/**
 * What the BFS needs from the strings table, as numbers and answers by string index, so that it can
 * also run on a thread that does not have the strings (edge-section-worker.ts, from traversalTables()).
 */
export interface TraversalNames {
	/** string indexes of DevTools' special nodes and edge (-1: absent) */
	readonly nativeContextName: number;
	readonly sloppyFunctionMap: number;
	readonly mapDescriptorsName: number;
	/** Whether a `(map descriptors)` slot named by this edge name is left out (DevTools' filter). */
	skipsDescriptorSlot(name: number): boolean;
	/** The WeakMap pair of an internal edge's name, or -1 (see weakmap-edges.ts). */
	pairOf(name: number): number;
	/** how many WeakMap pairs there are: pairOf answers below it */
	readonly pairCount: number;
}

/** TraversalNames as plain data, to send to another thread (see traversalNamesFromTables). */
export interface TraversalTables {
	readonly nativeContextName: number;
	readonly sloppyFunctionMap: number;
	readonly mapDescriptorsName: number;
	/** per string index: 1 when a (map descriptors) slot of that name is left out */
	readonly skippedDescriptorSlot: Uint8Array;
	readonly weakMaps: ResolvedWeakMapEdges;
}

export function computeShortestPaths(
	graph: HeapGraph,
	weakMaps: WeakMapEdges = WeakMapEdges.forGraph(graph),
	scratch: ScratchArrays = new ScratchArrays(),
): ShortestPathTree {
	return shortestPathTree(graph, traversalNames(graph.strings, weakMaps), scratch);
}

/** The names from the strings table itself, each looked at when the BFS first asks (the WeakMap pairs all at once). */
export function traversalNames(strings: StringTable, weakMaps: WeakMapEdges): TraversalNames {
	weakMaps.resolve();
	return {
		nativeContextName: strings.indexOf('system / NativeContext'),
		sloppyFunctionMap: strings.indexOf('sloppy_function_map'),
		mapDescriptorsName: strings.indexOf('(map descriptors)'),
		skipsDescriptorSlot: name => skipsDescriptorSlot(strings.at(name) ?? String(name)),
		pairOf: name => weakMaps.pairOf(name),
		pairCount: weakMaps.pairCount,
	};
}

/**
 * Every answer the BFS may ask for, worked out now (a look at each string that may read as a
 * number, and weakMaps.resolve()), for a thread without the strings.
 */
export function traversalTables(strings: StringTable, weakMaps: WeakMapEdges): TraversalTables {
	const names = traversalNames(strings, weakMaps);
	const skippedDescriptorSlot = new Uint8Array(strings.length);
	if (names.mapDescriptorsName >= 0) {
		// (what starts with a letter or the like is no number; parseInt also takes signs and spaces)
		for (const i of stringsByFirstChar(strings, first => first < 0x3a || first >= 0x80)) {
			if (skipsDescriptorSlot(strings.at(i)!)) skippedDescriptorSlot[i] = 1;
		}
	}
	return {
		nativeContextName: names.nativeContextName,
		sloppyFunctionMap: names.sloppyFunctionMap,
		mapDescriptorsName: names.mapDescriptorsName,
		skippedDescriptorSlot,
		weakMaps: weakMaps.resolve(),
	};
}

/** TraversalNames answered from TraversalTables. */
export function traversalNamesFromTables(tables: TraversalTables): TraversalNames {
	const weakMaps = WeakMapEdges.fromResolved(tables.weakMaps);
	const {skippedDescriptorSlot} = tables;
	return {
		nativeContextName: tables.nativeContextName,
		sloppyFunctionMap: tables.sloppyFunctionMap,
		mapDescriptorsName: tables.mapDescriptorsName,
		// (a name past the strings is read as the number itself, as traversalNames does)
		skipsDescriptorSlot: name => (name < skippedDescriptorSlot.length ? skippedDescriptorSlot[name] === 1 : skipsDescriptorSlot(String(name))),
		pairOf: name => weakMaps.pairOf(name),
		pairCount: weakMaps.pairCount,
	};
}

/** (map descriptors): keep slots 0, 1 and the keys (3i+2); skip types and descriptors. */
function skipsDescriptorSlot(text: string): boolean {
	const index = Number.parseInt(text, 10);
	const keep = index < 2 || index % 3 !== 1 || Number.isNaN(index);
	return !keep;
}

/** The BFS itself; `graph.strings` is not read (the names come as numbers and answers). */
export function shortestPathTree(graph: HeapGraph, names: TraversalNames, scratch: ScratchArrays = new ScratchArrays()): ShortestPathTree {
	const {nodeCount, nodeType, nodeName, firstEdge, edgeType, edgeName, edgeTo} = graph;
	const nt = typeIds(graph.nodeTypeNames, ['hidden', 'array', 'synthetic', 'code', 'object shape'] as const);
	const et = typeIds(graph.edgeTypeNames, ['weak', 'shortcut', 'internal', 'hidden'] as const);

	// Visited = has a parent edge (the root: ROOT_MARK); a node's distance is its level's, so the BFS
	// needs no distance array.
	const parentEdge = scratch.take(nodeCount).fill(NO_EDGE);
	// The hot loop's visited test reads the same memory as signed numbers: NO_EDGE is then -1, a small
	// integer, whereas 0xffffffff is a heap-allocated number whenever V8 runs the loop unoptimized
	// (before optimizing it, and after each deoptimization): millions of garbage numbers, several MB
	// of fresh young-generation pages at the peak.
	const parentEdgeSigned = new Int32Array(parentEdge.buffer, parentEdge.byteOffset, nodeCount);
	const UNVISITED = NO_EDGE | 0;
	const queue = scratch.take(nodeCount);

	// Per type id: is an edge of this type / into a node of this type "less preferable"?
	const postponedEdgeType = new Uint8Array(graph.edgeTypeNames.length);
	for (const id of [et.internal, et.hidden]) if (id >= 0) postponedEdgeType[id] = 1;
	const postponedNodeType = new Uint8Array(graph.nodeTypeNames.length);
	for (const id of [nt.hidden, nt.code, nt['object shape'], nt.synthetic]) if (id >= 0) postponedNodeType[id] = 1;

	const {nativeContextName, sloppyFunctionMap, mapDescriptorsName} = names;
	// Per WeakMap pair + 1 (slot 0: not a pair), 1 while one of its two edges has been put off: read and
	// toggled by every internal edge, so that the loop meets it from the start (a Set touched first at
	// the first WeakMap edge, long after V8 had compiled the loop, threw the compiled loop away).
	const pairPending = new Uint8Array(names.pairCount + 1);

	/** Whether edge e out of node n (of kind `special`) may be followed at all (DevTools' filter). */
	const skipSpecial = (special: number, e: number): boolean => {
		if (special === 1) return edgeName[e] === sloppyFunctionMap;
		return names.skipsDescriptorSlot(edgeName[e]!);
	};
	const specialOf = (n: number): number => {
		if (nodeType[n] === nt.hidden && nodeName[n] === nativeContextName && nativeContextName >= 0) return 1;
		if (nodeType[n] === nt.array && nodeName[n] === mapDescriptorsName && mapDescriptorsName >= 0) return 2;
		return 0;
	};

	const weak = et.weak;
	const shortcut = et.shortcut;
	const internal = et.internal;
	// The less-preferable edges the first pass over a level put off, in the order the second pass takes
	// them (node by node, edge by edge): the second pass reads only those, instead of every edge of the
	// level's nodes again (nearly every object on a Node heap has one, its map: ~80 % of all edges were
	// read twice). In a scratch array's memory; a level that puts off more edges than there are nodes
	// grows it.
	let putOff = scratch.take(nodeCount);

	/**
	 * Visits the queue from `head` to its end level by level; returns the new tail. Hot loop: typed
	 * arrays and locals only. The first pass takes the preferable edges of the whole level, the second
	 * the ones the first put off.
	 */
	const run = (head: number, tail: number): number => {
		while (head < tail) {
			const levelEnd = tail;
			let count = 0;
			for (let q = head; q < levelEnd; q++) {
				const n = queue[q]!;
				const special = specialOf(n);
				for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
					const type = edgeType[e]!;
					if (type === weak) continue;
					if (type === shortcut && n !== ROOT_ORDINAL) continue;
					const to = edgeTo[e]!;
					if (parentEdgeSigned[to] !== UNVISITED) continue;
					if (special !== 0 && skipSpecial(special, e)) continue;
					if ((postponedEdgeType[type]! | postponedNodeType[nodeType[to]!]!) !== 0) {
						if (count === putOff.length) putOff = grown(putOff);
						putOff[count++] = e;
						continue;
					}
					parentEdge[to] = e;
					queue[tail++] = to;
				}
			}
			// (internal edges are always put off, so the WeakMap pair rule applies here only)
			for (let k = 0; k < count; k++) {
				const e = putOff[k]!;
				const to = edgeTo[e]!;
				if (parentEdgeSigned[to] !== UNVISITED) continue;
				if (edgeType[e] === internal) {
					// the first of a pair's edges is skipped, the second taken (slot 0 toggles unread)
					const slot = names.pairOf(edgeName[e]!) + 1;
					const pending = pairPending[slot]! ^ 1;
					pairPending[slot] = pending;
					if (pending === 1 && slot !== 0) continue;
				}
				parentEdge[to] = e;
				queue[tail++] = to;
			}
			head = levelEnd;
		}
		return tail;
	};

	// User roots first.
	let tail = 0;
	for (let e = firstEdge[ROOT_ORDINAL]!, end = firstEdge[ROOT_ORDINAL + 1]!; e < end; e++) {
		const to = edgeTo[e]!;
		if (nodeType[to] === nt.synthetic || parentEdge[to] !== NO_EDGE || to === ROOT_ORDINAL) continue;
		parentEdge[to] = e;
		queue[tail++] = to;
	}
	// The root is marked visited before the user-root pass so that no edge back to it enqueues it.
	parentEdge[ROOT_ORDINAL] = ROOT_MARK;
	tail = run(0, tail);
	// Then everything else, from the root.
	queue[tail] = ROOT_ORDINAL;
	run(tail, tail + 1);
	parentEdge[ROOT_ORDINAL] = NO_EDGE;
	scratch.give(queue, putOff);
	return treeOfParentEdges(graph, parentEdge);
}

/** The tree of shortestPathTree's parent edges (also when they were computed on another thread). */
export function treeOfParentEdges(graph: HeapGraph, parentEdge: Uint32Array): ShortestPathTree {
	let distance: Uint32Array | undefined;
	return {
		parentEdge,
		get distance() {
			return (distance ??= distancesOf(graph, parentEdge));
		},
	};
}

/**
 * The BFS distances from its parent edges: a user root (a non-synthetic child of the root, seeded
 * first) is at 1, the root at SYSTEM_DISTANCE when there are user roots (else 0), and every other
 * reached node one further than its parent edge's source.
 */
function distancesOf(graph: HeapGraph, parentEdge: Uint32Array): Uint32Array {
	const {nodeCount, nodeType, firstEdge, edgeTo} = graph;
	const synthetic = typeIds(graph.nodeTypeNames, ['synthetic'] as const).synthetic;
	const UNKNOWN = 0xfffffffe;
	const distance = new Uint32Array(nodeCount).fill(UNKNOWN);
	const source = new Uint32Array(nodeCount);
	for (let n = 0; n < nodeCount; n++) {
		for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) if (parentEdge[edgeTo[e]!] === e) source[edgeTo[e]!] = n;
	}
	let userRoots = false;
	for (let e = firstEdge[ROOT_ORDINAL]!, end = firstEdge[ROOT_ORDINAL + 1]!; e < end; e++) {
		const to = edgeTo[e]!;
		if (to !== ROOT_ORDINAL && parentEdge[to] === e && nodeType[to] !== synthetic) {
			distance[to] = 1;
			userRoots = true;
		}
	}
	distance[ROOT_ORDINAL] = userRoots ? SYSTEM_DISTANCE : 0;
	const chain: number[] = [];
	for (let n = 0; n < nodeCount; n++) {
		let m = n;
		while (distance[m] === UNKNOWN && parentEdge[m] !== NO_EDGE) {
			chain.push(m);
			m = source[m]!;
		}
		let d = distance[m] === UNKNOWN ? NO_DISTANCE : distance[m]!;
		if (d === NO_DISTANCE) distance[m] = NO_DISTANCE;
		while (chain.length > 0) {
			if (d !== NO_DISTANCE) d++;
			distance[chain.pop()!] = d;
		}
	}
	return distance;
}
