/**
 * The live session: owns every effect of watching one target — the metrics sampler, the background
 * snapshot schedule and its safety gate, the engine worker, the allocation sampler — and reports
 * what happens as plain events. The TUI maps the events onto store actions; `check` collects them.
 * Nothing here renders, and the UI never reaches the target except through requests made here.
 */
import type {AllocationSite, ClassRetainers, GrowthCandidate, HeapLimits, MetricsSample, PathStep, SnapshotJobState, SnapshotSummary, TargetInfo, Trend, Verdict} from '../model/types.js';
import type {GcTotals, InspectorTarget, SamplingProfile, TargetEndReason} from '../target/target.js';
import {EngineClient} from '../pipeline/engine-client.js';
import {ensurePrivateDir, runSnapshotJob} from '../pipeline/snapshot-job.js';
import {startSampler} from '../sampling/sampler.js';
import {classifyTrend} from '../analysis/trend.js';
import {rankGrowth} from '../analysis/growth.js';
import {decideSnapshot, type GateDecision, type GateInput} from '../analysis/gate.js';
import {canReadProc, readCgroupMemory, readProcessMemory} from '../analysis/host-memory.js';
import {effectiveInterval, recentPauseMs} from '../analysis/schedule.js';
import {listeningSocketsOfPid} from '../target/discover.js';
import {buildAllocationSites, sitesForClass} from '../analysis/allocation-sites.js';
import {SourceMapResolver} from '../analysis/source-maps.js';
import {isLoopbackHost, parseTargetString} from '../target/target-spec.js';
import {messageOf} from '../errors.js';

export type SessionEvent =
	| {type: 'attached'; target: TargetInfo}
	| {type: 'sample'; sample: MetricsSample}
	| {type: 'gap'; t: number}
	| {type: 'trend'; trend: Trend}
	| {type: 'heapLimits'; limits: HeapLimits}
	| {type: 'snapshotJob'; job: SnapshotJobState}
	| {type: 'snapshotPlan'; effectiveIntervalMs: number; nextAt: number | null; baseIntervalMs: number; maxPauseShare: number; lastPauseMs: number | null}
	/** the memory cgroup limit of a local target (refreshed with the heap limits), for the countdown */
	| {type: 'memoryLimit'; limit: number; usage: number}
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
	/** where /proc and /sys live for the snapshot gate and the cgroup countdown (default "/"; tests use a fake tree) */
	procRoot?: string;
}

/** How long a single metrics read may take before the tick counts as a gap (busy target). */
const READ_TIMEOUT_CAP_MS = 2000;
const HEAP_LIMITS_EVERY_MS = 15_000;
/** Every heap snapshot runs this many full (mark-compact) GCs in the target (cdp-facts §3.1). */
const GCS_FORCED_PER_SNAPSHOT = 2;
/** How long after a capture to wait for the GC observer to report the snapshot's forced GCs. */
const FORCED_GC_SETTLE_MS = 1500;

/** GC work heaptop itself caused (snapshots), subtracted from what the samples show. */
interface GcDiscount {count: number; major: number; pauseMs: number}
/** The allocation view refreshes on its own too, not only after snapshots (a profile read costs ~20 ms). */
const ALLOCATION_SITES_EVERY_MS = 10_000;
const MAX_PROFILE_HISTORY = 8;
const FIRST_SNAPSHOT_AFTER_MS = 3000;

