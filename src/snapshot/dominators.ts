/**
 * Immediate dominators and retained sizes, with DevTools' graph (so that the figures equal DevTools'):
 *
 * Essential edges (JSHeapSnapshot.computeIsEssentialEdge): everything except
 * - `weak` edges and self edges;
 * - `shortcut` edges not leaving the root;
 * - the WeakMap table → value ephemeron edge (the key → value edge is kept);
 * - edges from nodes that the page (the root's shortcut children: `global / `) does not reach into
 *   nodes it does reach, so that e.g. `(Global handles)` does not dominate user objects.
 * Nodes not reached from the root over essential edges hang off the root: first those with no
 * essential retainer at all (and what they reach), then any remaining ones individually.
 *
 * Algorithm: Semi-NCA (Georgiadis 2005): an iterative DFS numbers the nodes in preorder,
 * semidominators are computed in reverse preorder as in Lengauer & Tarjan (1979; path compression,
 * no balancing), then idoms in preorder as nearest common ancestors. The predecessors are rebuilt as
 * lists in preorder space (essential edges only, and only those that can matter); all loop arrays
 * are indexed by preorder number (root = 0). No retainer index is needed (that one is built lazily, for
 * drill-down only). (An iterative Cooper–Harvey–Kennedy refinement was used before; it needs one pass
 * per element of a circular linked list, which Node's timer lists are.)
 *
 * Invariants: dominator[root] === root; for every other node n, dominator[n] !== n, and every path of
 * essential edges from the root to n passes through dominator[n]; retainedSize[n] = shallowSize[n] +
 * the retained sizes of the nodes it immediately dominates.
 */
import type {HeapGraph, SizeArray} from './graph.js';
import {ROOT_ORDINAL, typeIds} from './graph.js';
import {WeakMapEdges} from './weakmap-edges.js';
import type {KeyColumn} from './class-key.js';
import {ScratchArrays, grown, releasableBuffer, releaseBuffer} from './scratch.js';

export interface DominatorTree {
	/** immediate dominator per node ordinal (the root dominates itself) */
	readonly dominator: Uint32Array;
	/**
	 * retained size per node ordinal (DevTools shallow sizes summed over the dominator subtree);
	 * Uint32 when the shallow sizes total under 4 GiB (no retained size exceeds the total), else Float64
	 */
	readonly retainedSize: SizeArray;
	/** refinement passes over the graph (always 1: Semi-NCA needs no iteration; kept for benchmarks) */
	readonly passes: number;
	/** per class key (see computeClassRetainedSizes), when computeDominators was given the class keys */
	readonly classRetained?: Float64Array;
}

/** What computeDominators needs to sum retained sizes per class key on the way (class-key.ts). */
export interface NodeClassKeys {
	readonly nodeKey: KeyColumn;
	readonly keyCount: number;
}

/** One bit per edge: 1 = the edge retains its target for dominator purposes. */
export function computeEssentialEdges(
	graph: HeapGraph,
	weakMaps: WeakMapEdges = WeakMapEdges.forGraph(graph),
	scratch: ScratchArrays = new ScratchArrays(),
): Uint8Array {
	const {nodeCount, edgeCount, firstEdge, edgeType, edgeTo} = graph;
	const et = typeIds(graph.edgeTypeNames, ['weak', 'shortcut', 'internal', 'element'] as const);
	const synthetic = typeIds(graph.nodeTypeNames, ['synthetic'] as const).synthetic;
	const domTreesName = graph.strings.indexOf('(Document DOM trees)');

	// Page-owned nodes: everything reachable over non-weak edges from the root's shortcut children.
	// One bit per node (stays in cache for the random lookups below); the stack from scratch (n + 1
	// slots: the size the dominator phases take next).
	const weak = et.weak;
	const shortcut = et.shortcut;
	const page = new Uint8Array((nodeCount + 7) >>> 3);
	const stack = scratch.take(nodeCount + 1);
	let top = 0;
	for (let e = firstEdge[ROOT_ORDINAL]!, end = firstEdge[ROOT_ORDINAL + 1]!; e < end; e++) {
		const to = edgeTo[e]!;
		const type = edgeType[e]!;
		const isDomTrees = type === et.element && graph.nodeType[to] === synthetic && graph.nodeName[to] === domTreesName && domTreesName >= 0;
		if (type !== shortcut && !isDomTrees) continue;
		if (((page[to >>> 3]! >>> (to & 7)) & 1) === 1) continue;
		page[to >>> 3]! |= 1 << (to & 7);
		stack[top++] = to;
	}
	markReachable(graph, weak, page, stack, top);
	scratch.give(stack);

	const bits = new Uint8Array((edgeCount + 7) >>> 3);
	markEssential(graph, et.weak, et.shortcut, et.internal, page, weakMaps, bits);
	return bits;
}

