/**
 * The engine's facade for the worker: one HeapGraph in, summaries and retaining paths out. Each piece
 * (class keys, shallow sizes, shortest-path tree, retainers, dominators, per-class retained sizes) is
 * computed the first time something needs it and kept, so a summary without retained sizes never pays
 * for dominators, and later path questions reuse the BFS.
 */
import type {ClassRetainers, PathStep} from '../model/types.js';
import {computeClassKeys, type ClassKeys, type ClassKeyOptions} from './class-key.js';
import {computeEssentialEdges, computeRetainedSizes, type RetainedSizes} from './dominators.js';
import type {HeapGraph, SizeArray} from './graph.js';
import {PathLabeler, classRetainers, directRetainerPaths, type ClassRetainersOptions} from './paths.js';
import {buildRetainers, type RetainersIndex} from './retainers-index.js';
import {computeShallowSizes} from './shallow-size.js';
import {summarize, type EngineSummary, type SummaryOptions} from './summary.js';
import {computeShortestPaths, type ShortestPathTree} from './traverse.js';
import {WeakMapEdges} from './weakmap-edges.js';
import {ScratchArrays} from './scratch.js';

export interface AnalysisOptions extends ClassKeyOptions {
	/**
	 * Starts the shallow sizes on another thread, or says null (read-file.ts's edge thread, kept after a
	 * two-thread parse: startShallowSizesJob). The summary then computes class keys meanwhile. Injected,
	 * so that this module stays free of threads.
	 */
	shallowSizesElsewhere?: (graph: HeapGraph) => {result(): SizeArray | null} | null;
}

export interface SnapshotAnalysis {
	readonly graph: HeapGraph;
	summary(options?: SummaryOptions): EngineSummary;
	classRetainers(className: string, options?: ClassRetainersOptions): ClassRetainers | null;
	/** one path per direct retainer of the node (root → retainer → node), for drill-down */
	nodeRetainers(nodeId: number): PathStep[][];
	/** DevTools retained size of one node by id, or null when no node has that id */
	retainedSizeOf(nodeId: number): number | null;
	/** the shortest readable retaining path of one node by id, root side first, or null */
	pathTo(nodeId: number): PathStep[] | null;

	// The pieces, computed on first use (for tests and benchmarks).
	classKeys(): ClassKeys;
	shallowSizes(): SizeArray;
	shortestPaths(): ShortestPathTree;
	retainers(): RetainersIndex;
	/** retained sizes per node and per class key, from the dominator tree (the tree itself is not kept) */
	dominators(): RetainedSizes;
	/** per class key */
	classRetainedSizes(): Float64Array;
	ordinalOfId(nodeId: number): number;
}

export function analyzeGraph(graph: HeapGraph, options: AnalysisOptions = {}): SnapshotAnalysis {
	let keys: ClassKeys | undefined;
	let shallow: SizeArray | undefined;
	let paths: ShortestPathTree | undefined;
	let retainers: RetainersIndex | undefined;
	let tree: RetainedSizes | undefined;
	let weakMaps: WeakMapEdges | undefined;
	let labeler: PathLabeler | undefined;
	// Dominators leave node-sized arrays here for the shortest-path tree; dropped once that is built.
	const scratch = new ScratchArrays();

	const api: SnapshotAnalysis = {
		graph,
		classKeys: () => (keys ??= computeClassKeys(graph, options)),
		shallowSizes: () => (shallow ??= computeShallowSizes(graph)),
		shortestPaths: () => {
			if (!paths) {
				paths = computeShortestPaths(graph, (weakMaps ??= WeakMapEdges.forGraph(graph)), scratch);
				scratch.clear();
			}
			return paths;
		},
		retainers: () => (retainers ??= buildRetainers(graph)),
		dominators: () => {
			if (!tree) {
				weakMaps ??= WeakMapEdges.forGraph(graph);
				const essential = computeEssentialEdges(graph, weakMaps, scratch);
				// The per-class sums come with the sizes (from the tree's scratch arrays, no extra peak).
				tree = computeRetainedSizes(graph, essential, api.shallowSizes(), api.classKeys(), scratch);
			}
			return tree;
		},
		classRetainedSizes: () => api.dominators().classRetained,
		// A scan (about 1 ms per million nodes) rather than an id → ordinal map, which would cost more
		// memory than the graph's own id column; lookups happen on user drill-down only.
		ordinalOfId: (nodeId: number) => graph.nodeId.indexOf(nodeId),
		summary: (summaryOptions: SummaryOptions = {}) => {
			if (!shallow && !keys) {
				// Class keys here while another thread computes the shallow sizes, when one can.
				const pending = options.shallowSizesElsewhere?.(graph) ?? null;
				if (pending) {
					try {
						api.classKeys();
					} finally {
						// collected even when the class keys failed, so that the other thread is always let go
						shallow = pending.result() ?? computeShallowSizes(graph);
					}
				}
			}
			const retained = summaryOptions.retained !== false;
			const result = summarize(graph, {
				keys: api.classKeys(),
				shallowSizes: api.shallowSizes(),
				classRetained: retained ? api.classRetainedSizes() : null,
			}, summaryOptions);
			// Retaining paths are what gets asked next (analyze, check and the retainers screen all
			// follow a retained summary with them): building their tree now reuses the dominators'
			// scratch arrays instead of adding its own on top while those wait for the GC.
			if (retained) api.shortestPaths();
			return result;
		},
		classRetainers: (className, retainerOptions) => classRetainers(getLabeler(), className, retainerOptions),
		nodeRetainers: (nodeId: number) => {
			const n = api.ordinalOfId(nodeId);
			return n < 0 ? [] : directRetainerPaths(getLabeler(), api.retainers(), n);
		},
		pathTo: (nodeId: number) => {
			const n = api.ordinalOfId(nodeId);
			return n < 0 ? null : getLabeler().pathTo(n);
		},
		retainedSizeOf: (nodeId: number) => {
			const n = api.ordinalOfId(nodeId);
			return n < 0 ? null : api.dominators().retainedSize[n]!;
		},
	};
	const getLabeler = (): PathLabeler => (labeler ??= new PathLabeler(graph, api.classKeys(), api.shortestPaths(), api.shallowSizes()));
	return api;
}
