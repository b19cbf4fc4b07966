/**
 * Protocol answers come from the watched process, and that process may be broken or hostile (any
 * code in it can redefine process.memoryUsage, and anything can listen on a port and speak CDP).
 * What it sends must never crash heaptop or make it allocate or recurse without bound, so the values
 * that flow further up are checked and bounded here. Single messages are already capped by the
 * WebSocket layer (ws' 100 MiB maxPayload); these bounds are about shape and structure.
 */
import type {SamplingProfile, SamplingProfileNode} from './target.js';

export class ProtocolDataError extends Error {
	override name = 'ProtocolDataError';
}

export interface ProfileBounds {
	/** nodes kept; the rest of the tree is dropped (default 200 000; real profiles have hundreds to tens of thousands) */
	maxNodes?: number;
	/** deeper frames are dropped (default 256; V8 records at most 128 frames per sample) */
	maxDepth?: number;
}

export const MAX_PROFILE_NODES = 200_000;
export const MAX_PROFILE_DEPTH = 256;

/**
 * A copy of the sampling profile with only the fields heaptop reads, strings and numbers checked,
 * at most `maxNodes` nodes and `maxDepth` levels (walked without recursion, so a degenerate deep tree
 * cannot overflow the stack). `truncated` tells whether anything was dropped.
 */
export function boundedProfile(raw: unknown, bounds: ProfileBounds = {}): {profile: SamplingProfile; truncated: boolean} {
	const maxNodes = bounds.maxNodes ?? MAX_PROFILE_NODES;
	const maxDepth = bounds.maxDepth ?? MAX_PROFILE_DEPTH;
	const head = (raw as {head?: unknown} | null)?.head;
	if (!isObject(head)) throw new ProtocolDataError('the target sent an allocation profile without a root node');
	let kept = 0;
	let truncated = false;
	const copy = (node: Record<string, unknown>): SamplingProfileNode => {
		kept++;
		const frame = isObject(node.callFrame) ? node.callFrame : {};
		return {
			callFrame: {
				functionName: str(frame.functionName),
				scriptId: str(frame.scriptId),
				url: str(frame.url),
				lineNumber: int(frame.lineNumber, -1),
				columnNumber: int(frame.columnNumber, -1),
			},
			selfSize: Math.max(0, num(node.selfSize)),
			id: int(node.id, 0),
			children: [],
		};
	};
	const root = copy(head);
	const stack: Array<{from: Record<string, unknown>; to: SamplingProfileNode; depth: number}> = [{from: head, to: root, depth: 0}];
	while (stack.length > 0) {
		const {from, to, depth} = stack.pop()!;
		const children = Array.isArray(from.children) ? from.children : [];
		if (children.length > 0 && depth >= maxDepth) {
			truncated = true;
			continue;
		}
		for (const child of children) {
			if (!isObject(child)) continue;
			if (kept >= maxNodes) {
				truncated = true;
				break;
			}
			const next = copy(child);
			to.children.push(next);
			stack.push({from: child, to: next, depth: depth + 1});
		}
	}
	return {profile: {head: root}, truncated};
}

/** The METRICS_SOURCE row: five byte counts (finite, ≥ 0; rss and friends may be null) and the GC poll. */
export function checkedMetricsRow(row: unknown): [number, number, number | null, number | null, number | null, unknown] | null {
	if (row === null) return null;
	if (!Array.isArray(row) || row.length !== 6) throw new ProtocolDataError('the target answered the metrics read with something that is not a metrics row');
	const [heapUsed, heapTotal, rss, external, arrayBuffers, poll] = row as unknown[];
	if (!isBytes(heapUsed) || !isBytes(heapTotal)) throw new ProtocolDataError('the target reported a heap size that is not a byte count');
	const optional = (v: unknown) => (isBytes(v) ? v : null);
	return [heapUsed, heapTotal, optional(rss), optional(external), optional(arrayBuffers), poll];
}

/** A GC poll [count, byKind, durByKind, heapAfterMajor] of plausible shape, or null (treated as "probe gone"). */
export function checkedGcPoll<T>(poll: unknown): T | null {
	if (!Array.isArray(poll) || poll.length !== 4) return null;
	const [count, byKind, durByKind, after] = poll as unknown[];
	if (typeof count !== 'number' || !isSmallTable(byKind) || !isSmallTable(durByKind)) return null;
	if (after !== null && !isBytes(after)) return null;
	return poll as T;
}

/** perf_hooks has a handful of GC kinds; a table with more keys than that was not written by our probe. */
function isSmallTable(value: unknown): boolean {
	if (!isObject(value)) return false;
	const keys = Object.keys(value);
	return keys.length <= 32 && keys.every(k => typeof value[k] === 'number' && Number.isFinite(value[k]));
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBytes(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function str(value: unknown): string {
	return typeof value === 'string' ? (value.length > 4096 ? value.slice(0, 4096) : value) : '';
}

function num(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function int(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}