/** Sets the page bit of everything reachable over non-weak edges from the `top` nodes on the stack (marked already). */
function markReachable(graph: HeapGraph, weak: number, page: Uint8Array, stack: Uint32Array, top: number): void {
	const {firstEdge, edgeType, edgeTo} = graph;
	while (top > 0) {
		const n = stack[--top]!;
		for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
			const to = edgeTo[e]!;
			if (((page[to >>> 3]! >>> (to & 7)) & 1) === 1 || edgeType[e] === weak) continue;
			page[to >>> 3]! |= 1 << (to & 7);
			stack[top++] = to;
		}
	}
}

/** The essential-edge bits (see computeEssentialEdges), a small function of its own for the JIT's sake (see dominate()). */
function markEssential(graph: HeapGraph, weak: number, shortcut: number, internal: number, page: Uint8Array, weakMaps: WeakMapEdges, bits: Uint8Array): void {
	const {nodeCount, firstEdge, edgeType, edgeName, edgeTo, nodeId} = graph;
	// Per pair id + 1, its table's node id (slot 0: none, for "not an ephemeron edge"), so that every
	// internal edge makes the same read: a read that only the first WeakMap edge makes would have V8
	// throw away the loop it compiled before that edge came.
	weakMaps.resolve();
	const tableIds = Float64Array.from([-1, ...weakMaps.tableIdOfPair]);
	for (let n = 0; n < nodeCount; n++) {
		const pageOwned = ((page[n >>> 3]! >>> (n & 7)) & 1) === 1;
		for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
			const type = edgeType[e]!;
			if (type === weak) continue;
			const to = edgeTo[e]!;
			if (to === n) continue;
			if (n !== ROOT_ORDINAL) {
				if (type === shortcut) continue;
				if (!pageOwned && ((page[to >>> 3]! >>> (to & 7)) & 1) === 1) continue;
			}
			if (type === internal && tableIds[weakMaps.pairOf(edgeName[e]!) + 1] === nodeId[n]) continue;
			bits[e >>> 3]! |= 1 << (e & 7);
		}
	}
}

export function isEssential(bits: Uint8Array, edge: number): boolean {
	return ((bits[edge >>> 3]! >>> (edge & 7)) & 1) === 1;
}

/** Retained sizes without the tree itself (what the analysis keeps: one node-sized array less). */
export interface RetainedSizes {
	/** as DominatorTree.retainedSize */
	readonly retainedSize: SizeArray;
	/** per class key (see computeClassRetainedSizes) */
	readonly classRetained: Float64Array;
}

/**
 * With `classes`, the per-class retained sizes come too, computed from the preorder tree while its
 * scratch arrays are still there (cheaper in memory than computeClassRetainedSizes afterwards).
 */
export function computeDominators(
	graph: HeapGraph,
	essentialEdges: Uint8Array,
	shallowSizes: SizeArray,
	classes?: NodeClassKeys,
	scratch: ScratchArrays = new ScratchArrays(),
): DominatorTree {
	const {dominator, retainedSize, classRetained} = dominate(graph, essentialEdges, shallowSizes, classes, scratch, true, false);
	return classRetained ? {dominator: dominator!, retainedSize, passes: 1, classRetained} : {dominator: dominator!, retainedSize, passes: 1};
}

/**
 * computeDominators without keeping the dominator array (the per-node idoms): same sizes, less memory.
 * Uses `essentialEdges` up (its bits are cleared on the way): pass a copy to keep them.
 */
