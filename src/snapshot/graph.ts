import type {StringTable} from './string-table.js';

/**
 * HeapGraph: a V8 heap snapshot held as flat typed arrays (struct of arrays), the one representation
 * every engine module works on. No object is ever created per node or per edge.
 *
 * Vocabulary (used everywhere in src/snapshot):
 * - a node **ordinal** is the node's position (0 … nodeCount-1); ordinal 0 is the synthetic root;
 * - an **edge ordinal** is the edge's position (0 … edgeCount-1). The edges of node n are the
 *   ordinals firstEdge[n] … firstEdge[n+1]-1, in snapshot order (firstEdge has a sentinel at nodeCount);
 * - edgeTo holds node ordinals (V8 writes node *indexes*, i.e. ordinal × node field count; the parser divides).
 * - names are indexes into `strings`, except for `element` and `hidden` edges, whose edgeName is the
 *   element index itself (a number, not a string index) — use edgeNameText() rather than reading it raw.
 *
 * Node and edge type ids are positions in nodeTypeNames / edgeTypeNames, which come from the snapshot's
 * own meta block (they differ between Node versions), so always resolve them by name with typeIds().
 */
export interface HeapGraph {
	readonly nodeCount: number;
	readonly edgeCount: number;
	/** Node type names by type id, from `meta.node_types[typeField]`. */
	readonly nodeTypeNames: readonly string[];
	/** Edge type names by type id, from `meta.edge_types[typeField]`. */
	readonly edgeTypeNames: readonly string[];
	/** the strings table (see string-table.ts): read it with at(), not [] */
	readonly strings: StringTable;

	readonly nodeType: Uint8Array;
	readonly nodeName: Uint32Array;
	/** V8's heap object id: stable across snapshots of one inspector session, larger for newer objects. */
	readonly nodeId: Uint32Array;
	/**
	 * V8's raw self size in bytes. Uint32 (half the memory) unless some node is 4 GiB or larger (a huge
	 * backing store), in which case the parser writes the whole column as Float64; read it as numbers.
	 * Once a graph is analysed (analysis.ts), DevTools' shallow sizes in place (same total: internal
	 * nodes' sizes moved to their owners; see shallow-size.ts, inPlace), which is also what a snapshot
	 * written from it holds (DevTools computes the same shallow and retained sizes from those).
	 */
	readonly nodeSelfSize: SizeArray;
	/** length nodeCount + 1 */
	readonly firstEdge: Uint32Array;

	readonly edgeType: Uint8Array;
	readonly edgeName: Uint32Array;
	readonly edgeTo: Uint32Array;

	/** Source locations of closures/objects where V8 records them (0-based line and column), or null. */
	readonly locations: SourceLocations | null;
	/** Header's `extra_native_bytes` (Node 24+), else 0. */
	readonly extraNativeBytes: number;
}

/** Byte sizes per node: Uint32Array when every value fits, else Float64Array (decided per array). */
export type SizeArray = Uint32Array | Float64Array;

/**
 * The source locations V8 recorded (for closures, and for objects whose constructor has one), kept in
 * the file's order: V8 writes them mostly, not strictly, by node, and putting them in node order cost a
 * parse as much as reading them. A node listed twice: its last entry counts, as in DevTools.
 * Lookups by node go through locations.ts, which indexes them once, on first use.
 */
export interface SourceLocations {
	readonly count: number;
	/** LOCATION_FIELDS numbers per location (length count × LOCATION_FIELDS), see LOCATION_NODE… */
	readonly entries: Uint32Array;
}

export const LOCATION_FIELDS = 4;
/** offsets in a location's entries: the node's ordinal, the script id, the 0-based line and column */
export const LOCATION_NODE = 0;
export const LOCATION_SCRIPT = 1;
export const LOCATION_LINE = 2;
export const LOCATION_COLUMN = 3;

export const ROOT_ORDINAL = 0;

/** Resolves type names to ids for one graph; -1 when this snapshot's meta lacks the type. */
export function typeIds<const T extends readonly string[]>(names: readonly string[], wanted: T): Record<T[number], number> {
	const out = {} as Record<string, number>;
	for (const name of wanted) out[name] = names.indexOf(name);
	return out as Record<T[number], number>;
}

/**
 * `max`, or the largest name among the edges from..to-1 that are named by a string index: every edge
 * but element and hidden ones, whose name is the index itself. (The parser checks these names against
 * its strings with it; the edge thread of a two-thread parse reports it.)
 */
export function maxStringEdgeName(edgeTypeNames: readonly string[], edgeType: Uint8Array, edgeName: Uint32Array, from: number, to: number, max = -1): number {
	const element = edgeTypeNames.indexOf('element');
	const hidden = edgeTypeNames.indexOf('hidden');
	for (let e = from; e < to; e++) {
		const name = edgeName[e]!;
		if (name > max && edgeType[e] !== element && edgeType[e] !== hidden) max = name;
	}
	return max;
}

/** The text of an edge's name: the property/variable name, or the element index as a string. */
export function edgeNameText(graph: HeapGraph, edge: number): string {
	const typeName = graph.edgeTypeNames[graph.edgeType[edge]!];
	const raw = graph.edgeName[edge]!;
	if (typeName === 'element' || typeName === 'hidden') return String(raw);
	return graph.strings.at(raw) ?? String(raw);
}

export function nodeNameText(graph: HeapGraph, node: number): string {
	return graph.strings.at(graph.nodeName[node]!) ?? '';
}

export function nodeTypeText(graph: HeapGraph, node: number): string {
	return graph.nodeTypeNames[graph.nodeType[node]!] ?? 'unknown';
}
