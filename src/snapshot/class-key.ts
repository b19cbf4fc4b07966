/**
 * The class of every node, named as DevTools' Summary names it (HeapSnapshot.calculateObjectNames in
 * DevTools' heap snapshot worker, checked against heap-snapshot-toolkit):
 *
 *   hidden            → "(system)"            code   → "(compiled code)"
 *   closure           → "Function"            regexp → "RegExp"
 *   object, native    → the node's name (a constructor name such as "Map", "global", "system / Context";
 *                       "<div id=…>" shortened to "<div>"); plain `Object`s get shape names ({a, b})
 *   any other type    → "(" + type + ")": "(array)", "(string)", "(concatenated string)",
 *                       "(sliced string)", "(number)", "(symbol)", "(bigint)", "(object shape)", …
 *
 * DevTools aggregates by a *class key*, not the bare name: objects whose constructor has a source
 * location are keyed by (script, line, column, name), so two `class Foo`s in different files are two
 * rows. The per-class retained-size rule works on that key, so we keep it (`nodeKey`), and map each key
 * to its durable name (`keyClass` → `classNames`). Summaries merge keys that share a name.
 *
 * Invariants: nodeKey[n] < keyCount; keyClass[k] < classNames.length; keys 0 … classNames.length-1
 * are the location-less keys with keyClass[k] === k; located keys follow. Class numbers are assigned in
 * first-seen order (fixed type names, then node names in node order, then shape names); only the
 * partition into keys and the names are meaningful.
 *
 * Cost: one pass over the nodes, one over the locations (in file order), and shape naming over plain
 * objects only.
 * Keeps nodeKey: 2 bytes per node while every key fits in 16 bits (the usual case: a few thousand
 * keys), else 4 (the column is widened, copied once, when the first key past 0xffff comes). That is
 * the analysis' one node-sized array besides the graph's own through the dominators' peak, and 2 bytes
 * a node is ~50 MB at 2 GB. Temporaries are per string (a name → class table) and per plain object,
 * none per node.
 */
import type {HeapGraph, SourceLocations} from './graph.js';
import {LOCATION_COLUMN, LOCATION_FIELDS, LOCATION_LINE, LOCATION_NODE, LOCATION_SCRIPT, typeIds} from './graph.js';
import {inferInterfaceNames} from './interface-names.js';

/** A class key per node: Uint16Array while every key fits, else Uint32Array (read it as numbers). */
export type KeyColumn = Uint16Array | Uint32Array;

export interface ClassKeys {
	/** per node ordinal: its class key */
	readonly nodeKey: KeyColumn;
	/** per key: its index in classNames */
	readonly keyClass: Uint32Array;
	readonly keyCount: number;
	/** durable class names, as DevTools shows them */
	readonly classNames: readonly string[];
}

export interface ClassKeyOptions {
	/** name plain objects by their shape ({a, b}), as recent DevTools does (default true) */
	interfaceNames?: boolean;
	/** for tests: the largest key the narrow column takes before it is widened (default 0xffff) */
	narrowKeyLimit?: number;
}

/** The class name index of one node. */
export function classOf(keys: ClassKeys, node: number): number {
	return keys.keyClass[keys.nodeKey[node]!]!;
}

export function classNameOf(keys: ClassKeys, node: number): string {
	return keys.classNames[classOf(keys, node)]!;
}

/** DevTools' short class name of a DOM-like native name: '<div id="a">' → '<div>'. */
function shortenTagName(name: string): string {
	if (name.startsWith('<')) {
		const space = name.indexOf(' ');
		return space === -1 ? name : name.substring(0, space) + '>';
	}
	if (name.startsWith('Detached <')) {
		const space = name.indexOf(' ', 10);
		return space === -1 ? name : name.substring(0, space) + '>';
	}
	return name;
}