export function computeRetainedSizes(
	graph: HeapGraph,
	essentialEdges: Uint8Array,
	shallowSizes: SizeArray,
	classes: NodeClassKeys,
	scratch: ScratchArrays = new ScratchArrays(),
): RetainedSizes {
	const {retainedSize, classRetained} = dominate(graph, essentialEdges, shallowSizes, classes, scratch, false, true);
	return {retainedSize, classRetained: classRetained!};
}

function dominate(
	graph: HeapGraph,
	essentialEdges: Uint8Array,
	shallowSizes: SizeArray,
	classes: NodeClassKeys | undefined,
	scratch: ScratchArrays,
	keepDominator: boolean,
	consumeEssential: boolean,
): {dominator?: Uint32Array; retainedSize: SizeArray; classRetained?: Float64Array} {
	const n = graph.nodeCount;
	// The DFS clears the bits of the tree edges it takes and of the edges that cannot lower a
	// semidominator (so that the fill pass just reads the bits): a copy, unless the caller's bits may
	// be used up (computeRetainedSizes).
	const essential = consumeEssential ? essentialEdges : essentialEdges.slice();
	// Memory: 3 node-sized Uint32Arrays plus one slot per useful predecessor edge while the
	// predecessor lists exist (their buffer is given back to the system as soon as they are done
	// with; its used-up end holds the semidominators meanwhile), 4 afterwards. Neither the
	// preorder → ordinal map nor the DFS parents are among the 3: they come back after the
	// semidominators, from the ordinal → preorder map and the tree edges the DFS recorded.
	// Internal arrays are taken with n + 1 slots so that any of them can serve any phase (the
	// predecessor offsets need n + 1); they are handed from phase to phase, not reallocated.
	const slots = n + 1;

	// --- DFS preorder over essential edges (numbers: root = 0), predecessors counted on the way ---
	// Only edges that can lower a semidominator are counted: w's first candidate is its DFS parent p,
	// so left out are the tree edges, every retainer of a node whose candidate is already the root
	// (p = 0, or a virtual root child), and retainers numbered between p and w (unprocessed when w is,
	// so their candidate is themselves, not below p). The DFS meets every essential edge once, when its
	// source is on top, and an edge into a numbered node then has all it takes to tell (both numbers,
	// and the target's parent); the bits of the edges left out are cleared, so that the fill pass just
	// reads the bits.
	// (Taken in this order for the memory's sake: of equal arrays the scratch hands out the first given
	// first, and those come from the essential edges' stack and the shortest-path tree's queue, then
	// its put-off list. The stack and the list have had only their first pages written, the queue all
	// of them: the counts, zeroed at once, take the queue; the other two are written as nodes are
	// numbered. Zeroing an array never touched before added its pages while the retiring edge thread's
	// memory was still there: +3 MiB at the 50 MB peak.)
	const preOf = scratch.take(slots); // ordinal → preorder number (where numbered: see `numbered`)
	const firstPred = scratch.take(slots).fill(0); // predecessor counts by number, then their lists' offsets
	// DFS-tree parent by preorder number; becomes the semidominator pass's forest links (see below).
	const ancestor = scratch.take(slots);
	const rootChild = new Uint8Array((n + 7) >>> 3); // bit by preorder number: hangs off the root (virtual edge)
	// The DFS tree's edges: the DFS parents again, at the end.
	const treeEdges = new Uint8Array(essential.length);
	preorder(graph, essential, treeEdges, preOf, ancestor, firstPred, rootChild);

	// --- predecessors in preorder space (prefix, fill backwards) ---------------------------------
	const predCount = countsToEnds(firstPred, n);
	// Int32: the first-entry mark makes an entry negative (numbers stay below 2^31), and negative
	// small integers cost V8 nothing where 2^31 and above would be heap numbers in unoptimized code.
	let preds = new Int32Array(releasableBuffer(predCount * 4));
	fillPredecessors(graph, essential, preOf, firstPred, preds);
	// The offsets become one bit per node (has predecessors) and a mark on each list's first entry:
	// the semidominator pass reads the lists last to first, so it needs no offsets, and one array less.
	const hasPreds = new Uint8Array((n + 7) >>> 3);
	markListStarts(firstPred, preds, hasPreds, n);
	scratch.give(firstPred);

	// --- semidominators (Lengauer–Tarjan's first half: path compression, no balancing) ------------
	// Then idoms the Semi-NCA way (Georgiadis): idom(w) is the nearest common ancestor of parent(w) and
	// sdom(w) in the dominator tree, found by walking up from the parent. Unlike Lengauer–Tarjan's
	// buckets, that needs neither labels as nodes nor bucket lists, and the DFS parents only at the end.
	// Near-linear on heap graphs. The iterative Cooper–Harvey–Kennedy refinement used before needed one
	// pass over the whole heap per element of a circular doubly linked list (Node's timer lists: a timer
	// leak of 6,000 Timeouts meant 6,000 passes, minutes per snapshot).
	// All arrays below are indexed by preorder number and hold preorder numbers. Nodes are processed in
	// reverse preorder, so the processed ones are exactly those numbered >= `done`.
	// - ancestor[]: the forest link of a processed node (its DFS parent when linked, shortened by path
	//   compression); for an unprocessed node, still its DFS parent (a forest root has no link, and
	//   whether a node is a root is told by its number, so the parent needs no array of its own);
	// - best[]: for a processed node, the smallest semidominator on its compressed forest path.
	// The semidominators of nodes with a list go into the lists' memory as it is used up (see
	// semidominators()); a node without a list has its DFS parent as semidominator (the root for a
	// virtual root child). So no array holds them, and the ordinal → preorder map stays: the DFS
	// parents and the preorder → ordinal map then come from one pass over the tree edges.
	const best = scratch.take(slots);
	const semiAt = semidominators(n, rootChild, hasPreds, preds, predCount, ancestor, best);
	scratch.give(ancestor, best);

	// --- idoms: the DFS parents by number (each parent entry becomes the idom) and the preorder →
	// ordinal map; then, in preorder (a node's dominators come before it), the nearest common ancestors.
	const vertex = scratch.take(slots);
	const idom = scratch.take(slots);
	treeParents(graph, treeEdges, preOf, vertex, idom);
	scratch.give(preOf);
	nearestCommonAncestors(idom, preds, semiAt, hasPreds, rootChild, n);
	releaseBuffer(preds.buffer); // rather than wait for the GC: the sizes allocate next
	preds = new Int32Array(0);

	// --- back to ordinals; retained sizes (a dominator's preorder number is below its nodes') ----
	// No retained size exceeds the shallow total: under 4 GiB (the usual case) they fit in a Uint32
	// array, one of those just freed; else Float64.
	const shallowTotal = shallowSizes instanceof Uint32Array ? total(shallowSizes, n) : Infinity;
	const retainedSize: SizeArray = shallowTotal <= 0xffff_ffff ? scratch.take(n) : new Float64Array(n);
	retainedSize.set(shallowSizes);
	const dominator = scratch.take(n);
	sizesUpTheTree(vertex, idom, dominator, retainedSize, n);
	dominator[ROOT_ORDINAL] = ROOT_ORDINAL;
	scratch.give(vertex, idom);
	// The class walk's children lists come from the arrays just freed; without keepDominator, the
	// dominator array itself becomes its stack.
	const classRetained = classes
		? sumPerKey(dominator, retainedSize, classes.nodeKey, classes.keyCount, shallowSizes, scratch, !keepDominator)
		: undefined;
	const result: {dominator?: Uint32Array; retainedSize: SizeArray; classRetained?: Float64Array} = {retainedSize};
	if (keepDominator) result.dominator = dominator;
	else scratch.give(dominator);
	if (classRetained) result.classRetained = classRetained;
	return result;
}

