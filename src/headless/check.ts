/**
 * `heaptop check`: the live pipeline without a screen. Watch for --duration (or until the target
 * ends or we are interrupted), then print the report and exit 0 (no leak), 1 (leak suspected) or
 * 2 (not enough data, e.g. the target died first). Whatever was collected is always reported.
 */
import type {AllocationSite, ClassRetainers, GrowthCandidate, Trend, Verdict} from '../model/types.js';
import type {Options} from '../options.js';
import {attachTarget} from '../session/attach-target.js';
import {LiveSession, type SessionEvent} from '../session/live-session.js';
import {liveSessionOptions} from '../session/session-options.js';
import {explainVerdict} from '../analysis/verdict.js';
import {buildJsonReport} from './report.js';
import {formatTextReport} from './text-report.js';
import {writeStdout} from './output.js';

export class CheckError extends Error {
	override name = 'CheckError';
}

/** What a started app's inspector prints because heaptop is attached: noise in a CI log. */
const INSPECTOR_CHATTER = /^\[[^\]]*\] (Debugger (listening|attached|ending)|For help, see|Waiting for the debugger)/;

/** Grace period for a snapshot still running when the duration is up. */
const FINISH_SNAPSHOT_GRACE_MS = 60_000;
/** How many growing classes the report explains (retaining path + hint), as the session does. */
const EXPLAIN_TOP = 5;
/** Time allowed to fill in explanations the session had not delivered yet (shorter when interrupted). */
const EXPLAIN_BUDGET_MS = 30_000;
const INTERRUPTED_EXPLAIN_BUDGET_MS = 3_000;

async function explainMissing(session: LiveSession, candidates: readonly GrowthCandidate[], retainers: Map<string, ClassRetainers>, budgetMs: number): Promise<void> {
	const missing = candidates.slice(0, EXPLAIN_TOP).filter(c => !retainers.has(c.name));
	if (missing.length === 0 || session.collectedSummaries.length === 0) return;
	let timer: NodeJS.Timeout | undefined;
	const timeUp = new Promise<void>(resolve => (timer = setTimeout(resolve, budgetMs)));
	const work = (async () => {
		for (const candidate of missing) {
			const found = await session.classRetainers(candidate.name).catch(() => null);
			if (found && !retainers.has(found.className)) retainers.set(found.className, found);
		}
	})();
	await Promise.race([work, timeUp]);
	clearTimeout(timer);
}

export async function runCheck(options: Options): Promise<number> {
	const log = (line: string) => {
		if (!options.json || process.stderr.isTTY) process.stderr.write(`${line}\n`);
	};
	const target = await attachTarget(options.target!, {
		allowRemote: options.allowRemote,
		worker: options.worker,
		log: line => {
			if (!INSPECTOR_CHATTER.test(line)) process.stderr.write(`${line}\n`);
		},
	});
	log(`heaptop: watching ${target.info.title || target.info.url} (pid ${target.info.pid ?? '?'}, ${target.info.nodeVersion ?? 'not Node'}) for ${options.durationMs / 1000} s`);

	let trend: Trend | null = null;
	let candidates: GrowthCandidate[] = [];
	let growthVerdict: Verdict = 'inconclusive';
	let growthReason = '';
	let sites = new Map<string, AllocationSite[]>();
	const retainers = new Map<string, ClassRetainers>();
	const notes: string[] = [];
	let endedReason: string | null = null;
	let snapshotBusy = false;
	let wake: () => void = () => {};

	const onEvent = (event: SessionEvent) => {
		switch (event.type) {
			case 'trend': trend = event.trend; break;
			case 'growth':
				candidates = event.candidates;
				growthVerdict = event.verdict;
				growthReason = event.reason;
				break;
			case 'retainers': retainers.set(event.retainers.className, event.retainers); break;
			case 'allocationSites': sites = new Map(Object.entries(event.byClass)); break;
			case 'snapshotJob':
				snapshotBusy = event.job.phase === 'capturing' || event.job.phase === 'parsing' || event.job.phase === 'analysing';
				if (!snapshotBusy) wake();
				break;
			case 'snapshotDone': log(`heaptop: snapshot ${event.summary.seq + 1}: ${event.summary.nodeCount} objects, target paused ${(event.pauseMs / 1000).toFixed(1)} s`); break;
			case 'notice': if (event.level !== 'info') { notes.push(event.text); log(`heaptop: ${event.text}`); } break;
			case 'ended': endedReason = event.reason; notes.push(event.reason); wake(); break;
			default: break;
		}
	};

	const session = new LiveSession(target, liveSessionOptions(options, {explainTop: 5, maxSamples: 100_000}), onEvent);

	let interrupted: string | null = null;
	const onSignal = (signal: NodeJS.Signals) => {
		interrupted = signal;
		notes.push(`interrupted by ${signal}: reporting what was collected`);
		wake();
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	process.once('SIGHUP', onSignal);
	try {
		await session.start();
		const deadline = Date.now() + options.durationMs;
		// Sleep until the next check, or until an event (target ended, signal, snapshot done) wakes us.
		const nap = (ms: number) => new Promise<void>(resolve => {
			wake = resolve;
			setTimeout(resolve, ms);
		});
		while (!endedReason && !interrupted && Date.now() < deadline) await nap(Math.min(1000, Math.max(0, deadline - Date.now())));
		// A snapshot in flight when time is up is worth waiting for: it may be the one that decides.
		const graceEnd = Date.now() + FINISH_SNAPSHOT_GRACE_MS;
		while (snapshotBusy && !endedReason && !interrupted && Date.now() < graceEnd) await nap(250);
		// The session explains the top classes after each snapshot, but when the watch ends right after
		// one, that explanation may still be under way (it runs after the snapshot counts as done), and
		// stopping now would report growing classes without paths or hints. Ask the engine for what is
		// missing: it keeps the latest graph and its path tree, so this is quick.
		await explainMissing(session, candidates, retainers, interrupted ? INTERRUPTED_EXPLAIN_BUDGET_MS : EXPLAIN_BUDGET_MS);
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		process.off('SIGHUP', onSignal);
		await session.stop();
	}

	const samples = [...session.collectedSamples];
	const summaries = [...session.collectedSummaries];
	const observedMs = samples.length > 1 ? samples.at(-1)!.t - samples[0]!.t : 0;
	const explained = explainVerdict({growth: growthVerdict, trend, snapshotCount: summaries.length, snapshotsEnabled: options.snapshotEveryMs > 0, observedMs});
	const verdict = explained.verdict;
	notes.unshift(explained.reason);
	if (growthReason && growthReason !== explained.reason) notes.unshift(growthReason);
	const report = buildJsonReport({verdict, samples, trend, snapshots: summaries, candidates, retainers, allocationSites: sites, notes});
	await writeStdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatTextReport({report, summaries, retainers, single: false}));

	if (verdict === 'leak') return 1;
	if (endedReason && verdict === 'inconclusive') {
		process.stderr.write(`heaptop: ${endedReason} before there was enough data for a verdict (${summaries.length} snapshot(s), ${samples.length} samples)\n`);
		return 2;
	}
	return 0;
}
