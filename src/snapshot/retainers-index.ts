/**
 * The reverse of the edge CSR: for every node, the edges that point at it and the nodes they leave.
 * Built by counting then filling (two passes over the edges, no per-node lists).
 *
 * Invariants: the retainers of node n are slots firstRetainer[n] … firstRetainer[n+1]-1; slot s holds
 * edge ordinal retainerEdge[s] whose source is retainerNode[s] and whose target is n; within one node the
 * slots are in ascending edge order; every edge appears in exactly one slot.
 */
import type {HeapGraph} from './graph.js';

export interface RetainersIndex {
	/** length nodeCount + 1 */
	readonly firstRetainer: Uint32Array;
	/** edge ordinals, grouped by target node */
	readonly retainerEdge: Uint32Array;
	/** the source node of retainerEdge[s] */
	readonly retainerNode: Uint32Array;
}

export function buildRetainers(graph: HeapGraph): RetainersIndex {
	const {nodeCount, edgeCount, firstEdge, edgeTo} = graph;
	const firstRetainer = new Uint32Array(nodeCount + 1);
	const retainerEdge = new Uint32Array(edgeCount);
	const retainerNode = new Uint32Array(edgeCount);
	// Count per target, then make firstRetainer[n] the *end* of n's slots (inclusive prefix sum) …
	for (let e = 0; e < edgeCount; e++) firstRetainer[edgeTo[e]!]++;
	let sum = 0;
	for (let n = 0; n < nodeCount; n++) {
		sum += firstRetainer[n]!;
		firstRetainer[n] = sum;
	}
	firstRetainer[nodeCount] = edgeCount;
	// … and fill backwards, decrementing: each end becomes the start, and slots come out in edge order.
	for (let n = nodeCount - 1; n >= 0; n--) {
		for (let e = firstEdge[n + 1]! - 1, first = firstEdge[n]!; e >= first; e--) {
			const to = edgeTo[e]!;
			const slot = firstRetainer[to]! - 1;
			firstRetainer[to] = slot;
			retainerEdge[slot] = e;
			retainerNode[slot] = n;
		}
	}
	return {firstRetainer, retainerEdge, retainerNode};
}

/** The node an edge leaves (binary search over firstEdge): for path printing, not for hot loops. */
export function edgeSource(graph: HeapGraph, edge: number): number {
	const firstEdge = graph.firstEdge;
	let lo = 0;
	let hi = graph.nodeCount - 1;
	// Find the last node whose first edge is <= edge (nodes without edges share a firstEdge value).
	while (lo < hi) {
		const mid = (lo + hi + 1) >>> 1;
		if (firstEdge[mid]! <= edge) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}