/** Marks the first entry of a node's predecessor list (preorder numbers stay below 2^31). */
const FIRST_PRED = 0x80000000;

// dominate()'s passes, each a small function of its own: V8 compiles a hot loop by compiling its
// whole function, and a cold run (every CLI run) spent ~30 ms of dominate()'s ~115 ms in code not
// optimized yet while one big function was compiled again for each of its loops (see record-scanners.ts).

/** Counts to the ends of their lists (inclusive prefix sums; firstPred[n] = the total); returns the total. */
function countsToEnds(firstPred: Uint32Array, n: number): number {
	let predCount = 0;
	for (let i = 0; i < n; i++) {
		predCount += firstPred[i]!;
		firstPred[i] = predCount;
	}
	firstPred[n] = predCount;
	return predCount;
}

/** Fills the lists backwards (each list's end becomes its start) with the sources' preorder numbers. */
function fillPredecessors(graph: HeapGraph, essential: Uint8Array, preOf: Uint32Array, firstPred: Uint32Array, preds: Int32Array): void {
	const {nodeCount: n, firstEdge, edgeTo} = graph;
	for (let v = n - 1; v >= 0; v--) {
		const from = preOf[v]!;
		for (let e = firstEdge[v + 1]! - 1, first = firstEdge[v]!; e >= first; e--) {
			if (((essential[e >>> 3]! >>> (e & 7)) & 1) === 0) continue;
			preds[--firstPred[preOf[edgeTo[e]!]!]] = from;
		}
	}
}

