/**
 * Finding a node's source location. graph.locations keeps V8's file order (mostly by node, not
 * strictly), so lookups by node need an order: built on first use, once per graph (a stable radix sort
 * of the entries by node), and only by the code that looks locations up — the per-class summary reads
 * them in file order and never pays for it.
 */
import {LOCATION_FIELDS, LOCATION_NODE, type HeapGraph, type SourceLocations} from './graph.js';

/** Entry numbers in ascending node order (ties in file order), or null when the file order already is. */
const orders = new WeakMap<SourceLocations, Uint32Array | null>();

/** The entry number of `node`'s location (its last one in file order, as DevTools keeps), or -1. */
export function locationEntryOf(graph: HeapGraph, node: number): number {
	const locations = graph.locations;
	if (!locations || locations.count === 0) return -1;
	let order = orders.get(locations);
	if (order === undefined) {
		order = nodeOrder(locations);
		orders.set(locations, order);
	}
	const entries = locations.entries;
	const nodeAt = (k: number) => entries[(order ? order[k]! : k) * LOCATION_FIELDS + LOCATION_NODE]!;
	// the last k with nodeAt(k) <= node
	let lo = 0;
	let hi = locations.count;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (nodeAt(mid) <= node) lo = mid + 1;
		else hi = mid;
	}
	if (lo === 0 || nodeAt(lo - 1) !== node) return -1;
	return order ? order[lo - 1]! : lo - 1;
}

function nodeOrder(locations: SourceLocations): Uint32Array | null {
	const {count, entries} = locations;
	const keys = new Uint32Array(count);
	let sorted = true;
	for (let k = 0; k < count; k++) {
		keys[k] = entries[k * LOCATION_FIELDS + LOCATION_NODE]!;
		if (k > 0 && keys[k]! < keys[k - 1]!) sorted = false;
	}
	return sorted ? null : stableOrderBy(keys);
}

/**
 * The positions of `keys` in ascending key order, ties in input order: an LSD radix sort in two 16-bit
 * passes (a comparator sort of 750 k locations took ten times as long).
 */
export function stableOrderBy(keys: Uint32Array): Uint32Array {
	const count = keys.length;
	let order = new Uint32Array(count);
	for (let k = 0; k < count; k++) order[k] = k;
	let next = new Uint32Array(count);
	const buckets = new Uint32Array(1 << 16);
	for (const shift of [0, 16]) {
		buckets.fill(0);
		for (let k = 0; k < count; k++) buckets[(keys[k]! >>> shift) & 0xffff]!++;
		let sum = 0;
		for (let b = 0; b < buckets.length; b++) {
			const size = buckets[b]!;
			buckets[b] = sum;
			sum += size;
		}
		for (let k = 0; k < count; k++) {
			const from = order[k]!;
			next[buckets[(keys[from]! >>> shift) & 0xffff]!++] = from;
		}
		const swap = order;
		order = next;
		next = swap;
	}
	return order;
}
