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
 * Algorithm: Cooper, Harvey & Kennedy, "A Simple, Fast Dominance Algorithm" (2001): an iterative DFS
 * gives a post-order; idoms are refined in reverse post-order until nothing changes (a few passes on
 * heap graphs). The predecessors are rebuilt as a CSR in post-order space (essential edges only), so
 * the passes read them sequentially; all loop arrays are indexed by post-order number (root = n-1),
 * which keeps `intersect` a walk towards larger numbers. Nodes with one retainer are settled after
 * the first pass. No retainer index is needed (that one is built lazily, for drill-down only).
 *
 * Invariants: dominator[root] === root; for every other node n, dominator[n] !== n, and every path of
 * essential edges from the root to n passes through dominator[n]; retainedSize[n] = shallowSize[n] +
 * the retained sizes of the nodes it immediately dominates.
 */
import type {HeapGraph} from './graph.js';
import {ROOT_ORDINAL, typeIds} from './graph.js';
import {WeakMapEdges} from './weakmap-edges.js';

export interface DominatorTree {
	/** immediate dominator per node ordinal (the root dominates itself) */
	readonly dominator: Uint32Array;
	/** retained size per node ordinal (DevTools shallow sizes summed over the dominator subtree) */
	readonly retainedSize: Float64Array;
	/** how many refinement passes the algorithm needed (for benchmarks) */
	readonly passes: number;
}

/** One bit per edge: 1 = the edge retains its target for dominator purposes. */
export function computeEssentialEdges(graph: HeapGraph, weakMaps: WeakMapEdges = WeakMapEdges.forGraph(graph)): Uint8Array {
	const {nodeCount, edgeCount, firstEdge, edgeType, edgeName, edgeTo, nodeId} = graph;
	const et = typeIds(graph.edgeTypeNames, ['weak', 'shortcut', 'internal', 'element'] as const);
	const synthetic = typeIds(graph.nodeTypeNames, ['synthetic'] as const).synthetic;
	const domTreesName = graph.strings.indexOf('(Document DOM trees)');

	// Page-owned nodes: everything reachable over non-weak edges from the root's shortcut children.
	const page = new Uint8Array(nodeCount);
	const stack = new Uint32Array(nodeCount);
	let top = 0;
	for (let e = firstEdge[ROOT_ORDINAL]!, end = firstEdge[ROOT_ORDINAL + 1]!; e < end; e++) {
		const to = edgeTo[e]!;
		const type = edgeType[e]!;
		const isDomTrees = type === et.element && graph.nodeType[to] === synthetic && graph.nodeName[to] === domTreesName && domTreesName >= 0;
		if (type !== et.shortcut && !isDomTrees) continue;
		if (page[to]) continue;
		page[to] = 1;
		stack[top++] = to;
	}
	while (top > 0) {
		const n = stack[--top]!;
		for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
			const to = edgeTo[e]!;
			if (page[to] || edgeType[e] === et.weak) continue;
			page[to] = 1;
			stack[top++] = to;
		}
	}

	const bits = new Uint8Array((edgeCount + 7) >>> 3);
	for (let n = 0; n < nodeCount; n++) {
		const pageOwned = page[n]!;
		for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
			const type = edgeType[e]!;
			if (type === et.weak) continue;
			const to = edgeTo[e]!;
			if (to === n) continue;
			if (n !== ROOT_ORDINAL) {
				if (type === et.shortcut) continue;
				if (page[to] && !pageOwned) continue;
			}
			if (type === et.internal) {
				const pair = weakMaps.pairOf(edgeName[e]!);
				if (pair >= 0 && weakMaps.tableIdOfPair[pair] === nodeId[n]) continue;
			}
			bits[e >>> 3]! |= 1 << (e & 7);
		}
	}
	return bits;
}

export function isEssential(bits: Uint8Array, edge: number): boolean {
	return ((bits[edge >>> 3]! >>> (edge & 7)) & 1) === 1;
}

