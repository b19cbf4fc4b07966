/**
 * The live view: attach, then run the LiveSession into the store the Ink app renders, and carry out
 * what the UI asks for (snapshot now, retainers of a class or of one object, quit). Every way out —
 * q, Ctrl-C, SIGTERM, SIGHUP (the SSH session dropping), a crash — detaches cleanly and restores the
 * terminal. When the target ends, the charts stay on screen until the user quits.
 */
import type {Options} from './options.js';
import type {ClassRetainers} from './model/types.js';
import {attachTarget} from './session/attach-target.js';
import {LiveSession, type SessionEvent} from './session/live-session.js';
import {liveSessionOptions} from './session/session-options.js';
import {createStore, type Store} from './session/store.js';
import {initialState} from './session/state.js';
import type {Intent} from './session/actions.js';
import {renderApp, enterAlternateScreen} from './ui/index.js';
import {describeError, messageOf} from './errors.js';

export async function runTui(options: Options): Promise<number> {
	const appOutput: string[] = [];
	process.stderr.write('heaptop: attaching…\n');
	// Notes about the process's threads go to the status bar; the store exists only after attach.
	let store: Store | null = null;
	const earlyNotices: string[] = [];
	const target = await attachTarget(options.target!, {
		allowRemote: options.allowRemote,
		worker: options.worker,
		// the watched app's own output and our diagnostics must not tear the frame: keep the last lines
		log: line => remember(appOutput, line),
		notice: text => (store ? store.dispatch({type: 'notice', level: 'info', text}) : earlyNotices.push(text)),
	});

	store = createStore(initialState({
		viewport: {columns: process.stdout.columns ?? 80, rows: process.stdout.rows ?? 24},
	}));
	for (const text of earlyNotices) store.dispatch({type: 'notice', level: 'info', text});
	const retainersCache = new Map<string, ClassRetainers>();
	const session = new LiveSession(target, liveSessionOptions(options, {explainTop: 3, maxSamples: 3600}), event => applyEvent(store, event, retainersCache));

	const screen = enterAlternateScreen(process.stdout, {signals: false});
	const app = renderApp(store, {noColor: !options.color, maxFps: 8});
	let exitCode = 0;

	const quit = () => app.unmount();
	const onSignal = () => quit();
	process.on('SIGTERM', onSignal);
	process.on('SIGHUP', onSignal);
	process.on('SIGINT', onSignal);
	const onCrash = (error: unknown) => {
		exitCode = 2;
		store.dispatch({type: 'notice', level: 'error', text: describeError(error, false)});
		remember(appOutput, `heaptop: ${describeError(error, options.verbose)}`);
		quit();
	};
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);

	const offIntent = store.onIntent(intent => void handleIntent(intent, store, session, retainersCache, quit));
	// Test hook (test/integration/cleanup.test.ts): a crash inside the live view must still detach.
	const crashAfterMs = Number(process.env.HEAPTOP_TEST_CRASH_AFTER_MS);
	if (crashAfterMs > 0) setTimeout(() => { throw new Error('HEAPTOP_TEST_CRASH_AFTER_MS: simulated crash'); }, crashAfterMs).unref();
	try {
		await session.start();
		await app.waitUntilExit();
	} catch (error) {
		exitCode = 2;
		remember(appOutput, `heaptop: ${describeError(error, options.verbose)}`);
		app.unmount();
	} finally {
		offIntent();
		await session.stop();
		screen.leave();
		process.off('SIGTERM', onSignal);
		process.off('SIGHUP', onSignal);
		process.off('SIGINT', onSignal);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
	}
	const ended = store.getState().connection;
	if (ended.status === 'ended') process.stderr.write(`heaptop: ${ended.reason}\n`);
	for (const line of appOutput.filter(l => l.startsWith('heaptop:'))) process.stderr.write(`${line}\n`);
	return exitCode;
}

async function handleIntent(intent: Intent, store: Store, session: LiveSession, cache: Map<string, ClassRetainers>, quit: () => void): Promise<void> {
	switch (intent.type) {
		case 'quit':
			quit();
			return;
		case 'requestSnapshot':
			session.snapshotNow();
			return;
		case 'requestRetainers': {
			// the UI has already switched to the (loading) retainers screen; answer it
			const cached = cache.get(intent.className);
			if (cached) {
				store.dispatch({type: 'retainersLoaded', retainers: cached});
				return;
			}
			try {
				const found = await session.classRetainers(intent.className);
				if (found) {
					cache.set(intent.className, found);
					store.dispatch({type: 'retainersLoaded', retainers: found});
				} else {
					store.dispatch({type: 'retainersFailed', className: intent.className, message: 'no instances in the latest snapshot'});
				}
			} catch (error) {
				store.dispatch({type: 'retainersFailed', className: intent.className, message: messageOf(error)});
			}
			return;
		}
		case 'requestNodeRetainers':
			try {
				store.dispatch({type: 'nodeRetainersLoaded', nodeId: intent.nodeId, paths: await session.nodeRetainers(intent.nodeId)});
			} catch (error) {
				store.dispatch({type: 'nodeRetainersFailed', nodeId: intent.nodeId, message: messageOf(error)});
			}
	}
}

/** Session events → store actions (the UI's only source of data). */
export function applyEvent(store: Store, event: SessionEvent, cache: Map<string, ClassRetainers>): void {
	switch (event.type) {
		case 'attached': store.dispatch({type: 'attached', target: event.target}); return;
		case 'sample': store.dispatch({type: 'sampleReceived', sample: event.sample}); return;
		case 'gap': store.dispatch({type: 'gapMarked', t: event.t}); return;
		case 'trend': store.dispatch({type: 'trendUpdated', trend: event.trend}); return;
		case 'heapLimits': store.dispatch({type: 'heapLimitsUpdated', limits: event.limits}); return;
		case 'snapshotJob':
			store.dispatch({type: 'snapshotJobChanged', job: event.job});
			store.dispatch({type: 'snapshotPlanChanged', plan: {gateMessage: event.job.phase === 'gated' ? event.job.reason : null}});
			return;
		case 'snapshotPlan':
			store.dispatch({type: 'snapshotPlanChanged', plan: {
				intervalMs: event.effectiveIntervalMs || null, nextAtMs: event.nextAt,
				baseIntervalMs: event.baseIntervalMs || null, maxPauseShare: event.maxPauseShare, lastPauseMs: event.lastPauseMs,
			}});
			return;
		case 'memoryLimit': store.dispatch({type: 'memoryLimitUpdated', limit: {limit: event.limit, usage: event.usage}}); return;
		case 'snapshotDone':
			// paths belong to one graph: a new snapshot makes the cached ones stale
			cache.clear();
			store.dispatch({type: 'snapshotCompleted', summary: event.summary});
			return;
		case 'growth': store.dispatch({type: 'growthUpdated', candidates: event.candidates, verdict: event.verdict}); return;
		case 'retainers':
			cache.set(event.retainers.className, event.retainers);
			store.dispatch({type: 'retainersLoaded', retainers: event.retainers});
			return;
		case 'allocationSites': store.dispatch({type: 'allocationSitesUpdated', sites: event.sites, byClass: event.byClass}); return;
		case 'notice': store.dispatch({type: 'notice', level: event.level, text: event.text}); return;
		case 'ended': store.dispatch({type: 'targetEnded', reason: event.reason});
	}
}

function remember(lines: string[], line: string): void {
	lines.push(line);
	if (lines.length > 50) lines.shift();
}
