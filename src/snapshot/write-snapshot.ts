/**
 * Writes a HeapGraph back out as a .heapsnapshot that Chrome DevTools opens, optionally with every
 * string *value* in the heap replaced, so a snapshot can be shared without its secrets while the
 * graph shape, class names and property names stay. Streams through a small buffer; never builds the
 * file as one string.
 *
 * Redaction replaces the names of value-carrying nodes (strings of every kind, numbers captured as
 * values, regexp sources). V8 interns its string table, so a value that is also spelled as a property
 * name somewhere is replaced there too: secrets win over fidelity.
 */
import {closeSync, openSync, writeSync} from 'node:fs';
import type {HeapGraph} from './graph.js';

const NODE_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'];
const VALUE_NODE_TYPES = new Set(['string', 'concatenated string', 'sliced string', 'number', 'regexp']);
const REDACTED = '<redacted>';

export function writeSnapshotFile(graph: HeapGraph, path: string, options: {redactValues: boolean}): void {
	const fd = openSync(path, 'w', 0o600);
	const out = new BufferedWriter(fd);
	try {
		const strings = options.redactValues ? redactedStrings(graph) : graph.strings;
		const meta = {
			node_fields: NODE_FIELDS,
			node_types: [[...graph.nodeTypeNames], 'string', 'number', 'number', 'number', 'number', 'number'],
			edge_fields: ['type', 'name_or_index', 'to_node'],
			edge_types: [[...graph.edgeTypeNames], 'string_or_number', 'node'],
			trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
			trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
			sample_fields: ['timestamp_us', 'last_assigned_id'],
			location_fields: ['object_index', 'script_id', 'line', 'column'],
		};
		const header: Record<string, unknown> = {meta, node_count: graph.nodeCount, edge_count: graph.edgeCount, trace_function_count: 0};
		if (graph.extraNativeBytes) header['extra_native_bytes'] = graph.extraNativeBytes;
		out.write(`{"snapshot":${JSON.stringify(header)},\n"nodes":[`);
		const nfc = NODE_FIELDS.length;
		for (let n = 0; n < graph.nodeCount; n++) {
			const edges = graph.firstEdge[n + 1]! - graph.firstEdge[n]!;
			out.write(`${n ? ',\n' : ''}${graph.nodeType[n]},${graph.nodeName[n]},${graph.nodeId[n]},${graph.nodeSelfSize[n]},${edges},0,0`);
		}
		out.write('],\n"edges":[');
		for (let e = 0; e < graph.edgeCount; e++) {
			out.write(`${e ? ',\n' : ''}${graph.edgeType[e]},${graph.edgeName[e]},${graph.edgeTo[e]! * nfc}`);
		}
		out.write('],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[');
		const loc = graph.locations;
		if (loc) {
			for (let i = 0; i < loc.node.length; i++) {
				out.write(`${i ? ',\n' : ''}${loc.node[i]! * nfc},${loc.scriptId[i]},${loc.line[i]},${loc.column[i]}`);
			}
		}
		out.write('],\n"strings":[');
		for (let i = 0; i < strings.length; i++) out.write(`${i ? ',\n' : ''}${JSON.stringify(strings[i])}`);
		out.write(']}\n');
		out.flush();
	} finally {
		closeSync(fd);
	}
}

function redactedStrings(graph: HeapGraph): string[] {
	const strings = [...graph.strings];
	const valueTypes = new Set<number>();
	graph.nodeTypeNames.forEach((name, id) => {
		if (VALUE_NODE_TYPES.has(name)) valueTypes.add(id);
	});
	for (let n = 0; n < graph.nodeCount; n++) {
		if (valueTypes.has(graph.nodeType[n]!)) strings[graph.nodeName[n]!] = REDACTED;
	}
	return strings;
}

/** Collects small writes into 1 MiB blocks: one syscall per block instead of one per number. */
class BufferedWriter {
	private readonly buffer = Buffer.allocUnsafe(1 << 20);
	private used = 0;
	constructor(private readonly fd: number) {}

	write(text: string): void {
		if (text.length * 3 > this.buffer.length - this.used) this.flush();
		if (text.length * 3 > this.buffer.length) {
			writeSync(this.fd, text);
			return;
		}
		this.used += this.buffer.write(text, this.used);
	}

	flush(): void {
		let offset = 0;
		while (offset < this.used) offset += writeSync(this.fd, this.buffer, offset, this.used - offset);
		this.used = 0;
	}
}
