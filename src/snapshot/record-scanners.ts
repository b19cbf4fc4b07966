/**
 * The parser's fast paths: whole records of the three number sections as V8 writes them
 * ("1,2,3,4\n," — digits, commas, an optional newline), straight into the columns, without per-byte
 * state. Each stops at the first thing it does not expect (the last record, whitespace, a value out of
 * range, a record that may not end before `fastEnd`) and leaves that record to the parser's general
 * loop (stream-parser.ts), which re-reads it from its start and words any problem.
 *
 * They are small functions of their own, not loops inside the section parsers, for the JIT's sake:
 * V8 optimizes a loop by compiling its whole function. parseNodes with its fast path inside took
 * 40–60 ms to compile, and was compiled twice (the general loop had no type feedback yet and threw the
 * first compile away), so a cold 50 MB parse ran its first 3 MB of nodes ~7× slower than the rest.
 * A small function is compiled in a few ms, and its loop is all it has.
 *
 * `cursor[0]` is the record count before and after (and `cursor[1]` the running edge sum for nodes):
 * a Float64Array, so that writing counts back never changes an object's hidden class. It is written
 * with every record, inside the loop: a store after the loop would have no type feedback when V8
 * compiles the loop (it has never run), and the compiled code would be thrown away at each exit.
 */

const MAX_U32 = 0xffff_ffff;

/**
 * Node records whose first five fields are type, name, id, self_size, edge_count (V8's order; any
 * further fields are read and ignored). Returns where the records stopped.
 */
export function scanNodeRecords(
	buf: Uint8Array,
	i: number,
	fastEnd: number,
	fieldCount: number,
	typeLimit: number,
	edgeLimit: number,
	capacity: number,
	nodeType: Uint8Array,
	nodeName: Uint32Array,
	nodeId: Uint32Array,
	nodeSelfSize: Uint32Array | Float64Array,
	firstEdge: Uint32Array,
	cursor: Float64Array,
): number {
	let n = cursor[0]!;
	let edgeSum = cursor[1]!;
	for (;;) {
		let p = i;
		let c = buf[p]!;
		if (c === 0x0a) c = buf[++p]!; // a writer that puts the newline after the comma
		if (c > 0x39 || c < 0x30) break;
		let t = c - 0x30;
		while ((c = buf[++p]!) <= 0x39 && c >= 0x30) t = t * 10 + (c - 0x30);
		if (c !== 0x2c) break;
		c = buf[++p]!;
		if (c > 0x39 || c < 0x30) break;
		let nm = c - 0x30;
		while ((c = buf[++p]!) <= 0x39 && c >= 0x30) nm = nm * 10 + (c - 0x30);
		if (c !== 0x2c) break;
		c = buf[++p]!;
		if (c > 0x39 || c < 0x30) break;
		let id = c - 0x30;
		while ((c = buf[++p]!) <= 0x39 && c >= 0x30) id = id * 10 + (c - 0x30);
		if (c !== 0x2c) break;
		c = buf[++p]!;
		if (c > 0x39 || c < 0x30) break;
		let sz = c - 0x30;
		while ((c = buf[++p]!) <= 0x39 && c >= 0x30) sz = sz * 10 + (c - 0x30);
		if (c !== 0x2c) break;
		c = buf[++p]!;
		if (c > 0x39 || c < 0x30) break;
		let ec = c - 0x30;
		while ((c = buf[++p]!) <= 0x39 && c >= 0x30) ec = ec * 10 + (c - 0x30);
		let f = 5;
		for (; f < fieldCount; f++) {
			if (c !== 0x2c) break;
			c = buf[++p]!;
			if (c > 0x39 || c < 0x30) break;
			while ((c = buf[++p]!) <= 0x39 && c >= 0x30);
		}
		if (f !== fieldCount) break;
		if (c === 0x0a) c = buf[++p]!;
		if (c !== 0x2c) break;
		if (n === capacity || t >= typeLimit || nm > MAX_U32 || id > MAX_U32 || sz > MAX_U32 || edgeSum + ec > edgeLimit) break;
		nodeType[n] = t;
		nodeName[n] = nm;
		nodeId[n] = id;
		nodeSelfSize[n] = sz;
		firstEdge[n] = edgeSum;
		edgeSum += ec;
		n++;
		cursor[0] = n;
		cursor[1] = edgeSum;
		i = p + 1;
		if (i >= fastEnd) break;
	}
	return i;
}

/**
 * Edge records of the fields type, name_or_index, to_node (V8's order); `to_node`, an offset into the
 * nodes array, is stored as the node's ordinal. Returns where the records stopped.
 */
