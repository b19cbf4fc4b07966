/**
 * WeakMap ephemeron edges. V8 writes a WeakMap value as retained by two `internal` edges, one from the
 * table and one from the key, both named "<n> / part of key (K @k) -> value (V @v) pair in WeakMap
 * (table @t)". The part after the number is the same for both; it identifies the pair.
 *
 * DevTools' rules, which heaptop follows: for distances the value is as far as the *farther* of the
 * two (skip the first of the pair met, take the second); for dominators only the key's edge counts
 * (the edge leaving the node whose id is the table id is not essential).
 *
 * Edge names are parsed lazily, once per string index.
 */
import type {HeapGraph} from './graph.js';
import {stringsContaining, type StringTable} from './string-table.js';

const EPHEMERON = /^\d+(?<pair> \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(?<tableId>\d+)\))$/;
/** What every ephemeron edge name has in it (a cheap test before EPHEMERON). */
const PAIR_MARKER = ' pair in WeakMap (table @';
const UNKNOWN = -2;
const NOT_EPHEMERON = -1;

/** WeakMapEdges' answers for every string index (see resolve()): plain typed arrays, for another thread. */
export interface ResolvedWeakMapEdges {
	/** per string index: the pair id, or -1 */
	readonly pairOfString: Int32Array;
	/** per pair id: the WeakMap table's node id */
	readonly tableIdOfPair: Float64Array;
}

export class WeakMapEdges {
	/** per string index: UNKNOWN, NOT_EPHEMERON, or the pair id */
	private readonly pairOfString: Int32Array;
	private readonly pairIds = new Map<string, number>();
	/** per pair id: the WeakMap table's node id */
	readonly tableIdOfPair: number[] = [];
	/** resolve()'s answer, once given (every string is answered then: nothing changes after) */
	private resolved: ResolvedWeakMapEdges | null = null;

	constructor(
		private readonly strings: StringTable,
		resolved?: ResolvedWeakMapEdges,
	) {
		if (resolved) {
			this.pairOfString = resolved.pairOfString;
			this.tableIdOfPair = Array.from(resolved.tableIdOfPair);
			this.resolved = resolved;
		} else {
			this.pairOfString = new Int32Array(strings.length).fill(UNKNOWN);
		}
	}

	static forGraph(graph: HeapGraph): WeakMapEdges {
		return new WeakMapEdges(graph.strings);
	}

	/** The pairs of a resolve() elsewhere, for a thread without the strings table. */
	static fromResolved(resolved: ResolvedWeakMapEdges): WeakMapEdges {
		return new WeakMapEdges([], resolved);
	}

	/**
	 * Every string answered now, so that the tables answer pairOf for any name without the strings:
	 * those with the pair marker in them one by one, in order, the others at once.
	 */
	resolve(): ResolvedWeakMapEdges {
		if (this.resolved) return this.resolved;
		const pairs = stringsContaining(this.strings, PAIR_MARKER).map(i => [i, this.pairOf(i)] as const);
		// no other string can name an ephemeron edge (pairOf would say so, one string at a time)
		this.pairOfString.fill(NOT_EPHEMERON);
		for (const [i, pair] of pairs) this.pairOfString[i] = pair;
		this.resolved = {pairOfString: this.pairOfString, tableIdOfPair: Float64Array.from(this.tableIdOfPair)};
		return this.resolved;
	}

	get pairCount(): number {
		return this.tableIdOfPair.length;
	}

	/** The pair id of an internal edge's name (a string index), or -1 when it is not an ephemeron edge. */
	pairOf(nameIndex: number): number {
		const known = this.pairOfString[nameIndex];
		if (known === undefined) return NOT_EPHEMERON;
		if (known !== UNKNOWN) return known;
		const text = this.strings.at(nameIndex) ?? '';
		let result = NOT_EPHEMERON;
		// Cheap test first: most internal edge names are short words like "map" or "table".
		if (text.includes(PAIR_MARKER)) {
			const match = EPHEMERON.exec(text);
			if (match?.groups) {
				const pair = match.groups['pair']!;
				let id = this.pairIds.get(pair);
				if (id === undefined) {
					id = this.tableIdOfPair.length;
					this.pairIds.set(pair, id);
					this.tableIdOfPair.push(Number(match.groups['tableId']));
				}
				result = id;
			}
		}
		this.pairOfString[nameIndex] = result;
		return result;
	}
}
