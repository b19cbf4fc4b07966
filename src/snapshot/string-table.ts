/**
 * The snapshot's strings table. The engine reads it through StringTable, which a plain array also
 * satisfies (hand-built graphs in tests, the worker's stand-ins).
 *
 * What the parser builds is ParsedStrings: the strings are not made into JS strings as they are read.
 * The bytes of each chunk of the strings section are kept (its text, a Buffer: outside V8's heap),
 * and each snapshot string as its span in its chunk's text; `at(i)` decodes it when asked. Why:
 * - the engine reads few of them (class names once per distinct name, property names of a few shapes,
 *   the names along the paths it prints);
 * - every JS object that outlives a young-generation collection counts towards V8's decision to
 *   double that generation, which then stays for the rest of the run: made at parse time, the 65 k
 *   strings of a 50 MB snapshot did so in most runs (4–8 MiB of RSS more), and so did the texts
 *   themselves while they were JS strings (1 MB); besides ~20 ms of slicing.
 * Strings with non-ASCII bytes, and strings split between chunks, are decoded as they are read and kept
 * as JS strings (few, in V8's snapshots), with their place in the text all the same. Strings with
 * escapes (script sources, mostly: ~115 KB of the 50 MB snapshot) stay spans of their escaped text,
 * checked as they are read and decoded (JSON.parse) when asked.
 *
 * Searches (indexOf, indexesContaining) run Buffer's native search over the texts, then find the
 * string at a hit by a binary search on the spans: a loop over every string, run once in a cold
 * process, cost ~3 ms per 65 k strings, and the engine asks for a dozen names.
 */
import {latin1Slice} from './byte-text.js';

export interface StringTable {
	readonly length: number;
	/** the string at `index`, or undefined past the end */
	at(index: number): string | undefined;
	/** the first index of `text`, or -1 */
	indexOf(text: string): number;
}

/**
 * Per string in ParsedStrings.spans: its text's number + 1 (with DECODED when the string is kept in
 * `decoded`, ESCAPED when its text has escapes), then its start and end in that text (quotes left
 * out). Within one text the starts rise.
 */
