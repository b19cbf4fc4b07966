/**
 * Builds small V8-format heap snapshots from a readable description, for parser and graph tests.
 *
 *   const b = new SnapshotBuilder();
 *   const win = b.node('object', 'Window');
 *   b.edge(b.root, win, 'shortcut', 'global');
 *   const foo = b.node('object', 'Foo', {selfSize: 32});
 *   b.edge(win, foo, 'property', 'foo');
 *   const json = b.toJson();            // V8 .heapsnapshot text with a real meta block
 *
 * The node and edge field order follows Node 20 by default; pass `layout: 'node24'` for the 6-field
 * node layout, or `shuffledFields: true` to prove readers resolve fields by name, not position.
 */
export type NodeTypeName =
	| 'hidden' | 'array' | 'string' | 'object' | 'code' | 'closure' | 'regexp' | 'number' | 'native'
	| 'synthetic' | 'concatenated string' | 'sliced string' | 'symbol' | 'bigint' | 'object shape';
export type EdgeTypeName = 'context' | 'element' | 'property' | 'internal' | 'hidden' | 'shortcut' | 'weak';

export const NODE_TYPES: readonly NodeTypeName[] = [
	'hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic',
	'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape',
];
export const EDGE_TYPES: readonly EdgeTypeName[] = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

interface BuiltNode {type: NodeTypeName; name: string; id: number; selfSize: number; edges: BuiltEdge[]; detachedness: number}
interface BuiltEdge {type: EdgeTypeName; name: string | number; to: number}

export interface BuilderOptions {
	layout?: 'node20' | 'node24';
	shuffledFields?: boolean;
}

export class SnapshotBuilder {
	readonly nodes: BuiltNode[] = [];
	readonly root: number;
	private nextId = 1;
	private readonly locations: Array<[number, number, number, number]> = [];

	constructor(private readonly options: BuilderOptions = {}) {
		this.root = this.node('synthetic', '', {selfSize: 0});
	}

	/** Adds a node and returns its ordinal. Ids default to 1, 3, 5, … (V8 gives JS objects odd ids). */
	node(type: NodeTypeName, name: string, options: {selfSize?: number; id?: number} = {}): number {
		const id = options.id ?? this.nextId;
		this.nextId = Math.max(this.nextId, id) + 2;
		this.nodes.push({type, name, id, selfSize: options.selfSize ?? 16, edges: [], detachedness: 0});
		return this.nodes.length - 1;
	}

	edge(from: number, to: number, type: EdgeTypeName, name: string | number): this {
		this.nodes[from]!.edges.push({type, name, to});
		return this;
	}

	/** Records a 0-based source location for a node (closures and objects in real snapshots). */
	location(node: number, scriptId: number, line: number, column: number): this {
		this.locations.push([node, scriptId, line, column]);
		return this;
	}

	toObject(): Record<string, unknown> {
		const strings: string[] = [];
		const stringIndex = new Map<string, number>();
		const intern = (s: string): number => {
			let i = stringIndex.get(s);
			if (i === undefined) {
				i = strings.length;
				strings.push(s);
				stringIndex.set(s, i);
			}
			return i;
		};
		intern('');

		let nodeFields = this.options.layout === 'node24'
			? ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness']
			: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'];
		if (this.options.shuffledFields) nodeFields = [...nodeFields].reverse();
		const edgeFields = this.options.shuffledFields ? ['to_node', 'name_or_index', 'type'] : ['type', 'name_or_index', 'to_node'];
		const nfc = nodeFields.length;

		const nodes: number[] = [];
		const edges: number[] = [];
		let edgeCount = 0;
		for (const n of this.nodes) {
			for (const field of nodeFields) {
				switch (field) {
					case 'type': nodes.push(NODE_TYPES.indexOf(n.type)); break;
					case 'name': nodes.push(intern(n.name)); break;
					case 'id': nodes.push(n.id); break;
					case 'self_size': nodes.push(n.selfSize); break;
					case 'edge_count': nodes.push(n.edges.length); break;
					case 'trace_node_id': nodes.push(0); break;
					case 'detachedness': nodes.push(n.detachedness); break;
					default: throw new Error(field);
				}
			}
			for (const e of n.edges) {
				edgeCount++;
				for (const field of edgeFields) {
					if (field === 'type') edges.push(EDGE_TYPES.indexOf(e.type));
					else if (field === 'to_node') edges.push(e.to * nfc);
					else if (e.type === 'element' || e.type === 'hidden') edges.push(Number(e.name));
					else edges.push(intern(String(e.name)));
				}
			}
		}
		const locations = this.locations.flatMap(([node, script, line, col]) => [node * nfc, script, line, col]);
		const meta = {
			node_fields: nodeFields,
			node_types: nodeFields.map(f => f === 'type' ? [...NODE_TYPES] : f === 'name' ? 'string' : 'number'),
			edge_fields: edgeFields,
			edge_types: edgeFields.map(f => f === 'type' ? [...EDGE_TYPES] : f === 'name_or_index' ? 'string_or_number' : 'node'),
			trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
			trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
			sample_fields: ['timestamp_us', 'last_assigned_id'],
			location_fields: ['object_index', 'script_id', 'line', 'column'],
		};
		return {
			snapshot: {meta, node_count: this.nodes.length, edge_count: edgeCount, trace_function_count: 0},
			nodes, edges,
			trace_function_infos: [], trace_tree: [], samples: [],
			locations,
			strings,
		};
	}

	/** V8's own layout: one JSON document, arrays with a newline every row as V8 writes them. */
	toJson(): string {
		const o = this.toObject() as {snapshot: unknown; nodes: number[]; edges: number[]; locations: number[]; strings: string[]};
		const nf = (o.snapshot as {meta: {node_fields: string[]}}).meta.node_fields.length;
		const rows = (values: number[], width: number): string => {
			const out: string[] = [];
			for (let i = 0; i < values.length; i += width) out.push(values.slice(i, i + width).join(','));
			return out.join(',\n');
		};
		return `{"snapshot":${JSON.stringify(o.snapshot)},\n"nodes":[${rows(o.nodes, nf)}],\n"edges":[${rows(o.edges, 3)}],\n`
			+ `"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[${rows(o.locations, 4)}],\n`
			+ `"strings":[${o.strings.map(s => JSON.stringify(s)).join(',\n')}]}`;
	}
}
