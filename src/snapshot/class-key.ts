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
 * are the location-less keys with keyClass[k] === k; located keys follow.
 */
import type {HeapGraph} from './graph.js';
import {typeIds} from './graph.js';
import {inferInterfaceNames} from './interface-names.js';
import {sortedLocations} from './locations.js';

export interface ClassKeys {
	/** per node ordinal: its class key */
	readonly nodeKey: Uint32Array;
	/** per key: its index in classNames */
	readonly keyClass: Uint32Array;
	readonly keyCount: number;
	/** durable class names, as DevTools shows them */
	readonly classNames: readonly string[];
}

export interface ClassKeyOptions {
	/** name plain objects by their shape ({a, b}), as recent DevTools does (default true) */
	interfaceNames?: boolean;
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
	const {nodeCount, nodeType, nodeName, strings} = graph;
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
	// Object/native names: one lookup per distinct string, cached by string index.
	const stringClass = new Int32Array(strings.length).fill(-1);

	const interfaces = options.interfaceNames === false ? null : inferInterfaceNames(graph);
	const interfaceClass = interfaces ? interfaces.names.map(classFor) : [];

	const nodeKey = new Uint32Array(nodeCount);
	// Hot loop: one typed-array read per node plus a cached lookup; no allocation.
	for (let n = 0; n < nodeCount; n++) {
		const type = nodeType[n]!;
		const fixed = typeClass[type]!;
		if (fixed >= 0) {
			nodeKey[n] = fixed;
			continue;
		}
		if (interfaces) {
			const shape = interfaces.nodeInterface[n]!;
			if (shape >= 0) {
				nodeKey[n] = interfaceClass[shape]!;
				continue;
			}
		}
		const nameIndex = nodeName[n]!;
		let c = stringClass[nameIndex]!;
		if (c < 0) {
			c = classFor(shortenTagName(strings[nameIndex] ?? ''));
			stringClass[nameIndex] = c;
		}
		nodeKey[n] = c;
	}

	// Located objects get their own keys (script, line, column, class), as DevTools' classKeyInternal.
	const classCount = classNames.length;
	const keyClassList: number[] = [];
	const locations = sortedLocations(graph);
	if (locations && t.object >= 0) {
		const located = new Map<string, number>();
		let lastClass = -1;
		let lastScript = -1;
		let lastLine = -1;
		let lastColumn = -1;
		let lastKey = 0;
		// DevTools keeps the last location recorded for a node; locations are sorted by node, so a run of
		// entries for one node ends with the one that counts.
		const count = locations.node.length;
		for (let i = 0; i < count; i++) {
			const n = locations.node[i]!;
			if (i + 1 < count && locations.node[i + 1] === n) continue;
			if (n >= nodeCount || nodeType[n] !== t.object) continue;
			const c = nodeKey[n]!;
			const script = locations.scriptId[i]!;
			const line = locations.line[i]!;
			const column = locations.column[i]!;
			// Instances of one class mostly share one location: skip the string key when it repeats.
			if (c === lastClass && script === lastScript && line === lastLine && column === lastColumn) {
				nodeKey[n] = lastKey;
				continue;
			}
			const id = `${script},${line},${column},${c}`;
			let key = located.get(id);
			if (key === undefined) {
				key = classCount + keyClassList.length;
				keyClassList.push(c);
				located.set(id, key);
			}
			nodeKey[n] = key;
			lastClass = c;
			lastScript = script;
			lastLine = line;
			lastColumn = column;
			lastKey = key;
		}
	}
	const keyCount = classCount + keyClassList.length;
	const keyClass = new Uint32Array(keyCount);
	for (let k = 0; k < classCount; k++) keyClass[k] = k;
	for (let i = 0; i < keyClassList.length; i++) keyClass[classCount + i] = keyClassList[i]!;
	return {nodeKey, keyClass, keyCount, classNames};
}