const SPAN = 3;
const DECODED = 0x8000_0000;
const ESCAPED = 0x4000_0000;
const TEXT = 0x3fff_ffff;
const INITIAL_CAPACITY = 1 << 14;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** What a string kept as a span can hold: ASCII but quotes and backslashes (those came with escapes). */
const SPAN_TEXT = /^[^"\\\u0080-\uffff]*$/;

export class ParsedStrings implements StringTable {
	length = 0;
	private spans: Uint32Array;
	private readonly texts: Buffer[] = [];
	/** per text: the index of its first string (its strings are the indexes up to the next text's first) */
	private readonly textFirst: number[] = [];
	private readonly decoded = new Map<number, string>();
	/** the indexes of the ESCAPED strings, ascending */
	private readonly escaped: number[] = [];

	/** `expected`: an upper bound on the count, when known (pages never reached are never touched) */
	constructor(expected = INITIAL_CAPACITY) {
		this.spans = new Uint32Array(SPAN * Math.max(1, expected));
	}

	at(index: number): string | undefined {
		if (!(index >= 0 && index < this.length)) return undefined;
		const at = index * SPAN;
		const tag = this.spans[at]!;
		if (tag & DECODED) return this.decoded.get(index);
		const text = this.texts[(tag & TEXT) - 1]!;
		if (tag & ESCAPED) {
			// the escaped text with its quotes, checked when it was read (addEscaped)
			const quoted = latin1Slice(text, this.spans[at + 1]! - 1, this.spans[at + 2]! + 1);
			try {
				return JSON.parse(quoted) as string;
			} catch {
				return quoted.slice(1, -1);
			}
		}
		return latin1Slice(text, this.spans[at + 1]!, this.spans[at + 2]!);
	}

	indexOf(target: string): number {
		let found = -1;
		for (const [index, value] of this.decoded) {
			if (value === target) {
				found = index; // (the map is in index order)
				break;
			}
		}
		// An escaped text is at least as long as what it decodes to, and at most 6 times (\uXXXX); one
		// that does not open with an escape opens with the target's first character (its texts are
		// ASCII). Only those are decoded: a lookup of a name that no string has (a hash table's key slot
		// for a number key) decoded every escaped string of a fitting length, ~0.15 ms a lookup at 50 MB.
		const first = target.charCodeAt(0);
		for (const index of this.escaped) {
			if (found >= 0 && index > found) break;
			const at = index * SPAN;
			const start = this.spans[at + 1]!;
			const length = this.spans[at + 2]! - start;
			if (length < target.length || length > 6 * target.length) continue;
			const opening = this.texts[(this.spans[at]! & TEXT) - 1]![start]!;
			if (opening !== BACKSLASH && opening < 0x80 && opening !== first) continue;
			if (this.at(index) === target) {
				found = index;
				break;
			}
		}
		if (!SPAN_TEXT.test(target)) return found;
		const quoted = `"${target}"`;
		for (let t = 0; t < this.texts.length; t++) {
			const text = this.texts[t]!;
			for (let q = text.indexOf(quoted, 0, 'latin1'); q >= 0; q = text.indexOf(quoted, q + 1, 'latin1')) {
				const index = this.spanAt(t, q + 1);
				if (index >= 0 && this.spans[index * SPAN + 2] === q + 1 + target.length) return found >= 0 && found < index ? found : index;
			}
		}
		return found;
	}

	/** Indexes of the strings that contain `needle`, ascending; no string is made. */
	indexesContaining(needle: string): number[] {
		if (needle === '') return Array.from({length: this.length}, (_, i) => i);
		const out: number[] = [];
		for (const [index, value] of this.decoded) if (value.includes(needle)) out.push(index);
		for (const index of this.escaped) if (this.at(index)!.includes(needle)) out.push(index);
		if (SPAN_TEXT.test(needle)) {
			for (let t = 0; t < this.texts.length; t++) {
				const text = this.texts[t]!;
				let last = -1;
				for (let p = text.indexOf(needle, 0, 'latin1'); p >= 0; p = text.indexOf(needle, p + 1, 'latin1')) {
					// a span holds no quote: the last one before the hit opens the string it is in
					const index = this.spanAt(t, text.lastIndexOf(QUOTE, p) + 1);
					if (index >= 0 && index !== last && p + needle.length <= this.spans[index * SPAN + 2]!) out.push((last = index));
				}
			}
		}
		return out.sort((a, b) => a - b);
	}

	/** Indexes of the strings whose first character `accept`s, ascending ('' has none); no string is made for the others. */
	indexesByFirstChar(accept: (code: number) => boolean): number[] {
		const {spans, texts, length} = this;
		const out: number[] = [];
		for (let i = 0, at = 0; i < length; i++, at += SPAN) {
			const tag = spans[at]!;
			const code = tag & (DECODED | ESCAPED)
				? this.at(i)!.charCodeAt(0)
				: spans[at + 2]! > spans[at + 1]! ? texts[tag - 1]![spans[at + 1]!]! : NaN;
			if (code === code && accept(code)) out.push(i);
		}
		return out;
	}

	/** The index of the span string of text `t` that starts at `start`, or -1 (binary search). */
	private spanAt(t: number, start: number): number {
		let lo = this.textFirst[t]!;
		let hi = (t + 1 < this.textFirst.length ? this.textFirst[t + 1]! : this.length) - 1;
		const spans = this.spans;
		while (lo <= hi) {
			const mid = (lo + hi) >>> 1;
			const at = spans[mid * SPAN + 1]!;
			if (at < start) lo = mid + 1;
			else if (at > start) hi = mid - 1;
			else return spans[mid * SPAN]! & (DECODED | ESCAPED) ? -1 : mid;
		}
		return -1;
	}

	// --- building (the parser's) ---

	/** Adds one chunk's text (its bytes): every string added until the next text is in this one. Returns its number. */
	addText(text: Buffer): number {
		this.texts.push(text);
		this.textFirst.push(this.length);
		return this.texts.length - 1;
	}

	/** The next string is text[start, end) of the text numbered `text` (plain ASCII, no escapes). */
	addSpan(text: number, start: number, end: number): void {
		this.push(text + 1, start, end);
	}

	/**
	 * Room for `count` more strings: the array the caller writes their spans into (text + 1, start,
	 * end, from slot 3 × length on), then counts them with addSpans.
	 */
	spanRoom(count: number): Uint32Array {
		const needed = (this.length + count) * SPAN;
		if (needed > this.spans.length) {
			const grown = new Uint32Array(Math.max(needed, this.spans.length * 2));
			grown.set(this.spans.subarray(0, this.length * SPAN));
			this.spans = grown;
		}
		return this.spans;
	}

	/** `count` spans written into spanRoom's array. */
	addSpans(count: number): void {
		this.length += count;
	}

	/**
	 * The next string is text[start, end) of the text numbered `text`, escaped as JSON escapes it (the
	 * caller has checked that JSON.parse takes it: see validEscapes), between quotes at start - 1 and end.
	 */
	addEscaped(text: number, start: number, end: number): void {
		this.escaped.push(this.length);
		this.push((text + 1) | ESCAPED, start, end);
	}

	/** The next string, decoded already; it ends at `end` in the text numbered `text` (and starts at `start`, or at 0 when it began in an earlier chunk). */
	addDecoded(value: string, text: number, start: number, end: number): void {
		this.decoded.set(this.length, value);
		this.push((text + 1) | DECODED, start, end);
	}

	/** Appends one string's span (tag: text + 1 and its flags). */
	private push(tag: number, start: number, end: number): void {
		const spans = this.spanRoom(1);
		const at = this.length * SPAN;
		spans[at] = tag;
		spans[at + 1] = start;
		spans[at + 2] = end;
		this.length++;
	}
}

/** Indexes of the strings that contain `needle`, ascending. */
export function stringsContaining(table: StringTable, needle: string): number[] {
	if (table instanceof ParsedStrings) return table.indexesContaining(needle);
	const out: number[] = [];
	for (let i = 0; i < table.length; i++) if (table.at(i)!.includes(needle)) out.push(i);
	return out;
}

/** Indexes of the strings whose first character `accept`s, ascending ('' has none). */
export function stringsByFirstChar(table: StringTable, accept: (code: number) => boolean): number[] {
	if (table instanceof ParsedStrings) return table.indexesByFirstChar(accept);
	const out: number[] = [];
	for (let i = 0; i < table.length; i++) {
		const code = table.at(i)!.charCodeAt(0);
		if (code === code && accept(code)) out.push(i);
	}
	return out;
}

/**
 * Whether the inside of a JSON string, buf[start, end) (ASCII, its closing quote at `end`), is what
 * JSON.parse takes: every backslash followed by one of `" \ / b f n r t`, or by u and four hex digits;
 * no raw control character.
 */
export function validEscapes(buf: Uint8Array, start: number, end: number): boolean {
	for (let i = start; i < end; i++) {
		const c = buf[i]!;
		if (c < 0x20) return false;
		if (c !== 0x5c) continue;
		const e = buf[++i]!;
		if (e === 0x75) {
			for (let k = 1; k <= 4; k++) {
				const h = buf[i + k]!;
				if (!((h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66))) return false;
			}
			i += 4;
		} else if (!(e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)) {
			return false;
		}
	}
	return true;
}
