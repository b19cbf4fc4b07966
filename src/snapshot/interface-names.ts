/**
 * Shape names for plain objects, as recent DevTools shows them: a plain `Object` whose properties
 * match a popular "interface" is listed as `{id, user, ts}` instead of `Object`.
 *
 * DevTools' rule (HeapSnapshot.inferInterfaceDefinitions / applyInterfaceDefinitions), reproduced
 * here so that heaptop's class names equal DevTools' Summary:
 * 1. infer: each plain object proposes a name made of its property names in edge order (no
 *    `__proto__`), cut once the name would pass 120 characters (but at least one property). Names
 *    proposed by at least max(2, plainObjects / 1000) objects become interfaces, most popular first.
 * 2. apply: an object takes the interface with the most properties whose property set is a subset
 *    of its own (ties: the more popular one); otherwise it stays `Object`.
 * Only objects of node type `object` named exactly `Object` take part (see PlainObjects).
 */
import type {HeapGraph} from './graph.js';
import {typeIds} from './graph.js';

const MIN_INTERFACE_PROPERTY_COUNT = 1;
const MAX_INTERFACE_NAME_LENGTH = 120;
const MIN_OBJECT_COUNT_PER_INTERFACE = 2;
const MIN_OBJECT_PROPORTION_PER_INTERFACE = 1000;

interface InterfaceDefinition {
	name: string;
	properties: string[];
	count: number;
}

