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
import {summarizeWithCounts, type EngineSummary, type SummaryOptions} from './summary.js';
import {computeShortestPaths, traversalTables, treeOfParentEdges, type ShortestPathTree, type TraversalTables} from './traverse.js';
import {WeakMapEdges} from './weakmap-edges.js';
import {ScratchArrays} from './scratch.js';

export interface AnalysisOptions extends ClassKeyOptions {
	/**
	 * Starts the shallow sizes on another thread, or says null (read-file.ts's edge thread, kept after a
	 * two-thread parse: startShallowSizesJob). The summary then computes class keys meanwhile. With
	 * `paths` (the strings' answers, made only if that thread can take the job), for a summary with
	 * retained sizes, the thread then builds the shortest-path tree while this one computes the
	 * essential edges. Injected, so that this module stays free of threads.
	 */
	shallowSizesElsewhere?: (graph: HeapGraph, paths: (() => TraversalTables) | null) => PendingElsewhere | null;
}

/** What another thread computes for the summary (see AnalysisOptions.shallowSizesElsewhere). */
export interface PendingElsewhere {
	/** blocks; null when the other thread could not (this one computes them then) */
	result(): SizeArray | null;
	/**
	 * After result(), when no tree was asked for: the node-sized (n + 1 slots) array the sizes came in,
	 * free once they are taken, for this thread's next phases; else null.
	 */
	sizesBuffer(): Uint32Array | null;
	/** blocks: the tree's parent edges and two arrays free for reuse, or null (not asked for, or failed) */
	shortestPaths(): {parentEdge: Uint32Array; spare: Uint32Array[]} | null;
	/** lets the other thread go, whatever it was doing */
	release(): void;
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

/** Up to this many nodes (8 MiB of parent edges), the shortest-path tree may be built on another thread. */
export const PARALLEL_TREE_MAX_NODES = 1 << 21;

export function analyzeGraph(graph: HeapGraph, options: AnalysisOptions = {}): SnapshotAnalysis {
	let keys: ClassKeys | undefined;
	let shallow: SizeArray | undefined;
	let paths: ShortestPathTree | undefined;
	let retainers: RetainersIndex | undefined;
	let tree: RetainedSizes | undefined;
	let weakMaps: WeakMapEdges | undefined;
	let labeler: PathLabeler | undefined;
	/** instances per class key, from the first summary (the labeler's instancesOf reads them) */
	let instancesPerKey: Uint32Array | null = null;
	/** the dominators' essential edges, when computed ahead (while another thread built the tree) */
	let essentialAhead: Uint8Array | null = null;
	// Node-sized arrays handed between the dominators and the shortest-path tree, whichever comes
	// first; dropped once both are built.
	const scratch = new ScratchArrays();

	const api: SnapshotAnalysis = {
		graph,
		classKeys: () => (keys ??= computeClassKeys(graph, options)),
		// In the graph's own self-size column (see shallow-size.ts, inPlace): nothing reads V8's raw
		// sizes once these exist (their total is the same), and that is one node-sized array less.
		shallowSizes: () => (shallow ??= computeShallowSizes(graph, {inPlace: true})),
		shortestPaths: () => {
			if (!paths) {
				paths = computeShortestPaths(graph, (weakMaps ??= WeakMapEdges.forGraph(graph)), scratch);
				if (tree) scratch.clear();
			}
			return paths;
		},
		retainers: () => (retainers ??= buildRetainers(graph)),
		dominators: () => {
			if (!tree) {
				weakMaps ??= WeakMapEdges.forGraph(graph);
				const essential = essentialAhead ?? computeEssentialEdges(graph, weakMaps, scratch);
				essentialAhead = null;
				// The per-class sums come with the sizes (from the tree's scratch arrays, no extra peak).
				tree = computeRetainedSizes(graph, essential, api.shallowSizes(), api.classKeys(), scratch);
				if (paths) scratch.clear();
			}
			return tree;
		},
		classRetainedSizes: () => api.dominators().classRetained,
		// A scan (about 1 ms per million nodes) rather than an id → ordinal map, which would cost more
		// memory than the graph's own id column; lookups happen on user drill-down only.
		ordinalOfId: (nodeId: number) => graph.nodeId.indexOf(nodeId),
		summary: (summaryOptions: SummaryOptions = {}) => {
			const retained = summaryOptions.retained !== false;
			if (!shallow && !keys) {
				// Class keys here while another thread computes the shallow sizes, when one can. For
				// retained sizes, that thread then builds the shortest-path tree (asked for next, by every
				// caller of a retained summary) while this one computes the dominators' essential edges;
				// the tree's other arrays then serve the dominators. That holds the tree's parent edges
				// (4 bytes a node) through the dominators' peak, which the tree built after them would not:
				// worth it while that is a few MB (the BFS is ~10 % of a 50 MB analyze), not on big heaps,
				// whose peak memory is what decides whether the analysis can run on a busy host at all.
				const wantsPaths = retained && !paths && !tree && graph.nodeCount <= PARALLEL_TREE_MAX_NODES;
				let pathsAsked = false;
				const pathsJob = () => {
					pathsAsked = true;
					return traversalTables(graph.strings, (weakMaps ??= WeakMapEdges.forGraph(graph)));
				};
				const pending = options.shallowSizesElsewhere?.(graph, wantsPaths ? pathsJob : null) ?? null;
				if (pending) {
					try {
						api.classKeys();
						shallow = pending.result() ?? computeShallowSizes(graph, {inPlace: true});
						const free = pending.sizesBuffer();
						if (free) scratch.give(free);
						if (pathsAsked) {
							essentialAhead = computeEssentialEdges(graph, weakMaps!, scratch);
							const done = pending.shortestPaths();
							if (done) {
								paths = treeOfParentEdges(graph, done.parentEdge);
								scratch.give(...done.spare);
							}
						}
					} finally {
						// whatever failed here, the other thread is let go
						pending.release();
					}
				}
			}
			const {summary: result, instancesPerKey: counted} = summarizeWithCounts(graph, {
				keys: api.classKeys(),
				shallowSizes: api.shallowSizes(),
				classRetained: retained ? api.classRetainedSizes() : null,
			}, summaryOptions);
			instancesPerKey ??= counted;
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
	const getLabeler = (): PathLabeler => (labeler ??= new PathLabeler(graph, api.classKeys(), api.shortestPaths(), api.shallowSizes(), instancesPerKey));
	return api;
}