export function computeClassKeys(graph: HeapGraph, options: ClassKeyOptions = {}): ClassKeys {
	const {nodeCount, nodeType, strings} = graph;
	const t = typeIds(graph.nodeTypeNames, ['hidden', 'object', 'native', 'code', 'closure', 'regexp'] as const);

	const classNames: string[] = [];
	const classByName = new Map<string, number>();
	const classFor = (name: string): number => {
		let c = classByName.get(name);
		if (c === undefined) {
			c = classNames.length;
			classNames.push(name);
			classByName.set(name, c);
		}
		return c;
	};
	// Fixed names per node type (index by type id), -1 where the name comes from the node itself.
	const typeClass = new Int32Array(graph.nodeTypeNames.length).fill(-1);
	graph.nodeTypeNames.forEach((typeName, id) => {
		if (id === t.object || id === t.native) return;
		if (id === t.hidden) typeClass[id] = classFor('(system)');
		else if (id === t.code) typeClass[id] = classFor('(compiled code)');
		else if (id === t.closure) typeClass[id] = classFor('Function');
		else if (id === t.regexp) typeClass[id] = classFor('RegExp');
		else typeClass[id] = classFor(`(${typeName})`);
	});
	// Object and native nodes are named by their name string the same way (shortenTagName), so one
	// class per distinct string index serves both types; only the shape names below tell types apart.
	// Holds class + 1 (0 = not seen yet): left unfilled, only the pages of names in use are touched.
	const stringClass = new Uint32Array(strings.length);
	// Plain objects (type object, named "Object") are collected here for shape naming, which then
	// looks at those nodes only instead of scanning every node twice.
	const plainName = options.interfaceNames === false || t.object < 0 ? -1 : strings.indexOf('Object');
	const plain = {nodes: new Uint32Array(1024), count: 0};

	let limit = Math.min(options.narrowKeyLimit ?? 0xffff, 0xffff);
	let nodeKey: KeyColumn = new Uint16Array(nodeCount);
	const widen = () => {
		if (nodeKey instanceof Uint16Array) nodeKey = new Uint32Array(nodeKey);
		limit = 0xffff_ffff;
	};
	const classOfName = (nameIndex: number) => classFor(shortenTagName(strings.at(nameIndex) ?? ''));
	for (let from = 0; ; widen()) {
		from = keyNodes(graph, typeClass, stringClass, nodeKey, from, limit, t.object, plainName, plain, classOfName);
		if (from === nodeCount) break;
	}
	const {nodes: plainNodes, count: plainCount} = plain;
	if (plainCount > 0) {
		const interfaces = inferInterfaceNames(graph, {nodes: plainNodes, count: plainCount});
		if (interfaces) {
			const interfaceClass = interfaces.names.map(classFor);
			if (interfaceClass.some(c => c > limit)) widen();
			const {interfaceOf} = interfaces;
			for (let i = 0; i < plainCount; i++) {
				const shape = interfaceOf[i]!;
				if (shape >= 0) nodeKey[plainNodes[i]!] = interfaceClass[shape]!;
			}
		}
	}

	const classCount = classNames.length;
	const located = new LocatedKeys(classCount);
	const locations = graph.locations;
	if (locations && t.object >= 0) {
		for (let from = locations.count - 1; ; widen()) {
			from = keyLocatedNodes(locations, nodeType, t.object, nodeKey, from, limit, classCount, located);
			if (from < 0) break;
		}
	}
	const keyCount = located.keyCount;
	const keyClass = new Uint32Array(keyCount);
	for (let k = 0; k < classCount; k++) keyClass[k] = k;
	located.writeClasses(keyClass);
	return {nodeKey, keyClass, keyCount, classNames};
}

/**
 * The pass over every node from `from` on: its class from its type, or from its name (asked of
 * `classOfName` once per name, then looked up in stringClass, which holds class + 1), and the plain
 * objects collected into `plain` for shape naming. Stops at the first node whose class is past
 * `limit` and returns its ordinal (the caller widens nodeKey and goes on from there), else nodeCount.
 * A function of its own, as is keyLocatedNodes, so that V8 compiles just this loop (a cold run
 * reaches it in the interpreter; see record-scanners.ts).
 */
function keyNodes(
	graph: HeapGraph,
	typeClass: Int32Array,
	stringClass: Uint32Array,
	nodeKey: KeyColumn,
	from: number,
	limit: number,
	objectType: number,
	plainName: number,
	plain: {nodes: Uint32Array; count: number},
	classOfName: (nameIndex: number) => number,
): number {
	const {nodeCount, nodeType, nodeName} = graph;
	let plainNodes = plain.nodes;
	let plainCount = plain.count;
	// Hot loop: typed-array reads and a table lookup per node; a string is looked at once per distinct name.
	let n = from;
	for (; n < nodeCount; n++) {
		const type = nodeType[n]!;
		let c = typeClass[type]!;
		if (c < 0) {
			const nameIndex = nodeName[n]!;
			c = stringClass[nameIndex]! - 1;
			if (c < 0) {
				c = classOfName(nameIndex);
				stringClass[nameIndex] = c + 1;
			}
			if (c > limit) break;
			if (nameIndex === plainName && type === objectType) {
				if (plainCount === plainNodes.length) {
					const grown = new Uint32Array(plainCount * 2);
					grown.set(plainNodes);
					plainNodes = grown;
				}
				plainNodes[plainCount++] = n;
			}
		}
		nodeKey[n] = c;
	}
	plain.nodes = plainNodes;
	plain.count = plainCount;
	return n;
}