export class LiveSession {
	readonly engine = new EngineClient();
	private readonly abort = new AbortController();
	private readonly samples: MetricsSample[] = [];
	private readonly summaries: SnapshotSummary[] = [];
	/** index of the first snapshot of the current heap-id epoch (see generationBoundaries) */
	private idEpochStart = 0;
	private readonly pauses: number[] = [];
	private limits: HeapLimits | null = null;
	private lastObjectCount: number | null = null;
	private snapshotRunning = false;
	private snapshotAttempts = 0;
	private snapshotTimer: NodeJS.Timeout | null = null;
	private limitsTimer: NodeJS.Timeout | null = null;
	private sitesTimer: NodeJS.Timeout | null = null;
	private lastProfileSites: AllocationSite[] | null = null;
	private lastProfile: SamplingProfile | null = null;
	/** profiles read right after snapshots (oldest first), to correlate site growth with class growth */
	private readonly snapshotProfiles: Array<{seq: number; profile: SamplingProfile}> = [];
	private candidates: GrowthCandidate[] = [];
	private ended = false;
	/** performance.now() at attach: every `t` of this session counts from here */
	private readonly attachedAt = performance.now();
	private pauseSampler: ((reason: string) => void) | null = null;
	private resumeSampler: (() => void) | null = null;
	private stopped: Promise<void> | null = null;
	/** the target runs on this host and its /proc is ours to read (decided once at start) */
	private local = false;
	private readonly sourceMaps = new SourceMapResolver();
	private readonly gcDiscount: GcDiscount = {count: 0, major: 0, pauseMs: 0};
	/** heapUsed when the last snapshot was taken (the gate scales its measured cost to today's heap) */
	private lastSnapshotHeapUsed: number | null = null;
	/** the largest extra peak RSS a snapshot was seen to cost this target (local only), for the gate */
	private measuredExtraBytes: number | null = null;
	/** the last refusal was already announced (one notice per run of refusals, not one per tick) */
	private refusalAnnounced = false;
	private blindWarned = false;

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
		this.local = await this.isLocalTarget();
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

	private onSample(raw: MetricsSample): void {
		const d = this.gcDiscount;
		// the GCs heaptop forced (2 per snapshot) are not the app's: leave them out of what is shown
		const sample = d.count === 0 ? raw : {
			...raw,
			gcCount: Math.max(0, raw.gcCount - d.count),
			gcMajor: Math.max(0, raw.gcMajor - d.major),
			gcPauseMs: Math.max(0, raw.gcPauseMs - d.pauseMs),
		};
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
		if (this.local && this.target.info.pid !== null) {
			const cgroup = await readCgroupMemory(this.target.info.pid, this.options.procRoot).catch(() => null);
			if (cgroup?.limit != null && cgroup.usage !== null) this.emit({type: 'memoryLimit', limit: cgroup.limit, usage: cgroup.usage});
		}
	}

	/**
	 * Is the target's /proc entry really the target? A loopback address is not enough: an SSH tunnel or
	 * a container's published port is loopback too, and there the target's pid names some unrelated
	 * local process, whose memory would then vouch for a snapshot. So: a process heaptop found by pid or
	 * started itself, or one whose /proc shows it listening on the inspector port we talk to.
	 */
	private async isLocalTarget(): Promise<boolean> {
		const {pid, address, attachedVia} = this.target.info;
		const inspector = inspectorAddress(address);
		if (pid === null || !inspector || !isLoopbackHost(inspector.host) || !(await canReadProc(pid, this.options.procRoot))) return false;
		if (attachedVia === 'pid' || attachedVia === 'spawn' || attachedVia === 'demo') return true;
		return (await listeningSocketsOfPid(pid)).some(s => s.port === inspector.port);
	}

	private scheduleNextSnapshot(baseMs: number): void {
		if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
		this.snapshotTimer = null;
		if (baseMs <= 0 || this.ended) {
			this.emit({type: 'snapshotPlan', effectiveIntervalMs: 0, nextAt: null, baseIntervalMs: 0, maxPauseShare: this.options.maxPauseShare, lastPauseMs: null});
			return;
		}
		// The first snapshot is the baseline every later one is compared with: take it soon after attach
		// (once the first metrics are in), so three snapshots — the fewest for a verdict — come a full
		// interval sooner.
		const wait = this.snapshotAttempts === 0 ? Math.min(FIRST_SNAPSHOT_AFTER_MS, baseMs) : effectiveInterval(baseMs, this.options.maxPauseShare, this.pauses);
		const lastPauseMs = this.pauses.length > 0 ? recentPauseMs(this.pauses) : null;
		this.emit({type: 'snapshotPlan', effectiveIntervalMs: wait, nextAt: this.ms() + wait, baseIntervalMs: baseMs, maxPauseShare: this.options.maxPauseShare, lastPauseMs});
		this.snapshotTimer = setTimeout(() => void this.takeSnapshot(false), wait);
		this.snapshotTimer.unref();
	}

