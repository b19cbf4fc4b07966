/**
 * The live metrics loop. Deadline-based (the btop way): the next tick is due one interval after the
 * previous *deadline*, not after the previous read finished, so the cadence does not drift; when it
 * falls more than an interval behind (a long block, a suspended laptop) it resyncs to now instead
 * of firing a burst of catch-up reads. Reads never overlap: each tick awaits its read, bounded by a
 * timeout, and a read that times out becomes a gap. While paused (the snapshot job has frozen the
 * target on purpose) ticks emit gaps without asking the target anything.
 */
import {performance} from 'node:perf_hooks';
import type {MetricsSample} from '../model/types.js';
import type {GcTotals, InspectorTarget, RawMetrics} from '../target/target.js';
import {TargetClosedError, TimeoutError} from '../target/errors.js';

export type GapReason = 'timeout' | 'paused' | 'error';

export type SamplerEvent =
	| {kind: 'sample'; sample: MetricsSample}
	/** a tick without a reading; `detail` is the pause reason or the error message */
	| {kind: 'gap'; t: number; reason: GapReason; detail: string};

export type SamplerStop = 'aborted' | 'target-closed';

export interface SamplerOptions {
	intervalMs: number;
	signal: AbortSignal;
	onEvent: (event: SamplerEvent) => void;
	/** performance.now() at attach; `t` of every event counts from here (default: when the sampler starts) */
	attachedAt?: number;
	/** per-read timeout (default min(interval, 2 s)) */
	readTimeoutMs?: number;
}

export class Sampler {
	/** settles when the loop has stopped: aborted, or the target went away */
	readonly done: Promise<SamplerStop>;
	private pausedFor: string | null = null;
	private gcBaseline: GcTotals | null = null;
	private readonly attachedAt: number;
	private readonly readTimeoutMs: number;

	constructor(
		private readonly target: Pick<InspectorTarget, 'readMetrics'>,
		private readonly options: SamplerOptions,
	) {
		if (!(options.intervalMs > 0)) throw new RangeError(`sampling interval must be positive, got ${options.intervalMs}`);
		this.attachedAt = options.attachedAt ?? performance.now();
		this.readTimeoutMs = options.readTimeoutMs ?? Math.min(options.intervalMs, 2000);
		this.done = this.loop();
	}

	/** Marks the coming ticks as expected gaps (e.g. 'snapshot') and stops reading until resume(). */
	pause(reason: string): void {
		this.pausedFor = reason;
	}

	resume(): void {
		this.pausedFor = null;
	}

	get paused(): boolean {
		return this.pausedFor !== null;
	}

	private async loop(): Promise<SamplerStop> {
		const {intervalMs, signal} = this.options;
		let deadline = performance.now();
		while (!signal.aborted) {
			const stop = await this.tick();
			if (stop) return stop;
			if (signal.aborted) break;
			deadline += intervalMs;
			const now = performance.now();
			if (now - deadline > intervalMs) deadline = now; // far behind: resync, no burst
			await sleep(deadline - now, signal);
		}
		return 'aborted';
	}

	/** One tick: a sample or a gap. Returns a stop reason when the target is gone. */
	private async tick(): Promise<SamplerStop | null> {
		const t = this.elapsed();
		if (this.pausedFor !== null) {
			this.emit({kind: 'gap', t, reason: 'paused', detail: this.pausedFor});
			return null;
		}
		let raw: RawMetrics;
		try {
			raw = await this.target.readMetrics(this.readTimeoutMs);
		} catch (error) {
			if (error instanceof TargetClosedError) return 'target-closed';
			if (this.options.signal.aborted) return 'aborted';
			const reason: GapReason = error instanceof TimeoutError ? 'timeout' : 'error';
			this.emit({kind: 'gap', t, reason, detail: (error as Error)?.message ?? String(error)});
			return null;
		}
		if (this.options.signal.aborted) return 'aborted';
		this.emit({kind: 'sample', sample: this.toSample(t, raw)});
		return null;
	}

	private toSample(t: number, raw: RawMetrics): MetricsSample {
		const gc = raw.gc;
		if (gc !== null && this.gcBaseline === null) this.gcBaseline = gc;
		const base = this.gcBaseline;
		const since = (pick: (g: GcTotals) => number) => (gc !== null && base !== null ? Math.max(0, pick(gc) - pick(base)) : 0);
		return {
			t,
			heapUsed: raw.heapUsed,
			heapTotal: raw.heapTotal,
			rss: raw.rss,
			external: raw.external,
			arrayBuffers: raw.arrayBuffers,
			gcCount: since(g => g.count),
			gcPauseMs: since(g => g.pauseMs),
			gcMinor: since(g => g.minor),
			gcMajor: since(g => g.major),
			heapAfterLastMajorGc: gc?.heapAfterLastMajorGc ?? null,
		};
	}

	private elapsed(): number {
		return Math.max(0, Math.round(performance.now() - this.attachedAt));
	}

	private emit(event: SamplerEvent): void {
		try {
			this.options.onEvent(event);
		} catch {
			// a consumer's bug must not stop sampling
		}
	}
}

/** Starts sampling `target` until `options.signal` aborts or the target goes away. */
export function startSampler(target: Pick<InspectorTarget, 'readMetrics'>, options: SamplerOptions): Sampler {
	return new Sampler(target, options);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
	if (ms <= 0 || signal.aborted) return Promise.resolve();
	return new Promise(resolve => {
		const done = () => {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done, {once: true});
	});
}