/**
 * Located objects get their own keys (script, line, column, class), as DevTools' classKeyInternal.
 * DevTools keeps the last location recorded for a node: walking the file's order backwards, the first
 * entry seen for a node is the one that counts, and a node already given a located key (keys from
 * classCount up) is passed over. Walks from entry `from` down; stops at the first entry whose key is
 * past `limit` and returns that entry's number (the caller widens nodeKey and goes on from there),
 * else -1.
 */
function keyLocatedNodes(
	locations: SourceLocations,
	nodeType: Uint8Array,
	objectType: number,
	nodeKey: KeyColumn,
	from: number,
	limit: number,
	classCount: number,
	located: LocatedKeys,
): number {
	const entries = locations.entries;
	const nodeCount = nodeKey.length;
	// Instances of one class mostly share one location: per class, the last location looked up and its
	// key (+ 1; 0: none yet) answer most nodes without the hash table.
	const lastKey = new Uint32Array(classCount);
	const lastScript = new Uint32Array(classCount);
	const lastLine = new Uint32Array(classCount);
	const lastColumn = new Uint32Array(classCount);
	for (let i = from; i >= 0; i--) {
		const at = i * LOCATION_FIELDS;
		const n = entries[at + LOCATION_NODE]!;
		if (n >= nodeCount || nodeType[n] !== objectType) continue;
		const c = nodeKey[n]!;
		if (c >= classCount) continue;
		const script = entries[at + LOCATION_SCRIPT]!;
		const line = entries[at + LOCATION_LINE]!;
		const column = entries[at + LOCATION_COLUMN]!;
		const last = lastKey[c]!;
		if (last !== 0 && lastScript[c] === script && lastLine[c] === line && lastColumn[c] === column) {
			nodeKey[n] = last - 1;
			continue;
		}
		const key = located.keyOf(script, line, column, c);
		if (key > limit) return i;
		nodeKey[n] = key;
		lastKey[c] = key + 1;
		lastScript[c] = script;
		lastLine[c] = line;
		lastColumn[c] = column;
	}
	return -1;
}

/**
 * (script, line, column, class) → class key, numbered from `firstKey` in first-seen order: an
 * open-addressing hash table over the four numbers (compared exactly), so no string is built per lookup.
 */
class LocatedKeys {
	/** per slot: entry number + 1, 0 when empty */
	private slots = new Uint32Array(1024);
	/** per entry: script, line, column, class */
	private entries = new Uint32Array(4 * 256);
	private count = 0;

	constructor(private readonly firstKey: number) {}

	get keyCount(): number {
		return this.firstKey + this.count;
	}

	keyOf(script: number, line: number, column: number, c: number): number {
		const h = hashLocation(script, line, column, c);
		const mask = this.slots.length - 1;
		const {entries} = this;
		for (let slot = h & mask; ; slot = (slot + 1) & mask) {
			const stored = this.slots[slot]!;
			if (stored === 0) break;
			const at = (stored - 1) * 4;
			if (entries[at] === script && entries[at + 1] === line && entries[at + 2] === column && entries[at + 3] === c) {
				return this.firstKey + stored - 1;
			}
		}
		const entry = this.count++;
		if ((entry + 1) * 4 > this.entries.length) {
			const grown = new Uint32Array(this.entries.length * 2);
			grown.set(this.entries);
			this.entries = grown;
		}
		const at = entry * 4;
		this.entries[at] = script;
		this.entries[at + 1] = line;
		this.entries[at + 2] = column;
		this.entries[at + 3] = c;
		if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
		else this.insert(h, entry);
		return this.firstKey + entry;
	}

	/** keyClass[firstKey + entry] = the entry's class */
	writeClasses(keyClass: Uint32Array): void {
		for (let entry = 0; entry < this.count; entry++) keyClass[this.firstKey + entry] = this.entries[entry * 4 + 3]!;
	}

	private insert(hash: number, entry: number): void {
		const mask = this.slots.length - 1;
		let slot = hash & mask;
		while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
		this.slots[slot] = entry + 1;
	}

	private rehash(size: number): void {
		this.slots = new Uint32Array(size);
		for (let entry = 0; entry < this.count; entry++) {
			const at = entry * 4;
			this.insert(hashLocation(this.entries[at]!, this.entries[at + 1]!, this.entries[at + 2]!, this.entries[at + 3]!), entry);
		}
	}
}

function hashLocation(script: number, line: number, column: number, c: number): number {
	let h = Math.imul(script ^ 0x9e3779b9, 0x85ebca6b);
	h = Math.imul(h ^ line ^ (h >>> 15), 0xc2b2ae35);
	h = Math.imul(h ^ column ^ (h >>> 13), 0x85ebca6b);
	h = Math.imul(h ^ c ^ (h >>> 16), 0xc2b2ae35);
	return (h ^ (h >>> 15)) >>> 0;
}