export function scanEdgeRecords(
	buf: Uint8Array,
	i: number,
	fastEnd: number,
	nodeFieldCount: number,
	typeLimit: number,
	nodeLimit: number,
	capacity: number,
	edgeType: Uint8Array,
	edgeName: Uint32Array,
	edgeTo: Uint32Array,
	cursor: Float64Array,
): number {
	let m = cursor[0]!;
	for (;;) {
		let p = i;
		let c = buf[p]!;
		if (c === 0x0a) c = buf[++p]!; // a writer that puts the newline after the comma
		if (c > 0x39 || c < 0x30) break;
		let t = c - 0x30;
		while ((c = buf[++p]!) <= 0x39 && c >= 0x30) t = t * 10 + (c - 0x30);
		if (c !== 0x2c) break;
		c = buf[++p]!;
		if (c > 0x39 || c < 0x30) break;
		let nm = c - 0x30;
		while ((c = buf[++p]!) <= 0x39 && c >= 0x30) nm = nm * 10 + (c - 0x30);
		if (c !== 0x2c) break;
		c = buf[++p]!;
		if (c > 0x39 || c < 0x30) break;
		let target = c - 0x30;
		while ((c = buf[++p]!) <= 0x39 && c >= 0x30) target = target * 10 + (c - 0x30);
		if (c === 0x0a) c = buf[++p]!;
		if (c !== 0x2c) break;
		const ordinal = target / nodeFieldCount;
		if (m === capacity || t >= typeLimit || nm > MAX_U32 || ordinal !== ordinal >>> 0 || ordinal >= nodeLimit) break;
		edgeType[m] = t;
		edgeName[m] = nm;
		edgeTo[m] = ordinal;
		m++;
		cursor[0] = m;
		i = p + 1;
		if (i >= fastEnd) break;
	}
	return i;
}

/**
 * Location records of the fields object_index, script_id, line, column (V8's order), four numbers per
 * entry into `data`, which the caller has made room in for every record before `fastEnd`. Returns
 * where the records stopped.
 */
export function scanLocationRecords(buf: Uint8Array, i: number, fastEnd: number, data: Uint32Array, cursor: Float64Array): number {
	let k = cursor[0]!;
	for (;;) {
		let p = i;
		let c = buf[p]!;
		if (c === 0x0a) c = buf[++p]!;
		if (c > 0x39 || c < 0x30) break;
		let o = c - 0x30;
		while ((c = buf[++p]!) <= 0x39 && c >= 0x30) o = o * 10 + (c - 0x30);
		if (c !== 0x2c) break;
		c = buf[++p]!;
		if (c > 0x39 || c < 0x30) break;
		let sc = c - 0x30;
		while ((c = buf[++p]!) <= 0x39 && c >= 0x30) sc = sc * 10 + (c - 0x30);
		if (c !== 0x2c) break;
		c = buf[++p]!;
		if (c > 0x39 || c < 0x30) break;
		let ln = c - 0x30;
		while ((c = buf[++p]!) <= 0x39 && c >= 0x30) ln = ln * 10 + (c - 0x30);
		if (c !== 0x2c) break;
		c = buf[++p]!;
		if (c > 0x39 || c < 0x30) break;
		let col = c - 0x30;
		while ((c = buf[++p]!) <= 0x39 && c >= 0x30) col = col * 10 + (c - 0x30);
		if (c === 0x0a) c = buf[++p]!;
		if (c !== 0x2c) break;
		if (o > MAX_U32 || sc > MAX_U32 || ln > MAX_U32 || col > MAX_U32) break;
		const at = k * 4;
		data[at] = o;
		data[at + 1] = sc;
		data[at + 2] = ln;
		data[at + 3] = col;
		k++;
		cursor[0] = k;
		i = p + 1;
		if (i >= fastEnd) break;
	}
	return i;
}

/**
 * The strings section's fast path: from `i`, an opening quote, every string that is plain (ASCII,
 * no backslash) and closes before `end`, each with the `,` and the whitespace that follow it when
 * another string comes next. Each string's span (text + 1, start and end, positions relative to
 * `base`, quotes left out) goes into spans from slot `3 × cursor[0]`, while cursor[0] < `limit`.
 * Stops at the opening quote of a string it does not take (a backslash or a byte ≥ 0x80 in it, or no
 * closing quote before `end`: the parser's general loop takes it; cursor[1] = 0), or right after the
 * closing quote of a string not followed by `,` and another string (cursor[1] = 1). Returns where
 * it stopped. (Every store and sum happens inside the loop, for the JIT: see above.)
 */
export function scanPlainStrings(
	buf: Uint8Array,
	i: number,
	end: number,
	spans: Uint32Array,
	limit: number,
	text: number,
	base: number,
	cursor: Float64Array,
): number {
	let k = cursor[0]!;
	cursor[1] = 0;
	while (k < limit) {
		let j = i + 1;
		let c = 0;
		for (; j < end; j++) {
			c = buf[j]!;
			if (c === 0x22 || c === 0x5c || c >= 0x80) break;
		}
		if (j >= end || c !== 0x22) break;
		const at = k * 3;
		spans[at] = text + 1;
		spans[at + 1] = i + 1 - base;
		spans[at + 2] = j - base;
		k++;
		cursor[0] = k;
		cursor[1] = 1;
		i = j + 1;
		let p = i;
		if (p < end && buf[p] === 0x2c) {
			p++;
			while (p < end && ((c = buf[p]!) === 0x0a || c === 0x20 || c === 0x0d || c === 0x09)) p++;
			if (p < end && buf[p] === 0x22) {
				i = p;
				cursor[1] = 0;
				continue;
			}
		}
		break;
	}
	return i;
}