const UNDEFINED = 0xffffffff;

export function computeDominators(graph: HeapGraph, essential: Uint8Array, shallowSizes: Float64Array): DominatorTree {
	const {nodeCount, edgeCount, firstEdge, edgeTo} = graph;
	const n = nodeCount;

	// --- post-order by iterative DFS over essential edges ---------------------------------------
	const poOf = new Uint32Array(n).fill(UNDEFINED); // also the "visited" mark (VISITING before numbered)
	const order = new Uint32Array(n); // post-order number → ordinal
	let stackNode = new Uint32Array(n);
	let stackCursor = new Uint32Array(n);
	const VISITING = 0xfffffffe;
	let next = 0;
	const dfs = (start: number): void => {
		let top = 0;
		stackNode[0] = start;
		stackCursor[0] = firstEdge[start]!;
		poOf[start] = VISITING;
		while (top >= 0) {
			const v = stackNode[top]!;
			let e = stackCursor[top]!;
			const end = firstEdge[v + 1]!;
			let descended = false;
			for (; e < end; e++) {
				if (((essential[e >>> 3]! >>> (e & 7)) & 1) === 0) continue;
				const w = edgeTo[e]!;
				if (poOf[w] !== UNDEFINED) continue;
				stackCursor[top] = e + 1;
				poOf[w] = VISITING;
				top++;
				stackNode[top] = w;
				stackCursor[top] = firstEdge[w]!;
				descended = true;
				break;
			}
			if (!descended) {
				poOf[v] = next;
				order[next++] = v;
				top--;
			}
		}
	};
	// The root is numbered last: its real children first, then the virtual ones (below).
	poOf[ROOT_ORDINAL] = VISITING;
	for (let e = firstEdge[ROOT_ORDINAL]!, end = firstEdge[ROOT_ORDINAL + 1]!; e < end; e++) {
		if (((essential[e >>> 3]! >>> (e & 7)) & 1) === 0) continue;
		const w = edgeTo[e]!;
		if (poOf[w] === UNDEFINED) dfs(w);
	}
	// Virtual root children: nodes with no essential retainer (and what they reach), then the rest.
	const rootChild = new Uint8Array(n);
	if (next < n - 1) {
		const hasRetainer = new Uint8Array(n);
		for (let e = 0; e < edgeCount; e++) if (((essential[e >>> 3]! >>> (e & 7)) & 1) === 1) hasRetainer[edgeTo[e]!] = 1;
		for (let v = 0; v < n; v++) {
			if (poOf[v] !== UNDEFINED || hasRetainer[v]) continue;
			rootChild[v] = 1;
			dfs(v);
		}
		for (let v = 0; v < n; v++) {
			if (poOf[v] !== UNDEFINED) continue;
			rootChild[v] = 1;
			poOf[v] = next;
			order[next++] = v;
		}
	}
	poOf[ROOT_ORDINAL] = next;
	order[next++] = ROOT_ORDINAL;
	const rootPo = n - 1;
	stackNode = stackCursor = new Uint32Array(0); // free before the next allocations

	// --- predecessors in post-order space (count, prefix, fill backwards) ------------------------
	// Sequential scans in the refinement passes instead of random reads of a retainer index.
	const firstPred = new Uint32Array(n + 1);
	let essentialCount = 0;
	for (let e = 0; e < edgeCount; e++) {
		if (((essential[e >>> 3]! >>> (e & 7)) & 1) === 0) continue;
		firstPred[poOf[edgeTo[e]!]!]++;
		essentialCount++;
	}
	for (let i = 0, sum = 0; i < n; i++) {
		sum += firstPred[i]!;
		firstPred[i] = sum;
	}
	firstPred[n] = essentialCount;
	const preds = new Uint32Array(essentialCount);
	for (let v = n - 1; v >= 0; v--) {
		const from = poOf[v]!;
		for (let e = firstEdge[v + 1]! - 1, first = firstEdge[v]!; e >= first; e--) {
			if (((essential[e >>> 3]! >>> (e & 7)) & 1) === 0) continue;
			const to = poOf[edgeTo[e]!]!;
			const slot = firstPred[to]! - 1;
			firstPred[to] = slot;
			preds[slot] = from;
		}
	}

	// --- Cooper–Harvey–Kennedy on post-order numbers --------------------------------------------
	// Settled nodes are never revisited: virtual root children (dominated by the root) from the start,
	// and nodes with a single retainer — most heap nodes — once the first pass has set their only
	// predecessor (their DFS parent, so already processed) as their dominator.
	const idom = new Uint32Array(n).fill(UNDEFINED);
	const settled = new Uint8Array(n); // by post-order number
	for (let i = 0; i < rootPo; i++) {
		if (rootChild[order[i]!] === 1) {
			idom[i] = rootPo;
			settled[i] = 1;
		}
	}
	idom[rootPo] = rootPo;
	settled[rootPo] = 1;
	let passes = 0;
	let changed = true;
	while (changed) {
		changed = false;
		passes++;
		// Reverse post-order: every node after its DFS parent. Hot loop: sequential over preds.
		for (let i = rootPo - 1; i >= 0; i--) {
			if (settled[i] === 1) continue;
			let newIdom = UNDEFINED;
			for (let s = firstPred[i]!, end = firstPred[i + 1]!; s < end; s++) {
				let p = preds[s]!;
				if (idom[p] === UNDEFINED) continue;
				if (newIdom === UNDEFINED) {
					newIdom = p;
					continue;
				}
				let q = newIdom;
				while (p !== q) {
					while (p < q) p = idom[p]!;
					while (q < p) q = idom[q]!;
				}
				newIdom = p;
			}
			if (firstPred[i + 1]! - firstPred[i]! === 1) settled[i] = 1;
			if (newIdom !== idom[i]) {
				idom[i] = newIdom;
				changed = true;
			}
		}
	}

	// --- back to ordinals; retained sizes in one post-order sweep -------------------------------
	const dominator = new Uint32Array(n);
	const retainedSize = shallowSizes.slice();
	for (let i = 0; i < rootPo; i++) {
		const v = order[i]!;
		const d = order[idom[i]!]!;
		dominator[v] = d;
		retainedSize[d] = retainedSize[d]! + retainedSize[v]!;
	}
	dominator[ROOT_ORDINAL] = ROOT_ORDINAL;
	return {dominator, retainedSize, passes};
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
	nodeKey: Uint32Array,
	keyCount: number,
	shallowSizes: Float64Array,
): Float64Array {
	const {dominator, retainedSize} = tree;
	const n = dominator.length;
	// Children CSR of the dominator tree (count, prefix, fill).
	const firstChild = new Uint32Array(n + 1);
	for (let v = 0; v < n; v++) if (v !== ROOT_ORDINAL) firstChild[dominator[v]! + 1]++;
	for (let v = 0; v < n; v++) firstChild[v + 1] += firstChild[v]!;
	const children = new Uint32Array(n);
	const cursor = firstChild.slice(0, n);
	for (let v = 0; v < n; v++) {
		if (v === ROOT_ORDINAL) continue;
		const d = dominator[v]!;
		children[cursor[d]!] = v;
		cursor[d]++;
	}

	const sums = new Float64Array(keyCount);
	const active = new Uint32Array(keyCount);
	// Stack entries: a node to enter, or EXIT | node to leave a counted node with children. Each node
	// is either waiting to be entered or on the current path, so n slots suffice.
	const EXIT = 0x80000000;
	const stack = cursor;
	let top = 0;
	stack[top++] = ROOT_ORDINAL;
	while (top > 0) {
		const item = stack[--top]!;
		if (item & EXIT) {
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
				stack[top++] = (v | EXIT) >>> 0;
			}
		}
		for (let c = from; c < to; c++) stack[top++] = children[c]!;
	}
	return sums;
}