	private async takeSnapshot(manual: boolean): Promise<void> {
		if (this.snapshotRunning || this.ended) return;
		this.snapshotRunning = true;
		this.snapshotAttempts++;
		try {
			const gate = await this.gate();
			if (!gate.allow) {
				this.emit({type: 'snapshotJob', job: {phase: 'gated', reason: gate.reason}});
				// the status line shows the reason all along; the notice (and `check`'s report) once per run of refusals
				if (manual || !this.refusalAnnounced) {
					this.emit({type: 'notice', level: 'warn', text: `snapshot skipped: ${gate.reason} (--force-snapshot overrides)`});
				}
				this.refusalAnnounced = true;
				return;
			}
			this.refusalAnnounced = false;
			if (gate.headroomBytes === null && !this.blindWarned && !this.options.forceSnapshot) {
				this.blindWarned = true;
				this.emit({type: 'notice', level: 'warn', text: `snapshot cost cannot be checked against free memory: ${gate.reason}; larger snapshots will be refused`});
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

	private async gate(): Promise<GateDecision> {
		const last = this.samples.at(-1);
		const input: GateInput = {
			limits: this.limits,
			heapUsed: last?.heapUsed ?? null,
			rss: last?.rss ?? null,
			pid: this.target.info.pid,
			local: this.local,
			lastObjectCount: this.lastObjectCount,
			lastPauseMs: this.pauses.at(-1) ?? null,
			lastHeapUsed: this.lastSnapshotHeapUsed,
			lastExtraBytes: this.measuredExtraBytes,
			force: this.options.forceSnapshot,
			root: this.options.procRoot,
		};
		return decideSnapshot(input);
	}

	private async captureAndAnalyse(manual: boolean): Promise<void> {
		const seq = this.summaries.length;
		const boundaries = this.generationBoundaries();
		this.pauseSampler?.('snapshot');
		const heapBefore = this.samples.at(-1)?.heapUsed ?? null;
		const gcBefore = await this.readGcTotals();
		const memoryBefore = await this.readTargetMemory();
		let settling: Promise<void> | null = null;
		const result = await runSnapshotJob(this.target, this.engine, {
			seq,
			t: this.ms(),
			generationBoundaries: boundaries,
			retained: true,
			saveDir: this.options.saveSnapshotsDir,
			redact: this.options.redact,
			onPhase: phase => {
				// the target is running again as soon as the chunks are all in; sampling resumes once the
				// snapshot's own GCs are counted (so no sample shows them before they are discounted)
				if (phase.phase !== 'capturing' && settling === null) {
					void this.measureSnapshotMemory(memoryBefore);
					settling = this.discountForcedGcs(gcBefore).finally(() => this.resumeSampler?.());
				}
				this.emit({type: 'snapshotJob', job: phase.phase === 'capturing'
					? {phase: 'capturing', done: phase.done, total: phase.total}
					: phase.phase === 'parsing' ? {phase: 'parsing', bytes: phase.bytes} : {phase: 'analysing'}});
			},
		});
		await settling;
		this.pauses.push(result.pauseMs);
		this.lastObjectCount = result.objectCount;
		this.lastSnapshotHeapUsed = heapBefore;
		if (result.idsRenumbered && seq > 0) {
			this.idEpochStart = seq;
			this.emit({type: 'notice', level: 'info', text: 'the target renumbered its heap object ids (another debugger client disconnected): survivor counts start again from this snapshot'});
		}
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
		await this.refreshAllocationSites(seq);
	}

	private async readTargetMemory(): Promise<{rss: number; peak: number} | null> {
		return this.local && this.target.info.pid !== null ? readProcessMemory(this.target.info.pid, this.options.procRoot) : null;
	}

	/**
	 * What the capture really cost in RSS: the peak (VmHWM) it reached above the RSS before it. Only
	 * seen when the snapshot set a new peak — usually the first, which costs the most (later ones
	 * reuse the memory the first left behind). The gate prefers this to its per-object constant.
	 */
	private async measureSnapshotMemory(before: {rss: number; peak: number} | null): Promise<void> {
		const after = before ? await this.readTargetMemory() : null;
		if (!before || !after || after.peak <= before.peak) return;
		const extra = after.peak - before.rss;
		this.measuredExtraBytes = Math.max(this.measuredExtraBytes ?? 0, extra);
	}

	private async readGcTotals(): Promise<GcTotals | null> {
		if (this.ended) return null;
		return (await this.target.readMetrics(READ_TIMEOUT_CAP_MS).catch(() => null))?.gc ?? null;
	}

	/**
	 * A snapshot forces two full GCs; the observer in the target reports them a few loop turns after
	 * the capture. Count them (up to two new major GCs since `before`) into the discount.
	 */
	private async discountForcedGcs(before: GcTotals | null): Promise<void> {
		if (before === null) return;
		const deadline = performance.now() + FORCED_GC_SETTLE_MS;
		for (;;) {
			await new Promise(resolve => setTimeout(resolve, 100));
			const after = await this.readGcTotals();
			if (after === null) return;
			const newMajors = after.major - before.major;
			if (newMajors >= GCS_FORCED_PER_SNAPSHOT || performance.now() >= deadline) {
				const forced = Math.min(GCS_FORCED_PER_SNAPSHOT, Math.max(0, newMajors));
				if (forced === 0) return;
				this.gcDiscount.count += forced;
				this.gcDiscount.major += forced;
				// an app's own major GC in the same window shares the time pro rata
				this.gcDiscount.pauseMs += Math.max(0, after.majorMs - before.majorMs) * (forced / newMajors);
				return;
			}
		}
	}

	/**
	 * Id ranges of earlier snapshots, for survivor counting. V8 ids only grow within one id epoch.
	 * The target reports a new epoch (its id sentinel lost its id: Node 20 renumbers when any
	 * inspector session disconnects); as a fallback, a newest max id below an earlier one means the
	 * same. Boundaries from an earlier epoch would be meaningless.
	 */
	private generationBoundaries(): number[] {
		const out: number[] = [];
		for (const s of this.summaries.slice(this.idEpochStart)) {
			if (out.length > 0 && s.maxNodeId < out[out.length - 1]!) out.length = 0;
			out.push(s.maxNodeId);
		}
		return out;
	}

	/** @param afterSnapshot the seq of the snapshot just taken, when called right after one */
	private async refreshAllocationSites(afterSnapshot?: number): Promise<void> {
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
			const found = sitesForClass(candidate.name, profile, {
				previousProfile: this.lastProfile,
				// V8 often inlines a hot constructor so its frame vanishes; then the sites whose live bytes
				// grew in step with the class across snapshots are the best evidence.
				history: afterSnapshot === undefined ? null : this.profileHistory(candidate.name, afterSnapshot),
			});
			if (found.length > 0) byClass[candidate.name] = found;
		}
		this.lastProfileSites = sites;
		this.lastProfile = profile;
		if (afterSnapshot !== undefined) {
			this.snapshotProfiles.push({seq: afterSnapshot, profile});
			if (this.snapshotProfiles.length > MAX_PROFILE_HISTORY) this.snapshotProfiles.shift();
		}
		this.emit({type: 'allocationSites', ...this.toSourceLocations(sites, byClass)});
	}

	/**
	 * Shows sites where the user wrote them (TypeScript, bundles) when the scripts have source maps.
	 * Only for a target on this host: a remote target's paths name files of another machine.
	 */
	private toSourceLocations(sites: AllocationSite[], byClass: Record<string, AllocationSite[]>): {sites: AllocationSite[]; byClass: Record<string, AllocationSite[]>} {
		if (!this.local) return {sites, byClass};
		const mapSite = (site: AllocationSite) => this.sourceMaps.mapSite(site);
		return {
			sites: sites.map(mapSite),
			byClass: Object.fromEntries(Object.entries(byClass).map(([name, list]) => [name, list.map(mapSite)])),
		};
	}

	private profileHistory(className: string, seq: number): {profiles: SamplingProfile[]; classCounts: number[]} | null {
		if (this.snapshotProfiles.length === 0) return null;
		const countAt = (s: number) => this.summaries[s]?.classes.find(c => c.name === className)?.count ?? 0;
		return {
			profiles: this.snapshotProfiles.map(p => p.profile),
			classCounts: [...this.snapshotProfiles.map(p => countAt(p.seq)), countAt(seq)],
		};
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

/** host and port of the inspector we talk to ("127.0.0.1:9229", "[::1]:9229"), parsed as the CLI does. */
function inspectorAddress(address: string): {host: string; port: number} | null {
	try {
		const spec = parseTargetString(address);
		return spec.kind === 'address' ? spec : null;
	} catch {
		return null;
	}
}