/** Marks each list's first entry (FIRST_PRED) and sets hasPreds for each node with a list. */
function markListStarts(firstPred: Uint32Array, preds: Int32Array, hasPreds: Uint8Array, n: number): void {
	for (let w = 0; w < n; w++) {
		const first = firstPred[w]!;
		if (first === firstPred[w + 1]!) continue;
		preds[first] = preds[first]! | FIRST_PRED;
		hasPreds[w >>> 3]! |= 1 << (w & 7);
	}
}

/** The compression walk's stack (compressed paths stay short; it grows when one is not). */
interface CompressionPath {
	path: Uint32Array;
}

/**
 * The smallest semidominator on v's forest path (v processed, i.e. v >= done): walks up to the node
 * just below the forest root, then compresses on the way back down.
 */
function evaluate(v: number, done: number, ancestor: Uint32Array, best: Uint32Array, walk: CompressionPath): number {
	let path = walk.path;
	let depth = 0;
	for (let x = v; ancestor[x]! >= done; x = ancestor[x]!) {
		if (depth === path.length) path = walk.path = grown(path);
		path[depth++] = x;
	}
	while (depth > 0) {
		const x = path[--depth]!;
		const a = ancestor[x]!;
		if (best[a]! < best[x]!) best[x] = best[a]!;
		ancestor[x] = ancestor[a]!;
	}
	return best[v]!;
}

/**
 * Semidominators in reverse preorder (see dominate() for the arrays' roles). Those of the nodes with
 * a list go to the end of `preds`, one slot each, downwards (the j-th such node from the last has read
 * at least j + 1 entries by then, all from the end: its slot is one of them); nodes without a list
 * have their DFS parent as semidominator, or the root. Returns where the stored ones begin: from there
 * on, they are in preorder.
 */
function semidominators(
	n: number,
	rootChild: Uint8Array,
	hasPreds: Uint8Array,
	preds: Int32Array,
	predCount: number,
	ancestor: Uint32Array,
	best: Uint32Array,
): number {
	const walk: CompressionPath = {path: new Uint32Array(1024)};
	let k = predCount; // w's list ends where w + 1's starts
	let stored = predCount;
	for (let w = n - 1; w >= 1; w--) {
		// the root's virtual edge: no semidominator can be smaller
		let s = ((rootChild[w >>> 3]! >>> (w & 7)) & 1) === 1 ? 0 : ancestor[w]!;
		if (((hasPreds[w >>> 3]! >>> (w & 7)) & 1) === 1) {
			let entry: number;
			do {
				entry = preds[--k]!;
				const v = entry & ~FIRST_PRED;
				const candidate = v < w ? v : evaluate(v, w + 1, ancestor, best, walk);
				if (candidate < s) s = candidate;
			} while (entry >= 0);
			preds[--stored] = s;
		}
		best[w] = s;
		// w is linked to its parent now (ancestor[w] already is the parent, and w >= done from here on).
	}
	return stored;
}

/**
 * In preorder, each DFS parent entry of idom becomes the idom: the nearest common ancestor of parent and
 * semidominator. The semidominators of the nodes with a list are read from `preds`, from `semiAt` on,
 * in preorder (see semidominators()).
 */
