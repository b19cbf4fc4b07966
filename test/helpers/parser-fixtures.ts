/**
 * Snapshots and helpers for the streaming-parser tests: small builder snapshots in every layout the
 * parser must read, a V8-style ASCII escaper, chunked feeding, and the reference graph.
 */
import assert from 'node:assert/strict';
import type {HeapGraph} from '../../src/snapshot/graph.js';
import type {StringTable} from '../../src/snapshot/string-table.js';
import {SnapshotParser} from '../../src/snapshot/stream-parser.js';
import {graphFromJson} from './reference-loader.js';
import {SnapshotBuilder, type BuilderOptions} from './snapshot-builder.js';

/** Strings that exercise the string decoder: escapes, unicode (BMP and astral), empty, long. */
export const TRICKY_STRINGS = [
	'', 'plain', 'quote " inside', 'back \\ slash', 'both \\" and "\\', 'tab\tnew\nline\r', 'ctrl \u0001\u001f',
	'héllo wörld', '日本語のテキスト', 'emoji 😀 and 🚀', 'slash / and \\/', 'x'.repeat(700), 'trailing backslash \\',
];

/** A small heap with every node and edge type, tricky names and out-of-order locations. */
export function buildSample(options: BuilderOptions = {}): SnapshotBuilder {
	const b = new SnapshotBuilder(options);
	const global = b.node('object', 'global / ', {selfSize: 40});
	b.edge(b.root, global, 'shortcut', 'global');
	const gcRoots = b.node('synthetic', '(GC roots)', {selfSize: 0});
	b.edge(b.root, gcRoots, 'element', 1);
	let previous = global;
	TRICKY_STRINGS.forEach((text, i) => {
		const owner = b.node('object', i % 2 ? `Class${i}` : text, {selfSize: 16 + i, id: 1001 + 2 * i});
		const str = b.node('string', text, {selfSize: text.length + 16});
		b.edge(previous, owner, 'property', `p${i} ${text}`);
		b.edge(owner, str, i % 3 === 0 ? 'internal' : 'property', text || 'empty');
		b.edge(owner, previous, 'element', i);
		b.edge(owner, str, 'hidden', 99 + i);
		previous = owner;
	});
	const closure = b.node('closure', 'leakyHandler', {selfSize: 64});
	const context = b.node('object', 'system / Context', {selfSize: 48});
	b.edge(closure, context, 'internal', 'context');
	b.edge(context, previous, 'context', 'captured');
	b.edge(global, closure, 'weak', 'weakRef');
	const big = b.node('native', 'system / JSArrayBufferData', {selfSize: 6_000_000_000});
	b.edge(closure, big, 'internal', 'backing_store');
	for (const type of ['hidden', 'array', 'code', 'regexp', 'number', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'] as const) {
		const n = b.node(type, `a ${type}`);
		b.edge(gcRoots, n, 'element', n);
	}
	b.location(closure, 12, 40, 7);
	b.location(global, 3, 0, 0);
	b.location(context, 12, 41, 2);
	b.location(global, 4, 1, 1); // two locations for one node: file order is kept
	return b;
}

/** Escapes every non-ASCII character as \uXXXX, as V8's serializer does (its output is pure ASCII). */
export function asciiEscaped(json: string): string {
	return json.replace(/[\u0080-\uffff]/g, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface Fixture {
	name: string;
	json: string;
}

export function sampleFixtures(): Fixture[] {
	return [
		{name: 'node20 layout', json: buildSample().toJson()},
		{name: 'node24 layout', json: withExtraNativeBytes(buildSample({layout: 'node24'}).toJson(), 123_456)},
		{name: 'shuffled fields', json: buildSample({shuffledFields: true}).toJson()},
		{name: 'V8-style ASCII escapes', json: asciiEscaped(buildSample().toJson())},
	];
}

export function withExtraNativeBytes(json: string, bytes: number): string {
	return json.replace('"trace_function_count":0}', `"trace_function_count":0,"extra_native_bytes":${bytes}}`);
}

/** The graph the parser must produce for `json`, by JSON.parse (locations in file order, as the parser keeps them). */
export function referenceGraph(json: string): HeapGraph {
	return graphFromJson(json);
}

/** Feeds `input` to a fresh parser `size` units at a time (bytes of a Buffer, or UTF-16 units of a string). */
export function parseChunked(input: Uint8Array | string, size: number, options: ConstructorParameters<typeof SnapshotParser>[0] = {}): HeapGraph {
	const parser = new SnapshotParser(options);
	for (let i = 0; i < input.length; i += size) parser.write(input.slice(i, i + size));
	return parser.end();
}

/** Every string of a table, as an array. */
export function allStrings(table: StringTable): string[] {
	return Array.from({length: table.length}, (_, i) => table.at(i)!);
}

/** Plain data for assert.deepEqual: typed arrays as they are, strings and type names as arrays. */
export function comparable(graph: HeapGraph): Record<string, unknown> {
	return {...graph, strings: allStrings(graph.strings), nodeTypeNames: [...graph.nodeTypeNames], edgeTypeNames: [...graph.edgeTypeNames]};
}

/**
 * assert.deepEqual on two graphs, with a cheap exact pre-check so that thousands of comparisons
 * (every chunk size) stay fast; deepEqual runs only to describe a difference.
 */
export function assertSameGraph(actual: HeapGraph, expected: HeapGraph, message?: string): void {
	if (!sameGraph(actual, expected)) assert.deepEqual(comparable(actual), comparable(expected), message);
}

function sameGraph(a: HeapGraph, b: HeapGraph): boolean {
	const arrays = ['nodeType', 'nodeName', 'nodeId', 'nodeSelfSize', 'firstEdge', 'edgeType', 'edgeName', 'edgeTo'] as const;
	const sameArray = (x: ArrayLike<unknown>, y: ArrayLike<unknown>) => x.length === y.length && Array.prototype.every.call(x, (v, i) => v === y[i]);
	const sameTyped = (x: ArrayBufferView, y: ArrayBufferView) =>
		x.constructor === y.constructor && Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
	if (a.nodeCount !== b.nodeCount || a.edgeCount !== b.edgeCount || a.extraNativeBytes !== b.extraNativeBytes) return false;
	if (!arrays.every(k => sameTyped(a[k], b[k]))) return false;
	if (!sameArray(allStrings(a.strings), allStrings(b.strings)) || !sameArray(a.nodeTypeNames, b.nodeTypeNames) || !sameArray(a.edgeTypeNames, b.edgeTypeNames)) return false;
	if (!a.locations || !b.locations) return a.locations === b.locations;
	const la = a.locations;
	const lb = b.locations;
	return la.count === lb.count && sameTyped(la.entries, lb.entries);
}

/** A small deterministic PRNG (mulberry32) so fuzz failures can be replayed from the seed. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
