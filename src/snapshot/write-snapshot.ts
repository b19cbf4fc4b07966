/**
 * Writes a HeapGraph back out as a .heapsnapshot that Chrome DevTools opens, optionally with every
 * string *value* in the heap replaced, so a snapshot can be shared without its secrets while the
 * graph shape, class names and property names stay. Streams through a small buffer; never builds the
 * file as one string.
 *
 * Redaction points the names of value-carrying nodes (strings of every kind, numbers captured as
 * values, regexp sources) at one "<redacted>" string and blanks every table entry nothing else uses.
 * The snapshot's string table is shared by values and by names (a class "Map" and the string value
 * "Map" are one entry), so the entries themselves are not overwritten: that would rename classes and
 * properties. What stays is what the reports show too: class, function, variable and property names.
 * Symbol descriptions are values spelled into edge names ("<symbol DESCRIPTION>"); they become
 * "<symbol #N>", one N per distinct description, so objects keep their shape names and grouping.
 */
import {closeSync, openSync, writeSync} from 'node:fs';
import {LOCATION_COLUMN, LOCATION_FIELDS, LOCATION_LINE, LOCATION_NODE, LOCATION_SCRIPT, type HeapGraph} from './graph.js';

const NODE_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'];
const VALUE_NODE_TYPES = new Set(['string', 'concatenated string', 'sliced string', 'number', 'regexp']);
const REDACTED = '<redacted>';

export function writeSnapshotFile(graph: HeapGraph, path: string, options: {redactValues: boolean}): void {
	const fd = openSync(path, 'w', 0o600);
	const out = new BufferedWriter(fd);
	try {
		const redaction = options.redactValues ? redact(graph) : null;
		const strings = redaction ? redaction.strings : graph.strings;
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
			const type = graph.nodeType[n]!;
			const name = redaction && redaction.valueType[type] ? redaction.redactedName : graph.nodeName[n];
			out.write(`${n ? ',\n' : ''}${type},${name},${graph.nodeId[n]},${graph.nodeSelfSize[n]},${edges},0,0`);
		}
		out.write('],\n"edges":[');
		for (let e = 0; e < graph.edgeCount; e++) {
			out.write(`${e ? ',\n' : ''}${graph.edgeType[e]},${graph.edgeName[e]},${graph.edgeTo[e]! * nfc}`);
		}
		out.write('],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[');
		const loc = graph.locations;
		if (loc) {
			const e = loc.entries;
			for (let i = 0, at = 0; i < loc.count; i++, at += LOCATION_FIELDS) {
				out.write(`${i ? ',\n' : ''}${e[at + LOCATION_NODE]! * nfc},${e[at + LOCATION_SCRIPT]},${e[at + LOCATION_LINE]},${e[at + LOCATION_COLUMN]}`);
			}
		}
		out.write('],\n"strings":[');
		for (let i = 0; i < strings.length; i++) out.write(`${i ? ',\n' : ''}${JSON.stringify(strings.at(i))}`);
		out.write(']}\n');
		out.flush();
	} finally {
		closeSync(fd);
	}
}

interface Redaction {
	/** the string table to write: names kept, values gone */
	strings: string[];
	/** per node type id: 1 when its nodes' names are values */
	valueType: Uint8Array;
	/** the table index every value node is written with */
	redactedName: number;
}

function redact(graph: HeapGraph): Redaction {
	const valueType = new Uint8Array(graph.nodeTypeNames.length);
	graph.nodeTypeNames.forEach((name, id) => {
		if (VALUE_NODE_TYPES.has(name)) valueType[id] = 1;
	});
	// Element and hidden edges carry an index, not a string-table entry.
	const indexEdge = new Uint8Array(graph.edgeTypeNames.length);
	graph.edgeTypeNames.forEach((name, id) => {
		if (name === 'element' || name === 'hidden') indexEdge[id] = 1;
	});
	const keep = new Uint8Array(graph.strings.length);
	for (let n = 0; n < graph.nodeCount; n++) {
		if (!valueType[graph.nodeType[n]!]) keep[graph.nodeName[n]!] = 1;
	}
	for (let e = 0; e < graph.edgeCount; e++) {
		if (!indexEdge[graph.edgeType[e]!]) keep[graph.edgeName[e]!] = 1;
	}
	const strings = new Array<string>(graph.strings.length + 1);
	let symbols = 0;
	for (let i = 0; i < graph.strings.length; i++) {
		const text = graph.strings.at(i)!;
		if (!keep[i]) strings[i] = '';
		else if (text.startsWith('<symbol ') && text.endsWith('>')) strings[i] = `<symbol #${++symbols}>`;
		else strings[i] = text;
	}
	strings[graph.strings.length] = REDACTED;
	return {strings, valueType, redactedName: graph.strings.length};
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