function nearestCommonAncestors(idom: Uint32Array, preds: Int32Array, semiAt: number, hasPreds: Uint8Array, rootChild: Uint8Array, n: number): void {
	let k = semiAt;
	for (let w = 1; w < n; w++) {
		const s = ((hasPreds[w >>> 3]! >>> (w & 7)) & 1) === 1 ? preds[k++]! : idom[w]!;
		// a virtual root child: its semidominator is the root (and it has no DFS parent to start from)
		if (((rootChild[w >>> 3]! >>> (w & 7)) & 1) === 1) {
			idom[w] = 0;
			continue;
		}
		let x = idom[w]!;
		while (x > s) x = idom[x]!;
		idom[w] = x;
	}
}

function total(sizes: Uint32Array, n: number): number {
	let sum = 0;
	for (let v = 0; v < n; v++) sum += sizes[v]!;
	return sum;
}

/** Back to ordinals: each node's dominator, and its retained size added to its dominator's (children first). */
function sizesUpTheTree(vertex: Uint32Array, idom: Uint32Array, dominator: Uint32Array, retainedSize: SizeArray, n: number): void {
	for (let w = n - 1; w >= 1; w--) {
		const v = vertex[w]!;
		const d = vertex[idom[w]!]!;
		dominator[v] = d;
		retainedSize[d] = retainedSize[d]! + retainedSize[v]!;
	}
}

/**
 * Numbers the nodes in DFS preorder over essential edges, from the root, then (when the root does
 * not reach everything) from the virtual root children: nodes with no essential retainer (what they
 * reach is dominated as usual), then what is left (unreachable cycles), all of it directly under the
 * root. Those last ones are still walked depth-first so that the DFS tree stays a DFS tree of the
 * graph (Semi-NCA relies on it), but every node found there is a root child.
 *
 * Fills preOf (ordinal → number), parent (number → DFS parent's number) and
 * rootChild (one bit per number: 1 for virtual root children), and counts into `counts` (by number,
 * zero on entry) the essential edges into each node that can lower its semidominator (see
 * dominate()), clearing the bits of the others. The tree edges' bits are cleared in `essential` and
 * set in `treeEdges`.
 */
function preorder(
	graph: HeapGraph,
	essential: Uint8Array,
	treeEdges: Uint8Array,
	preOf: Uint32Array,
	parent: Uint32Array,
	counts: Uint32Array,
	rootChild: Uint8Array,
): void {
	const {nodeCount: n, firstEdge, edgeTo} = graph;
	// The DFS path (ordinal and next edge per level), as deep as the DFS goes: kept across restarts.
	const walk: CompressionPath = {path: new Uint32Array(4096)};
	// which ordinals have a number (a bit each: it stays in cache for the random lookups), and how many
	const numbered = {bits: new Uint8Array((n + 7) >>> 3), next: 0};
	numbered.next = dfsFrom(graph, ROOT_ORDINAL, 0, essential, treeEdges, preOf, parent, counts, rootChild, numbered, walk);
	if (numbered.next === n) return;
	// Which of the others has an essential retainer: edges out of numbered nodes lead only to numbered
	// nodes, so only the others' own edges can tell (and the bits the DFS cleared are not among them).
	const hasRetainer = new Uint8Array(n);
	for (let v = 0; v < n; v++) {
		if (((numbered.bits[v >>> 3]! >>> (v & 7)) & 1) === 1) continue;
		for (let e = firstEdge[v]!, end = firstEdge[v + 1]!; e < end; e++) if (((essential[e >>> 3]! >>> (e & 7)) & 1) === 1) hasRetainer[edgeTo[e]!] = 1;
	}
	for (let v = 0; v < n; v++) {
		if (((numbered.bits[v >>> 3]! >>> (v & 7)) & 1) === 1 || hasRetainer[v]) continue;
		numbered.next = dfsFrom(graph, v, START_VIRTUAL, essential, treeEdges, preOf, parent, counts, rootChild, numbered, walk);
	}
	for (let v = 0; v < n; v++) {
		if (((numbered.bits[v >>> 3]! >>> (v & 7)) & 1) === 1) continue;
		numbered.next = dfsFrom(graph, v, START_VIRTUAL | ALL_VIRTUAL, essential, treeEdges, preOf, parent, counts, rootChild, numbered, walk);
	}
}

