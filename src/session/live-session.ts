/**
 * The live session: owns every effect of watching one target — the metrics sampler, the background
 * snapshot schedule and its safety gate, the engine worker, the allocation sampler — and reports
 * what happens as plain events. The TUI maps the events onto store actions; `check` collects them.
 * Nothing here renders, and the UI never reaches the target except through requests made here.
 */
import type {AllocationSite, ClassRetainers, GrowthCandidate, HeapLimits, MetricsSample, PathStep, SnapshotJobState, SnapshotSummary, TargetInfo, Trend, Verdict} from '../model/types.js';
import type {InspectorTarget, SamplingProfile, TargetEndReason} from '../target/target.js';
import {EngineClient} from '../pipeline/engine-client.js';
import {ensurePrivateDir, runSnapshotJob} from '../pipeline/snapshot-job.js';
import {startSampler} from '../sampling/sampler.js';
import {classifyTrend} from '../analysis/trend.js';
import {rankGrowth} from '../analysis/growth.js';
import {decideSnapshot, type GateInput} from '../analysis/gate.js';
import {effectiveInterval} from '../analysis/schedule.js';
import {buildAllocationSites, sitesForClass} from '../analysis/allocation-sites.js';

export type SessionEvent =
	| {type: 'attached'; target: TargetInfo}
	| {type: 'sample'; sample: MetricsSample}
	| {type: 'gap'; t: number}
	| {type: 'trend'; trend: Trend}
	| {type: 'heapLimits'; limits: HeapLimits}
	| {type: 'snapshotJob'; job: SnapshotJobState}
	| {type: 'snapshotPlan'; effectiveIntervalMs: number; nextAt: number | null}
	| {type: 'snapshotDone'; summary: SnapshotSummary; pauseMs: number}
	| {type: 'growth'; candidates: GrowthCandidate[]; verdict: Verdict; reason: string}
	| {type: 'retainers'; retainers: ClassRetainers}
	| {type: 'allocationSites'; sites: AllocationSite[]; byClass: Record<string, AllocationSite[]>}
	| {type: 'notice'; level: 'info' | 'warn' | 'error'; text: string}
	| {type: 'ended'; reason: string};

export interface LiveSessionOptions {
	intervalMs: number;
	/** 0 = no background snapshots */
	snapshotEveryMs: number;
	maxPauseShare: number;
	forceSnapshot: boolean;
	saveSnapshotsDir: string | null;
	redact: boolean;
	allocSampling: boolean;
	samplingIntervalBytes: number;
	/** how many top growing classes get their retaining paths computed after each snapshot */
	explainTop: number;
	/** keep at most this many samples (the charts and the report read them) */
	maxSamples: number;
}

/** How long a single metrics read may take before the tick counts as a gap (busy target). */
const READ_TIMEOUT_CAP_MS = 2000;
const HEAP_LIMITS_EVERY_MS = 15_000;
/** The allocation view refreshes on its own too, not only after snapshots (a profile read costs ~20 ms). */
const ALLOCATION_SITES_EVERY_MS = 10_000;

export class LiveSession {
	readonly engine = new EngineClient();
	private readonly abort = new AbortController();
	private readonly samples: MetricsSample[] = [];
	private readonly summaries: SnapshotSummary[] = [];
	private readonly pauses: number[] = [];
	private limits: HeapLimits | null = null;
	private lastObjectCount: number | null = null;
	private snapshotRunning = false;
	private snapshotTimer: NodeJS.Timeout | null = null;
	private limitsTimer: NodeJS.Timeout | null = null;
	private sitesTimer: NodeJS.Timeout | null = null;
	private lastProfileSites: AllocationSite[] | null = null;
	private lastProfile: SamplingProfile | null = null;
	private candidates: GrowthCandidate[] = [];
	private ended = false;
	/** performance.now() at attach: every `t` of this session counts from here */
	private readonly attachedAt = performance.now();
	private pauseSampler: ((reason: string) => void) | null = null;
	private resumeSampler: (() => void) | null = null;
	private stopped: Promise<void> | null = null;

	constructor(
		private readonly target: InspectorTarget,
		private readonly options: LiveSessionOptions,
		private readonly emit: (event: SessionEvent) => void,
	) {}

	get collectedSamples(): readonly MetricsSample[] {
		return this.samples;
	}

	get collectedSummaries(): readonly SnapshotSummary[] {
		return this.summaries;
	}

	get isEnded(): boolean {
		return this.ended;
	}