/** DevTools escapes names that would make `{a, b}` ambiguous. */
export function formatPropertyName(name: string): string {
	if (/[,'"{}]/.test(name)) {
		const json = JSON.stringify({[name]: 0});
		return json.substring(1, json.length - 3);
	}
	return name;
}

/** A node of the property trie: the sorted property lists of all interfaces, shared prefixes merged. */
interface TrieNode {
	next: Map<string, TrieNode>;
	/** the interface that ends here (the first one in popularity order) */
	match: {name: string; propertyCount: number; index: number} | null;
	/** largest property that can follow; states past it can never advance */
	greatestNext: string | null;
}

/**
 * The plain objects of a graph (node type `object` named exactly `Object`), ascending; computeClassKeys
 * collects them during its own pass over the nodes, so neither step below scans every node.
 */
export interface PlainObjects {
	readonly nodes: Uint32Array;
	readonly count: number;
}

/**
 * Returns, per plain object (same positions as `plain.nodes`), the interface name to use (index into
 * the returned `names`) or -1 when it keeps the name `Object`; null when no interface qualifies.
 */
export function inferInterfaceNames(graph: HeapGraph, plain: PlainObjects): {interfaceOf: Int32Array; names: string[]} | null {
	const {strings, firstEdge, edgeType, edgeName} = graph;
	const {nodes: plainNodes, count: plainObjects} = plain;
	const propertyType = typeIds(graph.edgeTypeNames, ['property'] as const).property;
	if (plainObjects === 0) return null;
	const protoName = strings.indexOf('__proto__');

	// 0. Group the objects by their list of property edges: objects that share a hidden class list the
	// same properties in the same order, and both steps below depend on that list alone, so each runs
	// once per distinct list rather than once per object.
	// Lists are told apart by a hash of their edge names, then compared edge by edge with the list's
	// first object (no string per object: building one was most of this function's time).
	const listOf = new Uint32Array(plainObjects);
	/** hash → the lists with that hash (one, unless hashes collide) */
	const listsByHash = new Map<number, number[]>();
	/** per list: the first object that has it, and how many objects do */
	const listFirst: number[] = [];
	const listCount: number[] = [];
	const sameProperties = (a: number, b: number): boolean => {
		let ea = firstEdge[a]!;
		let eb = firstEdge[b]!;
		const endA = firstEdge[a + 1]!;
		const endB = firstEdge[b + 1]!;
		for (;;) {
			while (ea < endA && edgeType[ea] !== propertyType) ea++;
			while (eb < endB && edgeType[eb] !== propertyType) eb++;
			if (ea === endA || eb === endB) return ea === endA && eb === endB;
			if (edgeName[ea] !== edgeName[eb]) return false;
			ea++;
			eb++;
		}
	};
	for (let i = 0; i < plainObjects; i++) {
		const n = plainNodes[i]!;
		let hash = 0x811c9dc5;
		for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
			if (edgeType[e] === propertyType) hash = Math.imul(hash ^ edgeName[e]!, 0x01000193);
		}
		let lists = listsByHash.get(hash);
		if (!lists) listsByHash.set(hash, (lists = []));
		let list = lists.find(candidate => sameProperties(listFirst[candidate]!, n)) ?? -1;
		if (list < 0) {
			list = listFirst.length;
			lists.push(list);
			listFirst.push(n);
			listCount.push(0);
		}
		listCount[list]!++;
		listOf[i] = list;
	}
	const distinctLists = listFirst.length;

	// 1. infer candidates, in first-seen order so that the stable sort keeps DevTools' tie order (lists
	// are numbered in the order their first object appears, so a name's first list is its first object's).
	const candidates = new Map<string, InterfaceDefinition>();
	for (let list = 0; list < distinctLists; list++) {
		const n = listFirst[list]!;
		let name = '{';
		const properties: string[] = [];
		for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
			if (edgeType[e] !== propertyType || edgeName[e] === protoName) continue;
			const property = strings.at(edgeName[e]!) ?? '';
			const formatted = formatPropertyName(property);
			if (name.length > MIN_INTERFACE_PROPERTY_COUNT && name.length + formatted.length > MAX_INTERFACE_NAME_LENGTH) break;
			if (name.length !== 1) name += ', ';
			name += formatted;
			properties.push(property);
		}
		if (properties.length === 0) continue;
		name += '}';
		const candidate = candidates.get(name);
		if (candidate) candidate.count += listCount[list]!;
		else candidates.set(name, {name, properties, count: listCount[list]!});
	}
	const sorted = [...candidates.values()].sort((a, b) => b.count - a.count);
	const minCount = Math.max(MIN_OBJECT_COUNT_PER_INTERFACE, plainObjects / MIN_OBJECT_PROPORTION_PER_INTERFACE);
	const definitions: InterfaceDefinition[] = [];
	for (const candidate of sorted) {
		if (candidate.count < minCount) break;
		definitions.push(candidate);
	}
	if (definitions.length === 0) return null;

	// 2. apply: walk each object's sorted properties through the trie of sorted interface properties.
	const root: TrieNode = {next: new Map(), match: null, greatestNext: null};
	definitions.forEach((definition, index) => {
		const properties = [...definition.properties].sort();
		let node = root;
		for (const property of properties) {
			let child = node.next.get(property);
			if (!child) {
				child = {next: new Map(), match: null, greatestNext: null};
				node.next.set(property, child);
				if (node.greatestNext === null || node.greatestNext < property) node.greatestNext = property;
			}
			node = child;
		}
		if (!node.match) node.match = {name: definition.name, propertyCount: properties.length, index};
	});
	const names = definitions.map(d => d.name);
	const nameIndex = new Map(names.map((name, i) => [name, i]));
	type Match = {name: string; propertyCount: number; index: number};
	const better = (a: Match | null, b: Match | null): Match | null => {
		if (!a) return b;
		if (!b || a.propertyCount > b.propertyCount) return a;
		if (b.propertyCount > a.propertyCount) return b;
		return a.index <= b.index ? a : b;
	};
	const properties: string[] = [];
	const listInterface = new Int32Array(distinctLists);
	for (let list = 0; list < distinctLists; list++) {
		const n = listFirst[list]!;
		properties.length = 0;
		for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
			if (edgeType[e] === propertyType) properties.push(strings.at(edgeName[e]!) ?? '');
		}
		properties.sort();
		let states: TrieNode[] = [root];
		let match: Match | null = root.match;
		for (const property of properties) {
			const nextStates: TrieNode[] = [];
			for (const state of states) {
				// A state stays alive while a larger property could still advance it.
				if (!(state.greatestNext === null || property >= state.greatestNext)) nextStates.push(state);
				const child = state.next.get(property);
				if (child) {
					nextStates.push(child);
					match = better(match, child.match);
				}
			}
			states = nextStates;
			if (states.length === 0) break;
		}
		listInterface[list] = match ? nameIndex.get(match.name)! : -1;
	}
	const interfaceOf = new Int32Array(plainObjects);
	for (let i = 0; i < plainObjects; i++) interfaceOf[i] = listInterface[listOf[i]!]!;
	return {interfaceOf, names};
}
