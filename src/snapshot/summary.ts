/**
 * Per-class figures of one snapshot, as DevTools' Summary shows them: every node with a non-zero
 * DevTools shallow size is listed under its class (internal nodes whose size went to their owner have
 * 0 and are not listed, exactly as in DevTools). Class keys that share a name (same-named constructors
 * from different files) are merged into one durable row.
 *
 * countsByGeneration buckets instances by node id: entry g counts ids in (b[g-1], b[g]] of the sorted
 * generationBoundaries (b[-1] = 0), the last entry ids above the last boundary.
 */
import type {ClassSummary, SnapshotSummary} from '../model/types.js';
import type {ClassKeys, KeyColumn} from './class-key.js';
import type {HeapGraph, SizeArray} from './graph.js';

export type EngineSummary = Omit<SnapshotSummary, 'seq' | 't' | 'file' | 'captureMs' | 'parseMs'>;

export interface SummaryOptions {
	/** max node ids of earlier snapshots (ascending) to bucket countsByGeneration */
	generationBoundaries?: number[];
	/** include retained sizes (needs classRetained); default true when available */
	retained?: boolean;
}

export interface SummaryInputs {
	keys: ClassKeys;
	shallowSizes: SizeArray;
	/** per class key (computeClassRetainedSizes), or null when not computed */
	classRetained: Float64Array | null;
}

/** The summary, and the instances per class key it counted on the way (for PathLabeler.instancesOf). */
export function summarizeWithCounts(graph: HeapGraph, inputs: SummaryInputs, options: SummaryOptions = {}): {summary: EngineSummary; instancesPerKey: Uint32Array} {
	const {nodeCount} = graph;
	const {keys, shallowSizes} = inputs;
	const {nodeKey, keyClass} = keys;
	const classCount = keys.classNames.length;
	const boundaries = [...(options.generationBoundaries ?? [])].sort((a, b) => a - b);
	const bucketCount = boundaries.length + 1;
	const withRetained = options.retained !== false && inputs.classRetained !== null;

	// Accumulated per class key (no keyClass lookup per node), folded into classes below.
	const keyCount = keys.keyCount;
	const keySelf = new Float64Array(keyCount);
	const keyMinId = new Uint32Array(keyCount).fill(0xffffffff);
	const keyMaxId = new Uint32Array(keyCount);
	const keyGenerations = new Uint32Array(keyCount * bucketCount);
	const {totalSize, maxNodeId} = accumulateByKey(graph, nodeKey, shallowSizes, boundaries, keySelf, keyMinId, keyMaxId, keyGenerations);

	const count = new Float64Array(classCount);
	const self = new Float64Array(classCount);
	const minId = new Uint32Array(classCount).fill(0xffffffff);
	const maxId = new Uint32Array(classCount);
	const generations = new Uint32Array(classCount * bucketCount);
	const instancesPerKey = new Uint32Array(keyCount);
	for (let k = 0; k < keyCount; k++) {
		const c = keyClass[k]!;
		self[c] += keySelf[k]!;
		if (keyMinId[k]! < minId[c]!) minId[c] = keyMinId[k]!;
		if (keyMaxId[k]! > maxId[c]!) maxId[c] = keyMaxId[k]!;
		// A key's instance count is the sum of its generation buckets (one counter less in the hot loop).
		for (let g = 0; g < bucketCount; g++) {
			const instances = keyGenerations[k * bucketCount + g]!;
			generations[c * bucketCount + g] += instances;
			count[c] += instances;
			instancesPerKey[k] += instances;
		}
	}

	const retained = new Float64Array(classCount);
	if (withRetained) {
		const perKey = inputs.classRetained!;
		for (let k = 0; k < keys.keyCount; k++) retained[keyClass[k]!] += perKey[k]!;
	}

	const classes: ClassSummary[] = [];
	for (let c = 0; c < classCount; c++) {
		if (count[c] === 0) continue;
		classes.push({
			name: keys.classNames[c]!,
			count: count[c]!,
			selfSize: self[c]!,
			retainedSize: withRetained ? retained[c]! : null,
			minId: minId[c]!,
			maxId: maxId[c]!,
			countsByGeneration: Array.from(generations.subarray(c * bucketCount, (c + 1) * bucketCount)),
		});
	}
	classes.sort((a, b) => (b.retainedSize ?? b.selfSize) - (a.retainedSize ?? a.selfSize) || b.selfSize - a.selfSize || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const summary = {
		nodeCount,
		edgeCount: graph.edgeCount,
		totalSize,
		maxNodeId,
		generationBoundaries: boundaries,
		classes,
	};
	return {summary, instancesPerKey};
}

/**
 * The pass over every node: per class key, self size, id range and instances per generation bucket;
 * returns the total self size and the largest JS object id. A function of its own, so that a cold run
 * compiles just this loop (see record-scanners.ts).
 */
function accumulateByKey(
	graph: HeapGraph,
	nodeKey: KeyColumn,
	shallowSizes: SizeArray,
	boundaries: readonly number[],
	keySelf: Float64Array,
	keyMinId: Uint32Array,
	keyMaxId: Uint32Array,
	keyGenerations: Uint32Array,
): {totalSize: number; maxNodeId: number} {
	const {nodeCount, nodeId, nodeSelfSize} = graph;
	const bucketCount = boundaries.length + 1;
	const lastBoundary = boundaries.length === 0 ? -1 : boundaries[boundaries.length - 1]!;
	let totalSize = 0;
	let maxNodeId = 0;
	// Hot loop: typed arrays only; the generation bucket is a short binary search over the boundaries
	// (skipped for ids past the last boundary: the newest objects, and every id when there are none).
	for (let n = 0; n < nodeCount; n++) {
		const id = nodeId[n]!;
		// Only JS heap objects (odd ids) mark generations: embedder (native) nodes carry huge even ids
		// that are not allocation-ordered and would swallow every later object into one bucket.
		if ((id & 1) === 1 && id > maxNodeId) maxNodeId = id;
		totalSize += nodeSelfSize[n]!;
		const size = shallowSizes[n]!;
		if (size === 0) continue;
		const k = nodeKey[n]!;
		keySelf[k] += size;
		if (id < keyMinId[k]!) keyMinId[k] = id;
		if (id > keyMaxId[k]!) keyMaxId[k] = id;
		let lo = boundaries.length;
		if (id <= lastBoundary) {
			lo = 0;
			let hi = boundaries.length;
			while (lo < hi) {
				const mid = (lo + hi) >>> 1;
				if (id <= boundaries[mid]!) hi = mid;
				else lo = mid + 1;
			}
		}
		keyGenerations[k * bucketCount + lo]++;
	}
	return {totalSize, maxNodeId};
}