	async start(): Promise<void> {
		this.emit({type: 'attached', target: this.target.info});
		this.target.onEnd(reason => this.onTargetEnd(reason));
		if (this.options.saveSnapshotsDir) ensurePrivateDir(this.options.saveSnapshotsDir);
		await this.refreshLimits();
		this.limitsTimer = setInterval(() => void this.refreshLimits(), HEAP_LIMITS_EVERY_MS);
		this.limitsTimer.unref();

		const sampler = startSampler(this.target, {
			intervalMs: this.options.intervalMs,
			readTimeoutMs: Math.min(this.options.intervalMs, READ_TIMEOUT_CAP_MS),
			signal: this.abort.signal,
			attachedAt: this.attachedAt,
			onEvent: event => {
				if (event.kind === 'sample') this.onSample(event.sample);
				else this.emit({type: 'gap', t: event.t});
			},
		});
		this.pauseSampler = reason => sampler.pause(reason);
		this.resumeSampler = () => sampler.resume();

		if (this.options.allocSampling && this.target.info.isNode) {
			try {
				await this.target.startAllocationSampling(this.options.samplingIntervalBytes);
				this.sitesTimer = setInterval(() => {
					if (!this.snapshotRunning) void this.refreshAllocationSites();
				}, ALLOCATION_SITES_EVERY_MS);
				this.sitesTimer.unref();
			} catch (error) {
				this.emit({type: 'notice', level: 'warn', text: `allocation sampling is off: ${messageOf(error)}`});
			}
		}
		this.scheduleNextSnapshot(this.options.snapshotEveryMs);
	}

	/** The `s` key and anything else that wants a snapshot now (the gate still applies unless forced). */
	snapshotNow(): void {
		if (this.snapshotRunning) {
			this.emit({type: 'notice', level: 'info', text: 'a snapshot is already being taken'});
			return;
		}
		void this.takeSnapshot(true);
	}

	async classRetainers(className: string): Promise<ClassRetainers | null> {
		return this.engine.classRetainers(className);
	}

	async nodeRetainers(nodeId: number): Promise<PathStep[][]> {
		return this.engine.nodeRetainers(nodeId);
	}

	/** Stops everything and detaches (removes what was injected, closes what heaptop opened). */
	stop(): Promise<void> {
		this.stopped ??= this.doStop();
		return this.stopped;
	}

	private async doStop(): Promise<void> {
		this.abort.abort();
		if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
		if (this.limitsTimer) clearInterval(this.limitsTimer);
		if (this.sitesTimer) clearInterval(this.sitesTimer);
		await this.target.close().catch(() => {});
		await this.engine.close().catch(() => {});
	}

	private ms(): number {
		return Math.round(performance.now() - this.attachedAt);
	}

	private onSample(sample: MetricsSample): void {
		this.samples.push(sample);
		if (this.samples.length > this.options.maxSamples) this.samples.splice(0, this.samples.length - this.options.maxSamples);
		this.emit({type: 'sample', sample});
		this.emit({type: 'trend', trend: classifyTrend(this.samples, this.limits)});
	}

	private async refreshLimits(): Promise<void> {
		if (this.ended || !this.target.info.isNode) return;
		try {
			this.limits = await this.target.heapLimits(READ_TIMEOUT_CAP_MS);
			this.emit({type: 'heapLimits', limits: this.limits});
		} catch {
			// a busy or exiting target: the next refresh tries again
		}
	}

	private scheduleNextSnapshot(baseMs: number): void {
		if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
		this.snapshotTimer = null;
		if (baseMs <= 0 || this.ended) {
			this.emit({type: 'snapshotPlan', effectiveIntervalMs: 0, nextAt: null});
			return;
		}
		const wait = effectiveInterval(baseMs, this.options.maxPauseShare, this.pauses);
		this.emit({type: 'snapshotPlan', effectiveIntervalMs: wait, nextAt: this.ms() + wait});
		this.snapshotTimer = setTimeout(() => void this.takeSnapshot(false), wait);
		this.snapshotTimer.unref();
	}

	private async takeSnapshot(manual: boolean): Promise<void> {
		if (this.snapshotRunning || this.ended) return;
		this.snapshotRunning = true;
		try {
			const gate = await this.gate();
			if (!gate.allow && !this.options.forceSnapshot) {
				this.emit({type: 'snapshotJob', job: {phase: 'gated', reason: gate.reason}});
				this.emit({type: 'notice', level: 'warn', text: `snapshot skipped: ${gate.reason} (--force-snapshot overrides)`});
				return;
			}
			await this.captureAndAnalyse(manual);
		} catch (error) {
			if (!this.ended) {
				const reason = messageOf(error);
				this.emit({type: 'snapshotJob', job: {phase: 'failed', reason}});
				this.emit({type: 'notice', level: 'error', text: `snapshot failed: ${reason}`});
			}
		} finally {
			this.snapshotRunning = false;
			this.resumeSampler?.();
			if (!this.ended) this.scheduleNextSnapshot(this.options.snapshotEveryMs);
		}
	}

