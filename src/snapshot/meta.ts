/**
 * The header of a V8 heap snapshot (`{"snapshot": {meta, node_count, edge_count, …}}`) and the field layout
 * it describes. Field positions and type-name lists differ between Node versions (Node 24 drops
 * `trace_node_id`; Node 22 lacks the `wasm object` type), so everything is resolved by name, once.
 */
import {SnapshotFormatError} from './errors.js';

export interface SnapshotMeta {
	node_fields: string[];
	/** Per node field: a list of type names for the `type` field, otherwise a kind such as "number". */
	node_types: Array<string | string[]>;
	edge_fields: string[];
	edge_types: Array<string | string[]>;
	trace_function_info_fields?: string[];
	trace_node_fields?: string[];
	sample_fields?: string[];
	location_fields?: string[];
}

export interface SnapshotHeader {
	meta: SnapshotMeta;
	node_count: number;
	edge_count: number;
	trace_function_count?: number;
	/** Node 24+: native memory V8 knows of but did not attribute to nodes. */
	extra_native_bytes?: number;
}

/** Field offsets inside one node / edge / location record of the flat arrays, resolved by name. */
export interface SnapshotLayout {
	nodeFieldCount: number;
	nodeTypeOffset: number;
	nodeNameOffset: number;
	nodeIdOffset: number;
	nodeSelfSizeOffset: number;
	nodeEdgeCountOffset: number;

	edgeFieldCount: number;
	edgeTypeOffset: number;
	edgeNameOffset: number;
	edgeToNodeOffset: number;

	locationFieldCount: number;
	locationObjectIndexOffset: number;
	locationScriptIdOffset: number;
	locationLineOffset: number;
	locationColumnOffset: number;

	nodeTypeNames: string[];
	edgeTypeNames: string[];
}

/** Types are stored in a Uint8Array, so a meta block listing more type names than this is rejected. */
const MAX_TYPE_NAMES = 256;
/** Counts are stored as u32 ordinals. */
const MAX_COUNT = 0xffff_ffff;

/** Checks the JSON-parsed value of the `"snapshot"` key and returns it typed. */
export function readHeader(value: unknown): SnapshotHeader {
	if (!isObject(value)) throw new SnapshotFormatError('the "snapshot" header is not an object');
	if (!isObject(value.meta)) throw new SnapshotFormatError('the "snapshot" header has no "meta" block');
	const nodeCount = value.node_count;
	const edgeCount = value.edge_count;
	checkCount('node_count', nodeCount);
	checkCount('edge_count', edgeCount);
	const extra = value.extra_native_bytes;
	if (extra !== undefined && (typeof extra !== 'number' || !Number.isFinite(extra) || extra < 0)) {
		throw new SnapshotFormatError(`the header's extra_native_bytes is not a non-negative number: ${short(extra)}`);
	}
	return value as unknown as SnapshotHeader;
}

export function resolveLayout(meta: SnapshotMeta): SnapshotLayout {
	const nodeFields = stringList(meta.node_fields, 'node_fields');
	const edgeFields = stringList(meta.edge_fields, 'edge_fields');
	const node = (name: string) => requiredField(nodeFields, name, 'node_fields');
	const edge = (name: string) => requiredField(edgeFields, name, 'edge_fields');
	const nodeTypeOffset = node('type');
	const edgeTypeOffset = edge('type');

	// V8 omits location_fields in old snapshots; its order has always been this one.
	const locationFields = meta.location_fields === undefined
		? ['object_index', 'script_id', 'line', 'column']
		: stringList(meta.location_fields, 'location_fields');
	const location = (name: string) => requiredField(locationFields, name, 'location_fields');

	return {
		nodeFieldCount: nodeFields.length,
		nodeTypeOffset,
		nodeNameOffset: node('name'),
		nodeIdOffset: node('id'),
		nodeSelfSizeOffset: node('self_size'),
		nodeEdgeCountOffset: node('edge_count'),

		edgeFieldCount: edgeFields.length,
		edgeTypeOffset,
		edgeNameOffset: edge('name_or_index'),
		edgeToNodeOffset: edge('to_node'),

		locationFieldCount: locationFields.length,
		locationObjectIndexOffset: location('object_index'),
		locationScriptIdOffset: location('script_id'),
		locationLineOffset: location('line'),
		locationColumnOffset: location('column'),

		nodeTypeNames: typeNames(meta.node_types, nodeTypeOffset, 'node_types'),
		edgeTypeNames: typeNames(meta.edge_types, edgeTypeOffset, 'edge_types'),
	};
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkCount(name: string, value: unknown): asserts value is number {
	if (value === undefined) throw new SnapshotFormatError(`the "snapshot" header has no ${name}`);
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_COUNT) {
		throw new SnapshotFormatError(`the header's ${name} is not a count: ${short(value)}`);
	}
}

function stringList(value: unknown, what: string): string[] {
	if (!Array.isArray(value) || value.length === 0 || !value.every(v => typeof v === 'string')) {
		throw new SnapshotFormatError(`the header's meta.${what} is not a list of field names`);
	}
	return value as string[];
}

function requiredField(fields: string[], name: string, what: string): number {
	const at = fields.indexOf(name);
	if (at < 0) throw new SnapshotFormatError(`the header's meta.${what} has no "${name}" field`);
	return at;
}

function typeNames(types: unknown, offset: number, what: string): string[] {
	const list = Array.isArray(types) ? types[offset] : undefined;
	if (!Array.isArray(list) || list.length === 0 || list.length > MAX_TYPE_NAMES || !list.every(v => typeof v === 'string')) {
		throw new SnapshotFormatError(`the header's meta.${what} has no list of type names for the "type" field`);
	}
	return list as string[];
}

function short(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