/** dfsFrom's `virtual` bits: the start is a virtual root child; so is every node found. */
const START_VIRTUAL = 1;
const ALL_VIRTUAL = 2;

/**
 * One depth-first search of preorder() from `start` (see there), numbering from numbered.next on;
 * returns the next free number (rather than storing it: a store first made after V8 had compiled the
 * loop would throw the compiled function away).
 */
function dfsFrom(
	graph: HeapGraph,
	start: number,
	virtual: number,
	essential: Uint8Array,
	treeEdges: Uint8Array,
	preOf: Uint32Array,
	parent: Uint32Array,
	counts: Uint32Array,
	rootChild: Uint8Array,
	numbered: {readonly bits: Uint8Array; readonly next: number},
	walk: CompressionPath,
): number {
	const {firstEdge, edgeTo} = graph;
	const visited = numbered.bits;
	let path = walk.path;
	let next = numbered.next;
	const first = next++;
	visited[start >>> 3]! |= 1 << (start & 7);
	preOf[start] = first;
	parent[first] = 0;
	if (virtual !== 0) rootChild[first >>> 3]! |= 1 << (first & 7);
	const allVirtual = (virtual & ALL_VIRTUAL) !== 0;
	path[0] = start;
	path[1] = firstEdge[start]!;
	let depth = 0;
	let v = first; // the number of the node on top of the path
	for (;;) {
		const end = firstEdge[path[depth]! + 1]!;
		let e = path[depth + 1]!;
		let w = 0;
		for (; e < end; e++) {
			if (((essential[e >>> 3]! >>> (e & 7)) & 1) === 0) continue;
			w = edgeTo[e]!;
			if (((visited[w >>> 3]! >>> (w & 7)) & 1) === 0) break;
			// an edge into a numbered node: a predecessor of it, or left out (see dominate())
			const to = preOf[w]!;
			const p = parent[to]!;
			if (p === 0 || ((rootChild[to >>> 3]! >>> (to & 7)) & 1) === 1 || (v < to && v >= p)) essential[e >>> 3] &= ~(1 << (e & 7));
			else counts[to]++;
		}
		if (e === end) {
			if (depth === 0) break;
			depth -= 2;
			v = parent[v]!;
			continue;
		}
		path[depth + 1] = e + 1;
		essential[e >>> 3] &= ~(1 << (e & 7));
		treeEdges[e >>> 3]! |= 1 << (e & 7);
		const no = next++;
		visited[w >>> 3]! |= 1 << (w & 7);
		preOf[w] = no;
		parent[no] = v;
		if (allVirtual) rootChild[no >>> 3]! |= 1 << (no & 7);
		depth += 2;
		if (depth + 1 >= path.length) path = walk.path = grown(path);
		path[depth] = w;
		path[depth + 1] = firstEdge[w]!;
		v = no;
	}
	return next;
}

/**
 * The preorder → ordinal map (vertex) and the DFS parents by number (parent; not written for the root
 * and the DFS's other starts, which have none), from the numbers preorder() gave (preOf) and the tree
 * edges it recorded: one pass in node order. (Walking the recorded tree again, depth-first, as before,
 * took twice as long, and a node-sized cursor array.)
 */
function treeParents(graph: HeapGraph, treeEdges: Uint8Array, preOf: Uint32Array, vertex: Uint32Array, parent: Uint32Array): void {
	const {nodeCount: n, firstEdge, edgeTo} = graph;
	for (let v = 0; v < n; v++) {
		const number = preOf[v]!;
		vertex[number] = v;
		for (let e = firstEdge[v]!, end = firstEdge[v + 1]!; e < end; e++) {
			if (((treeEdges[e >>> 3]! >>> (e & 7)) & 1) === 1) parent[preOf[edgeTo[e]!]!] = number;
		}
	}
}

/**
 * DevTools' per-class retained size: the sum of the retained sizes of a class's instances, except that
 * an instance dominated (transitively) by another instance of the same class key is already inside it.
 * Only instances with a non-zero shallow size count (those are the ones the Summary lists), and only
 * those start such a "shadow" over their dominator subtree.
 *
 * Walks the dominator tree depth-first from the root with a per-key counter of counted ancestors.
 * Returns a Float64Array indexed by class key.
 */
