import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ParsedStrings, stringsByFirstChar, stringsContaining, validEscapes} from '../../src/snapshot/string-table.js';
import {allStrings, parseChunked, prng, referenceGraph} from '../helpers/parser-fixtures.js';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';

const MARKER = ' pair in WeakMap (table @';

/** Strings of every kind the parser keeps apart: plain, escaped, non-ASCII, empty, long (split between chunks). */
const NAMES = [
	'Object', 'Obj', 'Objects', '123', ' 13', '+10', '-',
	`1 / part of key (K @3) -> value (V @5)${MARKER}7)`,
	`2 / part of "quoted" key (K @3) -> value (V @5)${MARKER}9)`,
	`3 / part of key (Ké @3) -> value (V @5)${MARKER}11)`,
	`near miss pair in WeakMap (table`,
	'tab\there', 'é accent', '😀 emoji', '\\ backslash',
	`${'long '.repeat(40)}${MARKER}13)`,
	'x'.repeat(300),
];

function sampleJson(): string {
	const b = new SnapshotBuilder();
	const holder = b.node('object', 'Holder');
	b.edge(b.root, holder, 'shortcut', 'holder');
	for (const name of NAMES) b.edge(holder, b.node('object', name), 'property', `p ${name}`);
	return b.toJson();
}

const SIZES = [1, 2, 3, 5, 7, 16, 31, 64, 100, 257, 1024, 1 << 20];

test('the parsed table reads every string as the reference parse does, at every chunk size', () => {
	const json = sampleJson();
	const expected = referenceGraph(json).strings as readonly string[];
	for (const size of SIZES) {
		const strings = parseChunked(Buffer.from(json), size).strings;
		assert.ok(strings instanceof ParsedStrings, 'the parser builds a ParsedStrings');
		assert.deepEqual(allStrings(strings), expected, `chunk size ${size}`);
		assert.equal(strings.at(-1), undefined);
		assert.equal(strings.at(strings.length), undefined);
		for (const text of [...NAMES, '', 'absent', 'Objec', 'Objectss']) {
			assert.equal(strings.indexOf(text), expected.indexOf(text), `indexOf(${JSON.stringify(text)}), chunk size ${size}`);
		}
	}
});

test('which strings contain a marker, or start with a character, as a plain array says', () => {
	const json = sampleJson();
	const expected = referenceGraph(json).strings as readonly string[];
	const containing = stringsContaining(expected, MARKER);
	assert.equal(containing.length, 8, 'plain, escaped, non-ASCII and long strings with the marker, as node and as edge names');
	const digitsAndSigns = (code: number) => code < 0x3a || code >= 0x80;
	const byFirst = stringsByFirstChar(expected, digitsAndSigns);
	assert.ok(byFirst.length > 5);
	for (const size of SIZES) {
		const strings = parseChunked(Buffer.from(json), size).strings;
		assert.deepEqual(stringsContaining(strings, MARKER), containing, `containing, chunk size ${size}`);
		assert.deepEqual(stringsContaining(strings, 'in WeakMap (table'), stringsContaining(expected, 'in WeakMap (table'), `chunk size ${size}`);
		assert.deepEqual(stringsByFirstChar(strings, digitsAndSigns), byFirst, `first char, chunk size ${size}`);
	}
});

test('indexOf finds an escaped string by what it decodes to, whatever it opens with', () => {
	// (V8 escapes only quotes, backslashes and control characters; other writers may escape anything)
	const raw = ['\\u0041bc', 'x\\/y', '\\"q\\"', 'Abc'];
	const table = new ParsedStrings();
	const text = table.addText(Buffer.from(raw.map(r => `"${r}"`).join(',')));
	let start = 1;
	for (const r of raw) {
		if (r.includes('\\')) table.addEscaped(text, start, start + r.length);
		else table.addSpan(text, start, start + r.length);
		start += r.length + 3;
	}
	assert.deepEqual(allStrings(table), ['Abc', 'x/y', '"q"', 'Abc']);
	assert.equal(table.indexOf('Abc'), 0, 'an escape first: decoded and compared');
	assert.equal(table.indexOf('x/y'), 1);
	assert.equal(table.indexOf('"q"'), 2);
	for (const absent of ['y/y', 'x/', 'Ab', '"q', '']) assert.equal(table.indexOf(absent), -1, absent);
});

test('a table grows past its first capacity, and from a stream of unknown length', () => {
	// two chunks' texts as the parser keeps them: the section's raw bytes, each string's span inside
	const table = new ParsedStrings(1);
	const first = table.addText(Buffer.from('"a","b","c","d","\\u00e9","ab'));
	for (let i = 0; i < 4; i++) table.addSpan(first, 1 + 4 * i, 2 + 4 * i);
	table.addDecoded('é', first, 17, 23);
	const second = table.addText(Buffer.from('cdef","abcde","abcd"]}'));
	table.addDecoded('abcdef', second, 0, 4); // begun in the first chunk
	const spans = table.spanRoom(3);
	spans.set([second + 1, 7, 12, second + 1, 15, 19], table.length * 3);
	table.addSpans(2);
	assert.deepEqual(allStrings(table), ['a', 'b', 'c', 'd', 'é', 'abcdef', 'abcde', 'abcd']);
	assert.equal(table.indexOf('abcd'), 7);
	assert.equal(table.indexOf('abcdef'), 5);
	assert.equal(table.indexOf('é'), 4);
	assert.equal(table.indexOf('cdef'), -1, 'a string that began in an earlier chunk is no span of this one');
	assert.deepEqual(stringsContaining(table, 'bc'), [5, 6, 7]);
	assert.deepEqual(stringsContaining(table, ''), [0, 1, 2, 3, 4, 5, 6, 7]);

	const b = new SnapshotBuilder();
	for (let i = 0; i < 3000; i++) b.edge(b.root, b.node('object', `name${i}`), 'property', `p${i}`);
	const json = b.toJson();
	assert.deepEqual(allStrings(parseChunked(json, 4096).strings), referenceGraph(json).strings);
});

test('validEscapes takes exactly what JSON.parse takes', () => {
	const pieces = ['a', ' ', '\\n', '\\t', '\\"', '\\\\', '\\/', '\\b', '\\f', '\\r', '\\u00e9', '\\uD83D', '\\uABCG', '\\u12', '\\q', '\\x41', '\t', '\u0001', '\u001f', '~'];
	const random = prng(11);
	for (let round = 0; round < 2000; round++) {
		let inside = '';
		for (let k = 1 + Math.floor(random() * 5); k > 0; k--) inside += pieces[Math.floor(random() * pieces.length)];
		const bytes = Buffer.from(`"${inside}"`, 'latin1');
		let parses = true;
		try {
			JSON.parse(`"${inside}"`);
		} catch {
			parses = false;
		}
		assert.equal(validEscapes(bytes, 1, bytes.length - 1), parses, JSON.stringify(inside));
	}
});
