/**
 * The one interface through which the rest of heaptop talks to an inspected process.
 * Only src/target/ may import chrome-remote-interface; everything above sees this interface and the
 * plain DTOs of src/model/types.ts.
 */
import type {HeapLimits, TargetInfo} from '../model/types.js';

/** One raw metrics read (cumulative GC figures since the probe was installed). */
export interface RawMetrics {
	heapUsed: number;
	heapTotal: number;
	rss: number | null;
	external: number | null;
	arrayBuffers: number | null;
	/** null when the GC probe is not installed / not available */
	gc: GcTotals | null;
}

export interface GcTotals {
	count: number;
	pauseMs: number;
	minor: number;
	minorMs: number;
	major: number;
	majorMs: number;
	/** heapUsed measured right after the latest major GC, when the probe could observe it */
	heapAfterLastMajorGc: number | null;
}

/** What a snapshot call learnt besides the chunks. */
export interface SnapshotTaken {
	/**
	 * V8 renumbered its heap object ids since this target's previous snapshot (on Node 20 any other
	 * inspector session that disconnects does it, cdp-facts §5): ids of this snapshot cannot be
	 * compared with earlier ones, so survivor counting by id range must start again.
	 */
	idsRenumbered: boolean;
}

export interface SnapshotProgress {
	/** objects processed so far and in total, during V8's generation phase */
	done: number;
	total: number;
	finished: boolean;
}

/** The sampling heap profiler's raw profile (see cdp-facts §7): 0-based lines and columns. */
export interface SamplingProfileNode {
	callFrame: {functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number};
	selfSize: number;
	id: number;
	children: SamplingProfileNode[];
}
export interface SamplingProfile {
	head: SamplingProfileNode;
	samples?: Array<{size: number; nodeId: number; ordinal: number}>;
}

export type TargetEndReason =
	| {kind: 'exited'; code: number | null; signal: string | null}
	| {kind: 'disconnected'; message: string};

export interface InspectorTarget {
	readonly info: TargetInfo;

	/** Cheapest complete metrics read; rejects with a TimeoutError after `timeoutMs` (busy target). */
	readMetrics(timeoutMs: number): Promise<RawMetrics>;

	/** v8.getHeapStatistics() of the target (for the snapshot gate and the heap-limit countdown). */
	heapLimits(timeoutMs: number): Promise<HeapLimits>;

	/**
	 * Takes a heap snapshot, handing each JSON chunk (ASCII text) to `onChunk` as it arrives; never
	 * joins them. Resolves when the last chunk has been delivered. Rejects with TargetClosedError if the
	 * target dies meanwhile. The target is paused for the whole call.
	 */
	takeHeapSnapshot(onChunk: (chunk: string) => void, onProgress?: (p: SnapshotProgress) => void): Promise<SnapshotTaken>;

	/** Sampling heap profiler (HeapProfiler.startSampling); idempotent. */
	startAllocationSampling(samplingIntervalBytes: number): Promise<void>;
	getAllocationProfile(): Promise<SamplingProfile>;
	stopAllocationSampling(): Promise<void>;

	/** Called once when the target goes away (exit or connection loss). Returns an unsubscribe. */
	onEnd(listener: (reason: TargetEndReason) => void): () => void;

	/**
	 * Detaches: removes everything heaptop injected, stops profilers, closes an inspector heaptop
	 * opened (--pid), stops a child heaptop started (-- command / demo), closes the socket.
	 * Safe to call more than once and after the target ended.
	 */
	close(): Promise<void>;
}
