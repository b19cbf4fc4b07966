/**
 * The obviously-correct, slow way to load a snapshot (JSON.parse, then copy into the typed arrays):
 * the oracle the streaming parser must equal, and a quick way for graph-algorithm tests to get a
 * HeapGraph from a builder. Only for small test snapshots.
 */
import type {HeapGraph} from '../../src/snapshot/graph.js';

export function graphFromJson(text: string): HeapGraph {
	const o = JSON.parse(text);
	const meta = o.snapshot.meta;
	const nf: string[] = meta.node_fields;
	const ef: string[] = meta.edge_fields;
	const nfc = nf.length;
	const efc = ef.length;
	const nodeCount = o.nodes.length / nfc;
	const edgeCount = o.edges.length / efc;
	const at = (fields: string[], name: string) => fields.indexOf(name);
	const [nType, nName, nId, nSize, nEdges] = ['type', 'name', 'id', 'self_size', 'edge_count'].map(f => at(nf, f)) as [number, number, number, number, number];
	const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map(f => at(ef, f)) as [number, number, number];

	const nodeType = new Uint8Array(nodeCount);
	const nodeName = new Uint32Array(nodeCount);
	const nodeId = new Uint32Array(nodeCount);
	// The parser's rule: Uint32 unless some self size is 4 GiB or more.
	let wideSizes = false;
	for (let i = 0; i < nodeCount; i++) if (o.nodes[i * nfc + nSize] > 0xffff_ffff) wideSizes = true;
	const nodeSelfSize = wideSizes ? new Float64Array(nodeCount) : new Uint32Array(nodeCount);
	const firstEdge = new Uint32Array(nodeCount + 1);
	let e = 0;
	for (let i = 0; i < nodeCount; i++) {
		const base = i * nfc;
		nodeType[i] = o.nodes[base + nType];
		nodeName[i] = o.nodes[base + nName];
		nodeId[i] = o.nodes[base + nId];
		nodeSelfSize[i] = o.nodes[base + nSize];
		firstEdge[i] = e;
		e += o.nodes[base + nEdges];
	}
	firstEdge[nodeCount] = e;
	const edgeType = new Uint8Array(edgeCount);
	const edgeName = new Uint32Array(edgeCount);
	const edgeTo = new Uint32Array(edgeCount);
	for (let i = 0; i < edgeCount; i++) {
		const base = i * efc;
		edgeType[i] = o.edges[base + eType];
		edgeName[i] = o.edges[base + eName];
		edgeTo[i] = o.edges[base + eTo] / nfc;
	}
	const loc: number[] = o.locations ?? [];
	const locCount = loc.length / 4;
	// in the file's order, object indexes as node ordinals
	const locations = locCount === 0 ? null : {count: locCount, entries: Uint32Array.from(loc, (v, i) => (i % 4 === 0 ? v / nfc : v))};
	return {
		nodeCount, edgeCount,
		nodeTypeNames: meta.node_types[nType],
		edgeTypeNames: meta.edge_types[eType],
		strings: o.strings,
		nodeType, nodeName, nodeId, nodeSelfSize, firstEdge,
		edgeType, edgeName, edgeTo,
		locations,
		extraNativeBytes: o.snapshot.extra_native_bytes ?? 0,
	};
}
