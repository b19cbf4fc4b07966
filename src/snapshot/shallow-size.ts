/**
 * DevTools' shallow size (JSHeapSnapshot.calculateShallowSizes): V8 writes an object's internal
 * storage — elements arrays, hash tables, external string data — as nodes of their own. DevTools gives
 * each such *internal* node's size to the one non-internal node that owns it and shows 0 for the
 * internal node, so an `Array`'s shallow size includes its elements store and a `Map`'s its table.
 *
 * Internal = node type `hidden` or `array`, or native `system / ExternalStringData`.
 * Owner of an internal node = the single non-internal node from which it is reached over non-weak
 * edges, passing only through internal nodes. Reached from two owners → keeps its own size. Owned by
 * the root or a synthetic node → keeps its size too. Snapshots without user roots (taken with
 * internals exposed) are left as V8 wrote them.
 *
 * Invariants: the result sums to the same total as nodeSelfSize; an internal node's owner state only
 * moves unreached → one owner → MULTIPLE, so it enters the stack at most twice. The answer depends only
 * on which owners reach a node, not on the walk's order.
 */
import type {HeapGraph, SizeArray} from './graph.js';
import {ROOT_ORDINAL, typeIds} from './graph.js';

const MULTIPLE_OWNERS = 0xffffffff;

/** True when the root has a non-synthetic child (normally `global / `): DevTools' "user roots". */
export function hasUserRoots(graph: HeapGraph): boolean {
	const synthetic = typeIds(graph.nodeTypeNames, ['synthetic'] as const).synthetic;
	for (let e = graph.firstEdge[ROOT_ORDINAL]!, end = graph.firstEdge[ROOT_ORDINAL + 1]!; e < end; e++) {
		if (graph.nodeType[graph.edgeTo[e]!] !== synthetic) return true;
	}
	return false;
}

/**
 * Uint32Array when the self sizes are (shallow sizes only move bytes between nodes, so none exceeds
 * the total) and their total fits in 32 bits, else Float64Array: 13 MB less on 3.3 M nodes.
 *
 * Cost: one walk over every non-weak edge of every node (owners' edges once, internal nodes' at most
 * twice). No node-sized temporary: while the walk runs, an internal node's slot of the result holds its
 * owner state (its own size is read back from nodeSelfSize at the end), so the only memory besides the
 * result is one bit per node and a stack that holds internal nodes. Fresh node-sized arrays are what
 * this phase paid most for: on the benchmark VM, first touching 13 MB of new pages cost as much as
 * walking all 10 M edges.
 */
export interface ShallowSizeOptions {
	/** The string index of "system / ExternalStringData" (-1: none): for a thread without the strings. */
	externalStringData?: number;
	/**
	 * Where to write the sizes when they fit in 32 bits (a shared array, so that another thread can do
	 * this): all zeros, nodeCount long. Sizes that need 64 bits still come in a new Float64Array.
	 */
	into?: Uint32Array;
	/**
	 * Turn graph.nodeSelfSize itself into the shallow sizes, when that column can hold them (it is
	 * Float64, or their total fits in 32 bits): no second node-sized array, for the rest of the
	 * analysis (4 bytes a node: 100 MB on a 2 GB snapshot). The total stays the same. Else, as without.
	 */
	inPlace?: boolean;
}

export function computeShallowSizes(graph: HeapGraph, options: ShallowSizeOptions = {}): SizeArray {
	const {nodeCount} = graph;
	const self = graph.nodeSelfSize;
	const narrowArray = () => options.into ?? new Uint32Array(nodeCount);
	let total = 0;
	if (!hasUserRoots(graph)) {
		for (let n = 0; n < nodeCount; n++) total += self[n]!;
		if (options.inPlace && (self instanceof Float64Array || total <= 0xffff_ffff)) return self;
		if (!(self instanceof Uint32Array && total <= 0xffff_ffff)) return Float64Array.from(self);
		const copy = narrowArray();
		copy.set(self);
		return copy;
	}
	if (nodeCount >= MULTIPLE_OWNERS) throw new RangeError('Too many nodes for shallow sizes');
	const t = typeIds(graph.nodeTypeNames, ['hidden', 'array', 'native', 'synthetic'] as const);
	const weak = typeIds(graph.edgeTypeNames, ['weak'] as const).weak;
	const externalStringData = options.externalStringData ?? graph.strings.indexOf('system / ExternalStringData');

	// One bit per node, set for internal nodes: the edge walk tests it for every edge's target, and at
	// 1/32 of a node-sized array it stays in cache where the type column would not. The same pass
	// sums the self sizes, which decides the result's array type.
	// (Each pass is a function of its own, so that a cold run compiles each loop alone: see
	// record-scanners.ts.)
	const internal = new Int32Array((nodeCount + 31) >>> 5);
	total = markInternal(graph, t.hidden, t.array, t.native, externalStringData, internal);
	const narrow = self instanceof Uint32Array && total <= 0xffff_ffff;
	if (options.inPlace && (narrow || self instanceof Float64Array)) {
		// Internal nodes' own sizes, set aside in node order: their slots hold owner states meanwhile.
		const saved = self instanceof Float64Array ? new Float64Array(countBits(internal)) : new Uint32Array(countBits(internal));
		setAside(internal, self, saved);
		walkOwners(graph, internal, weak, self);
		settleInternal(graph, internal, t.synthetic, self, saved, false);
		return self;
	}

	// Owners' slots hold their own size; internal nodes' slots hold their owner state while the walk
	// runs: 0 = not reached, owner ordinal + 1, or MULTIPLE_OWNERS (exact in either array type).
	// A new array is all zeros: every internal node starts "not reached"; owners fill in their size below.
	const sizes: SizeArray = narrow ? narrowArray() : new Float64Array(nodeCount);
	walkOwners(graph, internal, weak, sizes);
	settleInternal(graph, internal, t.synthetic, sizes, self, true);
	return sizes;
}

