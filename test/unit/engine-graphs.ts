/** Graph generators and slow reference algorithms shared by the snapshot-engine unit tests. */
import {SnapshotBuilder, type EdgeTypeName} from '../helpers/snapshot-builder.js';
import type {HeapGraph} from '../../src/snapshot/graph.js';

/** Deterministic pseudo-random graph (with self edges, parallel edges, weak edges, unreachable nodes). */
export function randomGraph(
	seed: number, nodes: number, edges: number,
	types: EdgeTypeName[] = ['property', 'element', 'internal', 'weak', 'context', 'hidden'],
	/** make node 1 a synthetic "(GC roots)" and the root's only child (then there are no user roots) */
	systemRootsOnly = false,
) {
	let state = seed;
	const random = () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
	const b = new SnapshotBuilder();
	const ids = [b.root];
	for (let i = 1; i < nodes; i++) {
		if (i === 1 && systemRootsOnly) ids.push(b.node('synthetic', '(GC roots)', {selfSize: 0}));
		else ids.push(b.node('object', `N${i % 5}`, {selfSize: 1 + Math.floor(random() * 100)}));
	}
	if (systemRootsOnly) b.edge(b.root, ids[1]!, 'element', 1);
	for (let i = 0; i < edges; i++) {
		const from = ids[(systemRootsOnly ? 1 : 0) + Math.floor(random() * (nodes - (systemRootsOnly ? 1 : 0)))]!;
		const to = ids[1 + Math.floor(random() * (nodes - 1))]!;
		const type = types[Math.floor(random() * types.length)]!;
		b.edge(from, to, type, type === 'element' || type === 'hidden' ? i : `e${i}`);
	}
	return b;
}

/**
 * Immediate dominators by the textbook data-flow definition (Dom(v) = {v} ∪ ⋂ Dom(preds)), on the
 * graph of non-weak edges (no shortcuts, no WeakMaps, no page objects in the graphs this is used on),
 * with DevTools' rule for what the root does not reach: nodes without a strong retainer hang off the
 * root, then whatever is still unreached does too.
 */
export function naiveDominators(g: HeapGraph): number[] {
	const weak = g.edgeTypeNames.indexOf('weak');
	const n = g.nodeCount;
	const preds: Set<number>[] = Array.from({length: n}, () => new Set());
	const succ: number[][] = Array.from({length: n}, () => []);
	for (let v = 0; v < n; v++) {
		for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++) {
			const w = g.edgeTo[e]!;
			if (g.edgeType[e] === weak || w === v) continue;
			preds[w]!.add(v);
			succ[v]!.push(w);
		}
	}
	const reach = (from: number[], seen: boolean[]) => {
		const stack = [...from];
		for (const s of from) seen[s] = true;
		while (stack.length) {
			const v = stack.pop()!;
			for (const w of succ[v]!) if (!seen[w]) { seen[w] = true; stack.push(w); }
		}
	};
	const seen: boolean[] = new Array(n).fill(false);
	reach([0], seen);
	const orphans = [];
	for (let v = 1; v < n; v++) if (!seen[v] && preds[v]!.size === 0) orphans.push(v);
	reach(orphans, seen);
	for (const v of orphans) preds[v]!.add(0);
	for (let v = 1; v < n; v++) if (!seen[v]) preds[v]!.add(0);

	const all = new Set(Array.from({length: n}, (_, i) => i));
	const dom: Set<number>[] = Array.from({length: n}, (_, i) => (i === 0 ? new Set([0]) : new Set(all)));
	let changed = true;
	while (changed) {
		changed = false;
		for (let v = 1; v < n; v++) {
			let next = new Set<number>();
			let first = true;
			for (const p of preds[v]!) {
				const dp = dom[p]!;
				next = first ? new Set(dp) : new Set([...next].filter(x => dp.has(x)));
				first = false;
			}
			next.add(v);
			if (next.size !== dom[v]!.size) { dom[v] = next; changed = true; }
		}
	}
	return dom.map((set, v) => {
		if (v === 0) return 0;
		let best = 0;
		for (const d of set) if (d !== v && dom[d]!.size > dom[best]!.size) best = d;
		return best;
	});
}
