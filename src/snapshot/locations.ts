/**
 * graph.locations is documented as sorted by node ordinal (the streaming parser sorts it), but V8 writes
 * it in its own order and simpler loaders (tests' JSON.parse loader) keep that order. Engine code that
 * binary-searches or merges by node calls this first: the graph's own table when already sorted, else a
 * stably sorted copy (so that, among entries for one node, file order is kept).
 */
import type {HeapGraph, SourceLocations} from './graph.js';

export function sortedLocations(graph: HeapGraph): SourceLocations | null {
	const locations = graph.locations;
	if (!locations) return null;
	const nodes = locations.node;
	let sorted = true;
	for (let i = 1; i < nodes.length; i++) {
		if (nodes[i]! < nodes[i - 1]!) {
			sorted = false;
			break;
		}
	}
	if (sorted) return locations;
	const order = Array.from(nodes.keys()).sort((a, b) => nodes[a]! - nodes[b]! || a - b);
	return {
		node: Uint32Array.from(order, i => nodes[i]!),
		scriptId: Uint32Array.from(order, i => locations.scriptId[i]!),
		line: Uint32Array.from(order, i => locations.line[i]!),
		column: Uint32Array.from(order, i => locations.column[i]!),
	};
}
