/**
 * The snapshot's strings table. The engine reads it through StringTable, which a plain array also
 * satisfies (hand-built graphs in tests, the worker's stand-ins).
 *
 * What the parser builds is ParsedStrings: the strings are not made into JS strings as they are read.
 * Each chunk of the strings section is kept as one JS string, and each snapshot string as its span in
 * one of those; `at(i)` cuts it out when asked. Why:
 * - the engine reads few of them (class names once per distinct name, property names of a few shapes,
 *   the names along the paths it prints);
 * - made at parse time, 65 k small strings (a 50 MB snapshot) were all copied out of V8's young
 *   generation, and that much surviving data made V8 double the young generation for the rest of the
 *   run (4–8 MiB of RSS more, in most runs), besides ~20 ms of slicing;
 * - a chunk's text is one large string, which V8 allocates outside the young generation.
 * Strings with non-ASCII bytes, and strings split between chunks, are decoded as they are read and
 * kept as JS strings (few, in V8's snapshots), as are those with escapes (also few: script sources).
 */
export interface StringTable {
	readonly length: number;
	/** the string at `index`, or undefined past the end */
	at(index: number): string | undefined;
	/** the first index of `text`, or -1 */
	indexOf(text: string): number;
}

/** Spans per string in ParsedStrings: text number + 1 (0: decoded, see `decoded`), start, end. */
const SPAN = 3;
const INITIAL_CAPACITY = 1 << 14;

export class ParsedStrings implements StringTable {
	length = 0;
	private spans: Uint32Array;
	private readonly texts: string[] = [];
	private readonly decoded = new Map<number, string>();

	/** `expected`: an upper bound on the count, when known (pages never reached are never touched) */
	constructor(expected = INITIAL_CAPACITY) {
		this.spans = new Uint32Array(SPAN * Math.max(1, expected));
	}

	at(index: number): string | undefined {
		if (!(index >= 0 && index < this.length)) return undefined;
		const at = index * SPAN;
		const text = this.spans[at]!;
		if (text === 0) return this.decoded.get(index);
		return this.texts[text - 1]!.substring(this.spans[at + 1]!, this.spans[at + 2]!);
	}

	indexOf(target: string): number {
		const {spans, texts, length} = this;
		const size = target.length;
		const first = target.charCodeAt(0); // NaN for '': no char compares equal, so the length decides
		for (let i = 0, at = 0; i < length; i++, at += SPAN) {
			const text = spans[at]!;
			if (text === 0) {
				if (this.decoded.get(i) === target) return i;
				continue;
			}
			const start = spans[at + 1]!;
			if (spans[at + 2]! - start !== size) continue;
			if (size === 0) return i;
			const chunk = texts[text - 1]!;
			if (chunk.charCodeAt(start) === first && chunk.startsWith(target, start)) return i;
		}
		return -1;
	}

	/** Indexes of the strings that contain `needle` (which holds no `"`), ascending; no string is made. */
	indexesContaining(needle: string): number[] {
		const {spans, texts, length} = this;
		// Where the needle occurs in each text (a match lies inside one string's bytes: no quote in it)
		const found: number[][] = texts.map(text => {
			const at: number[] = [];
			for (let p = text.indexOf(needle); p >= 0; p = text.indexOf(needle, p + 1)) at.push(p);
			return at;
		});
		const next = new Int32Array(texts.length); // per text: its next match not yet placed
		const out: number[] = [];
		for (let i = 0, at = 0; i < length; i++, at += SPAN) {
			const text = spans[at]!;
			if (text === 0) {
				if (this.decoded.get(i)!.includes(needle)) out.push(i);
				continue;
			}
			const matches = found[text - 1]!;
			let m = next[text - 1]!;
			const start = spans[at + 1]!;
			const end = spans[at + 2]!;
			while (m < matches.length && matches[m]! < start) m++; // (in the bytes of a decoded string)
			if (m < matches.length && matches[m]! + needle.length <= end) out.push(i);
			next[text - 1] = m;
		}
		return out;
	}

	/** Indexes of the strings whose first character `accept`s, ascending ('' has none); no string is made for the others. */
	indexesByFirstChar(accept: (code: number) => boolean): number[] {
		const {spans, texts, length} = this;
		const out: number[] = [];
		for (let i = 0, at = 0; i < length; i++, at += SPAN) {
			const text = spans[at]!;
			const code = text === 0
				? this.decoded.get(i)!.charCodeAt(0)
				: spans[at + 2]! > spans[at + 1]! ? texts[text - 1]!.charCodeAt(spans[at + 1]!) : NaN;
			if (code === code && accept(code)) out.push(i);
		}
		return out;
	}

	// --- building (the parser's) ---

	/** Adds one chunk's text; its number is what addSpan takes. */
	addText(text: string): number {
		this.texts.push(text);
		return this.texts.length - 1;
	}

	/** The next string is text[start, end) of the text numbered `text` (plain ASCII, no escapes). */
	addSpan(text: number, start: number, end: number): void {
		const at = this.room();
		this.spans[at] = text + 1;
		this.spans[at + 1] = start;
		this.spans[at + 2] = end;
		this.length++;
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

	/** The next string, decoded already. */
	addDecoded(value: string): void {
		const at = this.room();
		this.spans[at] = 0;
		this.decoded.set(this.length, value);
		this.length++;
	}

	private room(): number {
		const at = this.length * SPAN;
		if (at === this.spans.length) {
			const grown = new Uint32Array(this.spans.length * 2);
			grown.set(this.spans);
			this.spans = grown;
		}
		return at;
	}
}

/** Indexes of the strings that contain `needle` (no `"` in it), ascending. */
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