export function computeClassRetainedSizes(
	tree: DominatorTree,
	nodeKey: KeyColumn,
	keyCount: number,
	shallowSizes: SizeArray,
): Float64Array {
	return sumPerKey(tree.dominator, tree.retainedSize, nodeKey, keyCount, shallowSizes, new ScratchArrays(), false);
}

/**
 * computeClassRetainedSizes with the arrays from `scratch` (given back); with consumeDominator, the
 * dominator array is overwritten (it becomes the walk's stack once the children lists are built).
 */
function sumPerKey(
	dominator: Uint32Array,
	retainedSize: SizeArray,
	nodeKey: KeyColumn,
	keyCount: number,
	shallowSizes: SizeArray,
	scratch: ScratchArrays,
	consumeDominator: boolean,
): Float64Array {
	const n = dominator.length;
	// Children CSR of the dominator tree: count, inclusive prefix (each entry the end of its range),
	// fill backwards (so the entries end up at their starts).
	const firstChild = scratch.take(n + 1).fill(0);
	const children = scratch.take(n + 1);
	childLists(dominator, firstChild, children, n);

	const sums = new Float64Array(keyCount);
	const stackArray = consumeDominator ? dominator : scratch.take(n);
	const stack = new Int32Array(stackArray.buffer, stackArray.byteOffset, n);
	sumUnshadowed(firstChild, children, retainedSize, nodeKey, shallowSizes, stack, sums);
	scratch.give(firstChild, children);
	if (!consumeDominator) scratch.give(stackArray);
	return sums;
}

/** The dominator tree's children as CSR lists (children[firstChild[v] … firstChild[v + 1] - 1]). */
function childLists(dominator: Uint32Array, firstChild: Uint32Array, children: Uint32Array, n: number): void {
	countChildren(dominator, firstChild, n);
	prefixSums(firstChild, n);
	fillChildren(dominator, firstChild, children, n);
}

function prefixSums(counts: Uint32Array, n: number): void {
	for (let v = 1; v <= n; v++) counts[v] += counts[v - 1]!;
}

// (each loop a function of its own: see dominate())
function countChildren(dominator: Uint32Array, firstChild: Uint32Array, n: number): void {
	for (let v = 0; v < n; v++) if (v !== ROOT_ORDINAL) firstChild[dominator[v]!]++;
}

function fillChildren(dominator: Uint32Array, firstChild: Uint32Array, children: Uint32Array, n: number): void {
	for (let v = n - 1; v >= 0; v--) if (v !== ROOT_ORDINAL) children[--firstChild[dominator[v]!]] = v;
}

/**
 * The walk of sumPerKey, into sums (per key): depth-first from the root, with a per-key count of the
 * counted instances on the current path.
 */
function sumUnshadowed(
	firstChild: Uint32Array,
	children: Uint32Array,
	retainedSize: SizeArray,
	nodeKey: KeyColumn,
	shallowSizes: SizeArray,
	stack: Int32Array,
	sums: Float64Array,
): void {
	const active = new Uint32Array(sums.length);
	// Stack entries: a node to enter, or EXIT | node to leave a counted node with children. Each node
	// is either waiting to be entered or on the current path, so n slots suffice. Read as Int32, an
	// EXIT entry is negative (no heap number when V8 runs this unoptimized).
	const EXIT = 0x80000000;
	let top = 0;
	stack[top++] = ROOT_ORDINAL;
	while (top > 0) {
		const item = stack[--top]!;
		if (item < 0) {
			active[nodeKey[item & 0x7fffffff]!]--;
			continue;
		}
		const v = item;
		const key = nodeKey[v]!;
		const from = firstChild[v]!;
		const to = firstChild[v + 1]!;
		if (active[key] === 0 && shallowSizes[v]! > 0) {
			sums[key] = sums[key]! + retainedSize[v]!;
			if (from !== to) {
				active[key]++;
				stack[top++] = v | EXIT;
			}
		}
		for (let c = from; c < to; c++) stack[top++] = children[c]!;
	}
}
