/**
 * The snapshot gate: should heaptop take a heap snapshot of the target right now?
 *
 * A snapshot pauses the target for ≈ 4.5 µs per heap object and makes it allocate ≈ 520 B per object
 * of extra RSS (Node 20, cdp-facts §4.2; cost scales with object count, not bytes). On a big heap that
 * is gigabytes — enough to get a container OOM-killed, which is the one thing a diagnostic tool must
 * never do. So: estimate the cost, find out how much room the target has, and refuse when it is tight.
 *
 * Refuse when (unless forced):
 *   - the V8 heap is already near its limit (the snapshot's own allocations could tip it into OOM);
 *   - a local target's headroom — min(host MemAvailable, cgroup limit − usage) — is below the
 *     estimated extra memory × a safety factor;
 *   - the headroom cannot be seen (remote target, no /proc) and the estimate is not small.
 * Reads /proc and /sys under `root` (injectable for tests); everything else is pure.
 */
import type {HeapLimits} from '../model/types.js';
import {formatBytes, formatDuration} from './format.js';
import {canReadProc, readCgroupMemory, readHostAvailable, type CgroupMemory} from './host-memory.js';

export interface GateInput {
	limits: HeapLimits | null;
	/** the target's current heapUsed */
	heapUsed: number | null;
	/** the target's current RSS */
	rss: number | null;
	pid: number | null;
	/** the caller believes the target runs on this host (loopback address); confirmed via /proc/PID */
	local: boolean;
	/** object (node) count of the last snapshot, when one was taken */
	lastObjectCount: number | null;
	/** how long the last snapshot paused the target */
	lastPauseMs: number | null;
	/** extra peak RSS the last snapshot cost, when it was measured */
	lastExtraBytes?: number | null;
	/** heapUsed when the last snapshot was taken, to scale its figures to today's heap */
	lastHeapUsed?: number | null;
	force?: boolean;
	/** where /proc and /sys live (default "/") */
	root?: string;
	/** headroom must be at least estimate × this (default 1.5) */
	safetyFactor?: number;
	/** with unknown headroom, allow only estimates below this (default 64 MB) */
	blindMaxExtraBytes?: number;
	/** refuse when heapUsed is at least this share of the V8 heap limit (default 0.9) */
	heapLimitShare?: number;
}

export interface SnapshotEstimate {
	nodes: number;
	extraBytes: number;
	pauseMs: number;
	/** what the estimate rests on */
	basis: 'last-snapshot' | 'heap-size' | 'nothing';
	/** true when it is a rough guess from heap bytes rather than a measured object count */
	rough: boolean;
}

export interface GateDecision {
	allow: boolean;
	reason: string;
	estimate: SnapshotEstimate;
	/** bytes the target can still take, or null when unknown */
	headroomBytes: number | null;
}

/**
 * Extra peak RSS per heap object for a *first* snapshot. cdp-facts §4.2 measured 490–530 B on quiet,
 * object-heavy heaps, but first snapshots here cost up to 1,417 B/object (t-big-heap: +870 MB for
 * 645 k objects); later snapshots reuse that memory. The gate must protect the first one, so it
 * assumes the high figure until this target's own cost has been measured.
 */
export const EXTRA_BYTES_PER_NODE = 1500;
export const PAUSE_MS_PER_NODE = 0.0045;
/** Conservative bytes per heap object when no snapshot has counted them (small-object heaps ≈ 42). */
export const ROUGH_BYTES_PER_NODE = 40;
const DEFAULT_SAFETY = 1.5;
const DEFAULT_BLIND_MAX = 64 * 1024 * 1024;
const DEFAULT_HEAP_LIMIT_SHARE = 0.9;

/** What the next snapshot will probably cost the target. Pure. */
export function estimateSnapshotCost(input: GateInput): SnapshotEstimate {
	const heapNow = input.heapUsed ?? input.limits?.usedHeapSize ?? null;
	if (input.lastObjectCount && input.lastObjectCount > 0) {
		// the heap may have grown since: scale up with it, never down (conservative)
		const growth = heapNow && input.lastHeapUsed ? Math.max(1, heapNow / input.lastHeapUsed) : 1;
		const nodes = Math.round(input.lastObjectCount * growth);
		const extraBytes = input.lastExtraBytes ? input.lastExtraBytes * growth : nodes * EXTRA_BYTES_PER_NODE;
		const pauseMs = input.lastPauseMs ? input.lastPauseMs * growth : nodes * PAUSE_MS_PER_NODE;
		return {nodes, extraBytes, pauseMs, basis: 'last-snapshot', rough: false};
	}
	if (heapNow && heapNow > 0) {
		const nodes = Math.round(heapNow / ROUGH_BYTES_PER_NODE);
		return {nodes, extraBytes: nodes * EXTRA_BYTES_PER_NODE, pauseMs: nodes * PAUSE_MS_PER_NODE, basis: 'heap-size', rough: true};
	}
	return {nodes: 0, extraBytes: 0, pauseMs: 0, basis: 'nothing', rough: true};
}