	private async gate(): Promise<{allow: boolean; reason: string}> {
		const last = this.samples.at(-1);
		const input: GateInput = {
			limits: this.limits,
			heapUsed: last?.heapUsed ?? null,
			rss: last?.rss ?? null,
			pid: this.target.info.pid,
			local: this.target.info.pid !== null && isLoopback(this.target.info.address),
			lastObjectCount: this.lastObjectCount,
			lastPauseMs: this.pauses.at(-1) ?? null,
			force: this.options.forceSnapshot,
		};
		return decideSnapshot(input);
	}

	private async captureAndAnalyse(manual: boolean): Promise<void> {
		const seq = this.summaries.length;
		const boundaries = this.generationBoundaries();
		this.pauseSampler?.('snapshot');
		const result = await runSnapshotJob(this.target, this.engine, {
			seq,
			t: this.ms(),
			generationBoundaries: boundaries,
			retained: true,
			saveDir: this.options.saveSnapshotsDir,
			redact: this.options.redact,
			onPhase: phase => {
				// the target is running again as soon as the chunks are all in
				if (phase.phase !== 'capturing') this.resumeSampler?.();
				this.emit({type: 'snapshotJob', job: phase.phase === 'capturing'
					? {phase: 'capturing', done: phase.done, total: phase.total}
					: phase.phase === 'parsing' ? {phase: 'parsing', bytes: phase.bytes} : {phase: 'analysing'}});
			},
		});
		this.pauses.push(result.pauseMs);
		this.lastObjectCount = result.objectCount;
		this.summaries.push(result.summary);
		this.emit({type: 'snapshotDone', summary: result.summary, pauseMs: result.pauseMs});
		this.emit({type: 'snapshotJob', job: {phase: 'idle'}});
		if (manual) this.emit({type: 'notice', level: 'info', text: `snapshot ${seq + 1} taken: the target paused ${(result.pauseMs / 1000).toFixed(1)} s`});

		const growth = rankGrowth(this.summaries);
		this.candidates = growth.candidates;
		this.emit({type: 'growth', candidates: growth.candidates, verdict: growth.verdict, reason: growth.reason});
		for (const candidate of growth.candidates.slice(0, this.options.explainTop)) {
			const retainers = await this.engine.classRetainers(candidate.name).catch(() => null);
			if (retainers) this.emit({type: 'retainers', retainers});
		}
		await this.refreshAllocationSites();
	}

	/**
	 * Id ranges of earlier snapshots, for survivor counting. V8 ids only grow within one id epoch;
	 * when the newest max id is below an earlier one the epoch changed (Node 20 renumbers when any
	 * inspector session disconnects), and older boundaries would be meaningless.
	 */
	private generationBoundaries(): number[] {
		const out: number[] = [];
		for (const s of this.summaries) {
			if (out.length > 0 && s.maxNodeId < out[out.length - 1]!) out.length = 0;
			out.push(s.maxNodeId);
		}
		return out;
	}

	private async refreshAllocationSites(): Promise<void> {
		if (!this.options.allocSampling || this.ended || !this.target.info.isNode) return;
		let profile: SamplingProfile;
		try {
			profile = await this.target.getAllocationProfile();
		} catch {
			return;
		}
		const sites = buildAllocationSites(profile, {previous: this.lastProfileSites});
		const byClass: Record<string, AllocationSite[]> = {};
		for (const candidate of this.candidates.slice(0, 10)) {
			const found = sitesForClass(candidate.name, profile, {previousProfile: this.lastProfile});
			if (found.length > 0) byClass[candidate.name] = found;
		}
		this.lastProfileSites = sites;
		this.lastProfile = profile;
		this.emit({type: 'allocationSites', sites, byClass});
	}

	private onTargetEnd(reason: TargetEndReason): void {
		if (this.ended) return;
		this.ended = true;
		this.abort.abort();
		if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
		if (this.sitesTimer) clearInterval(this.sitesTimer);
		if (this.limitsTimer) clearInterval(this.limitsTimer);
		const text = reason.kind === 'exited'
			? `the target exited${reason.code !== null ? ` with code ${reason.code}` : ''}${reason.signal ? ` (${reason.signal})` : ''}`
			: `the connection to the target was lost: ${reason.message}`;
		this.emit({type: 'ended', reason: text});
	}
}

function isLoopback(address: string): boolean {
	return /^(127\.|localhost|\[::1\]|::1)/.test(address);
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
