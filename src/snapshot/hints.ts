/**
 * What kind of leak a retaining path shows, and the usual fix, in one line.
 *
 * The path is read from the object back towards the root; the first decisive structure wins:
 * - timer:    a `Timeout`/`TimersList`, an `_onTimeout` callback or the timers module's `timerListMap`;
 * - listener: an EventEmitter's `_events`;
 * - stream:   `_readableState`/`_writableState` (Readable/Writable buffers);
 * - cache:    a Map/Set hash table, or an Array/Object collection held by module scope or `global`;
 * - closure:  the object is a variable captured by a closure (a function-scope Context) that none of
 *   the above holds — e.g. closures piling up in an array.
 * A captured variable does not decide by itself: a listener or timer callback also captures its
 * variables, and the reason it stays alive is the listener or the timer, further up.
 */
import type {CauseHint} from '../model/types.js';

/** One hop of a raw retaining path as the classifier needs it (no graph access). */
export interface HopInfo {
	/** type of the edge into this node ("" for the first hop) */
	edgeType: string;
	/** name of that edge (property/variable name, or the element index as text) */
	edgeName: string;
	nodeType: string;
	/** DevTools class name ("Map", "Function", "(string)", "system / Context", …) */
	className: string;
	/** for `system / Context` nodes: module (top-level) scope or a function scope; otherwise null */
	contextKind: 'module' | 'function' | null;
	/** the root's user root (global) */
	isGlobal: boolean;
	/** a synthetic root category such as (Global handles) */
	isRootCategory: boolean;
}

const TIMER_CLASSES = new Set(['Timeout', 'TimersList', 'Immediate', 'ImmediateList']);
const TIMER_EDGES = new Set(['_onTimeout', 'timerListMap', '_onImmediate']);
const STREAM_CLASSES = new Set(['ReadableState', 'WritableState']);
const STREAM_EDGES = new Set(['_readableState', '_writableState', 'bufferedRequest']);
const TABLE_OWNERS = new Set(['Map', 'Set']);
const COLLECTION_CLASSES = new Set(['Array', 'Object', 'Map', 'Set']);

export function classifyHops(hops: readonly HopInfo[]): CauseHint {
	let captured = false;
	let collection = false;
	for (let i = hops.length - 1; i >= 0; i--) {
		const hop = hops[i]!;
		if (TIMER_CLASSES.has(hop.className) || TIMER_EDGES.has(hop.edgeName)) return 'timer';
		if (hop.edgeName === '_events' && hop.edgeType === 'property') return 'listener';
		if (STREAM_CLASSES.has(hop.className) || (hop.edgeType === 'property' && STREAM_EDGES.has(hop.edgeName))) return 'stream';
		if (hop.edgeName === 'table' && hop.edgeType === 'internal' && TABLE_OWNERS.has(hops[i - 1]?.className ?? '')) {
			return captured ? 'closure' : 'cache';
		}
		if (hop.contextKind === 'function') {
			captured = true;
			continue;
		}
		if (hop.contextKind === 'module' || hop.isGlobal || hop.isRootCategory) {
			if (captured) return 'closure';
			return collection ? 'cache' : 'other';
		}
		// An element of an array, or an object/array kept in a variable or property, is a collection.
		if (hop.edgeType === 'element') collection = true;
		else if (i < hops.length - 1 && COLLECTION_CLASSES.has(hop.className)) collection = true;
	}
	return captured ? 'closure' : 'other';
}

export const ADVICE: Readonly<Record<CauseHint, string>> = {
	listener: 'An event listener keeps it alive: remove the listener (off/removeListener) when the request ends, or use once().',
	cache: 'A long-lived collection keeps growing: bound it (LRU, TTL) or use WeakMap/WeakRef.',
	closure: "A closure captures it: don't capture it, or null it after use.",
	timer: 'A timer callback keeps it alive: clearInterval/clearTimeout when done.',
	stream: 'A stream buffers data nobody reads: consume, pipe, or destroy the stream.',
	other: 'Follow the retaining path to the first object your code owns and drop the reference there.',
};

export function adviceFor(hint: CauseHint): string {
	return ADVICE[hint];
}