/** Sets the bit of every internal node; returns the total of the self sizes. */
function markInternal(graph: HeapGraph, hidden: number, array: number, native: number, externalStringData: number, internal: Int32Array): number {
	const {nodeCount, nodeType, nodeName} = graph;
	const self = graph.nodeSelfSize;
	let total = 0;
	// Branch-free: every read and store below happens for every node, so none is first met after V8
	// has compiled the loop (the first internal or native node may come late; a loop compiled before
	// it was thrown away when it came).
	for (let n = 0; n < nodeCount; n++) {
		total += self[n]!;
		const type = nodeType[n]!;
		const external = nodeName[n] === externalStringData && type === native;
		internal[n >>> 5]! |= (type === hidden || type === array || external ? 1 : 0) << (n & 31);
	}
	return total;
}

/** From every owner, depth-first through internal nodes over non-weak edges: the owner states. */
function walkOwners(graph: HeapGraph, internal: Int32Array, weak: number, sizes: SizeArray): void {
	const {nodeCount, firstEdge, edgeType, edgeTo} = graph;
	const self = graph.nodeSelfSize;
	let stack = new Uint32Array(1 << 16);
	let top = 0;
	for (let n = 0; n < nodeCount; n++) {
		if ((internal[n >>> 5]! & (1 << (n & 31))) !== 0) continue;
		sizes[n] = self[n]!;
		// Depth-first from owner n through internal nodes; popped nodes pass on their own owner state.
		let from = n;
		let tag = n + 1;
		for (;;) {
			for (let e = firstEdge[from]!, end = firstEdge[from + 1]!; e < end; e++) {
				const to = edgeTo[e]!;
				// Most edges lead to owners: rule those out before reading the edge's type.
				if ((internal[to >>> 5]! & (1 << (to & 31))) === 0 || edgeType[e] === weak) continue;
				const current = sizes[to]!;
				if (current === tag || current === MULTIPLE_OWNERS) continue;
				sizes[to] = current === 0 ? tag : MULTIPLE_OWNERS;
				if (top === stack.length) {
					const grown = new Uint32Array(stack.length * 2);
					grown.set(stack);
					stack = grown;
				}
				stack[top++] = to;
			}
			if (top === 0) break;
			from = stack[--top]!;
			tag = sizes[from]!;
		}
	}
}

/**
 * Internal nodes (set bits, a word at a time): give the size to a single real owner, else keep it.
 * Owners' slots are sizes already, and no owner is internal, so the order does not matter. Their own
 * sizes are read from `own`: graph.nodeSelfSize by ordinal (`byOrdinal`), or (in place) the sizes set
 * aside, in the same order as this walk.
 */
function settleInternal(graph: HeapGraph, internal: Int32Array, synthetic: number, sizes: SizeArray, own: SizeArray, byOrdinal: boolean): void {
	const {nodeType} = graph;
	let k = 0;
	for (let word = 0; word < internal.length; word++) {
		for (let bits = internal[word]!; bits !== 0; bits &= bits - 1) {
			const n = (word << 5) | (31 - Math.clz32(bits & -bits));
			const size = own[byOrdinal ? n : k++]!;
			const state = sizes[n]!;
			const owner = state - 1;
			if (state === 0 || state === MULTIPLE_OWNERS || owner === ROOT_ORDINAL || nodeType[owner] === synthetic) {
				sizes[n] = size;
			} else {
				sizes[owner] = sizes[owner]! + size;
				sizes[n] = 0;
			}
		}
	}
}

function countBits(words: Int32Array): number {
	let count = 0;
	for (let w = 0; w < words.length; w++) {
		let v = words[w]! - ((words[w]! >>> 1) & 0x55555555);
		v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
		count += (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
	}
	return count;
}

/** Copies the sizes of the set bits' nodes into `saved`, in node order, and zeroes their slots ("not reached"). */
function setAside(internal: Int32Array, sizes: SizeArray, saved: SizeArray): void {
	let k = 0;
	for (let word = 0; word < internal.length; word++) {
		for (let bits = internal[word]!; bits !== 0; bits &= bits - 1) {
			const n = (word << 5) | (31 - Math.clz32(bits & -bits));
			saved[k++] = sizes[n]!;
			sizes[n] = 0;
		}
	}
}