export function describeEstimate(e: SnapshotEstimate, heapUsed: number | null): string {
	if (e.basis === 'nothing') return 'cost unknown (no heap figures yet)';
	const cost = `≈ ${formatBytes(e.extraBytes)} extra memory and a ${formatDuration(e.pauseMs)} pause`;
	return e.rough
		? `${cost} (rough estimate from a ${formatBytes(heapUsed ?? 0)} heap at ~${ROUGH_BYTES_PER_NODE} B per object)`
		: `${cost} (estimated from ${formatObjects(e.nodes)} objects)`;
}

function formatObjects(n: number): string {
	return n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${Math.round(n / 1e3)} k` : String(n);
}

export async function decideSnapshot(input: GateInput): Promise<GateDecision> {
	const estimate = estimateSnapshotCost(input);
	const heapUsed = input.heapUsed ?? input.limits?.usedHeapSize ?? null;
	const cost = describeEstimate(estimate, heapUsed);
	const root = input.root ?? '/';
	const local = input.local && input.pid !== null && await canReadProc(input.pid, root);
	const headroom = local ? await localHeadroom(input.pid!, root) : {bytes: null, detail: ''};
	const decide = (allow: boolean, reason: string): GateDecision => ({allow, reason, estimate, headroomBytes: headroom.bytes});

	if (input.force) return decide(true, `forced: ${cost}`);

	const limit = input.limits?.heapSizeLimit ?? 0;
	const share = input.heapLimitShare ?? DEFAULT_HEAP_LIMIT_SHARE;
	if (limit > 0 && heapUsed !== null && heapUsed >= share * limit) {
		return decide(false, `the heap is at ${Math.round((heapUsed / limit) * 100)}% of its ${formatBytes(limit)} V8 limit; a snapshot now could push the target into an out-of-memory crash`);
	}

	if (headroom.bytes !== null) {
		const needed = estimate.extraBytes * (input.safetyFactor ?? DEFAULT_SAFETY);
		const peak = input.rss !== null ? `, RSS would peak near ${formatBytes(input.rss + estimate.extraBytes)}` : '';
		if (headroom.bytes < needed) {
			return decide(false, `not enough free memory for a snapshot: it needs ${cost}${peak}, but only ${formatBytes(headroom.bytes)} is free${headroom.detail}`);
		}
		return decide(true, `${cost}; ${formatBytes(headroom.bytes)} free${headroom.detail}`);
	}

	const blindMax = input.blindMaxExtraBytes ?? DEFAULT_BLIND_MAX;
	const where = local ? 'the target\'s free memory cannot be read' : 'the target is not local, so its free memory is unknown';
	if (estimate.basis !== 'nothing' && estimate.extraBytes < blindMax) return decide(true, `${cost}; ${where}, but that is small`);
	return decide(false, `${where}, and a snapshot may need ${cost}; force it only if the target has that much memory to spare`);
}

/** min(host MemAvailable, cgroup limit − usage), with a few words on which one binds. */
async function localHeadroom(pid: number, root: string): Promise<{bytes: number | null; detail: string}> {
	const [host, cgroup] = await Promise.all([readHostAvailable(root), readCgroupMemory(pid, root)]);
	const inCgroup = cgroupRoom(cgroup);
	if (host === null && inCgroup === null) return {bytes: null, detail: ''};
	if (inCgroup !== null && (host === null || inCgroup <= host)) {
		return {bytes: inCgroup, detail: ` in its cgroup (limit ${formatBytes(cgroup!.limit!)}, ${formatBytes(cgroup!.usage!)} used)`};
	}
	return {bytes: host, detail: ' on this host'};
}

function cgroupRoom(c: CgroupMemory | null): number | null {
	return c && c.limit !== null && c.usage !== null ? Math.max(0, c.limit - c.usage) : null;
}
