/**
 * The snapshot gate in a live session against real targets: it refuses when a (simulated) cgroup has
 * no room for the snapshot's estimated cost and says why, --force-snapshot overrides, the built CLI
 * refuses a target whose heap is near its V8 limit (and that target survives), the schedule stretches
 * the period to keep pauses within --max-pause-share, and the two GCs each snapshot forces are not
 * shown as the app's.
 */
import {test, after} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, mkdirSync, writeFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {attach} from '../../src/target/attach.js';
import type {InspectorTarget} from '../../src/target/target.js';
import {LiveSession, type LiveSessionOptions, type SessionEvent} from '../../src/session/live-session.js';
import {cadenceText} from '../../src/ui/components/status-bar.js';
import {runCli} from '../helpers/run-cli.js';
import {eventually, evaluateIn, rawSession, spawnTarget} from '../helpers/spawn-target.js';
import {isAlive} from '../helpers/safety-traces.js';

const MB = 1024 * 1024;
const roots: string[] = [];
after(() => { for (const r of roots) rmSync(r, {recursive: true, force: true}); });

/** A fake / with a cgroup v2 limit for `pid`: `limit` bytes, `used` of them in use, plenty on the host. */
function cgroupTree(pid: number, limit: number, used: number): string {
	const root = mkdtempSync(join(tmpdir(), 'heaptop-gate-live-'));
	roots.push(root);
	const files: Record<string, string> = {
		'proc/meminfo': `MemTotal: 24000000 kB\nMemAvailable: ${16 * 1024 * 1024} kB\n`,
		[`proc/${pid}/status`]: 'Name:\tnode\n',
		[`proc/${pid}/cgroup`]: '0::/heaptop-test\n',
		'sys/fs/cgroup/heaptop-test/memory.max': `${limit}\n`,
		'sys/fs/cgroup/heaptop-test/memory.current': `${used}\n`,
		'sys/fs/cgroup/heaptop-test/memory.stat': 'anon 0\ninactive_file 0\n',
	};
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), {recursive: true});
		writeFileSync(join(root, path), text);
	}
	return root;
}

const OPTIONS: LiveSessionOptions = {
	intervalMs: 200, snapshotEveryMs: 0, maxPauseShare: 0.05, forceSnapshot: false, saveSnapshotsDir: null, redact: false,
	allocSampling: false, samplingIntervalBytes: 32768, explainTop: 0, maxSamples: 1000,
};

/** A live session whose events are recorded; `until` waits for an event. */
async function session(target: InspectorTarget, options: Partial<LiveSessionOptions>) {
	const events: SessionEvent[] = [];
	const s = new LiveSession(target, {...OPTIONS, ...options}, e => events.push(e));
	await s.start();
	const until = async <T extends SessionEvent['type']>(type: T, timeoutMs = 30_000, from = 0) => {
		assert.ok(await eventually(() => events.slice(from).some(e => e.type === type), timeoutMs), `no ${type} event; got ${events.map(e => e.type).join(' ')}`);
		return events.slice(from).find(e => e.type === type) as Extract<SessionEvent, {type: T}>;
	};
	return {s, events, until};
}

test('a cgroup without room for the snapshot: refused with the reason, the cgroup countdown gets the limit; --force-snapshot takes it', {timeout: 60_000}, async t => {
	const app = await spawnTarget(t, 't-idle.js');
	// 64 MB limit, 60 MB used: 4 MB free, far below a snapshot's estimated cost
	const procRoot = cgroupTree(app.pid, 64 * MB, 60 * MB);
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());

	const gated = await session(target, {procRoot});
	t.after(() => gated.s.stop());
	assert.deepEqual(await gated.until('memoryLimit'), {type: 'memoryLimit', limit: 64 * MB, usage: 60 * MB});
	await gated.until('sample');
	gated.s.snapshotNow();
	const job = await gated.until('snapshotJob');
	assert.equal(job.job.phase, 'gated');
	const reason = (job.job as {reason: string}).reason;
	assert.match(reason, /^not enough free memory for a snapshot: it needs ≈ [\d.]+ MB extra memory/);
	assert.match(reason, /only 4\.0 MB is free in its cgroup \(limit 64\.0 MB, 60\.0 MB used\)/);
	const notice = await gated.until('notice');
	assert.equal(notice.level, 'warn');
	assert.equal(notice.text, `snapshot skipped: ${reason} (--force-snapshot overrides)`);
	assert.equal(gated.events.some(e => e.type === 'snapshotDone'), false);
	assert.equal(gated.s.collectedSummaries.length, 0);
	await gated.s.stop();
	assert.ok(isAlive(app.pid), 'the target lives');

	// same target, same cgroup, but forced
	const target2 = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target2.close());
	const forced = await session(target2, {procRoot, forceSnapshot: true});
	t.after(() => forced.s.stop());
	await forced.until('sample');
	forced.s.snapshotNow();
	const done = await forced.until('snapshotDone');
	assert.ok(done.summary.nodeCount > 10_000);
	assert.equal(forced.events.some(e => e.type === 'snapshotJob' && e.job.phase === 'gated'), false);
	await forced.s.stop();
	assert.ok(isAlive(app.pid));
});

test('a heap above 90 % of its V8 limit: `check` takes no snapshot, says why in the report, and the target survives', {timeout: 60_000}, async t => {
	const app = await spawnTarget(t, '../../helpers/safety-near-limit.cjs', {nodeArgs: ['--max-old-space-size=64', '--max-semi-space-size=1']});
	const result = await runCli(['check', String(app.port), '--duration', '4s', '--snapshot-every', '1s', '--interval', '250ms', '--json'], {timeoutMs: 45_000});
	const report = JSON.parse(result.stdout);
	assert.equal(report.snapshots.length, 0, 'no snapshot was taken');
	const skipped = report.notes.filter((n: string) => n.startsWith('snapshot skipped:'));
	assert.equal(skipped.length, 1, `one note for the run of refusals, not one per tick: ${JSON.stringify(report.notes)}`);
	assert.match(skipped[0], /the heap is at 9\d% of its [\d.]+ MB V8 limit; a snapshot now could push the target into an out-of-memory crash/);
	assert.ok(isAlive(app.pid) && app.child.exitCode === null, 'the target survives');
});

test('adaptive schedule: the period stretches to pause / --max-pause-share, and the status line says so', {timeout: 90_000}, async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	// a 1 % budget: any snapshot pause above 10 ms must stretch the 1 s period
	const live = await session(target, {snapshotEveryMs: 1000, maxPauseShare: 0.01, forceSnapshot: true});
	t.after(() => live.s.stop());
	const done = await live.until('snapshotDone', 60_000);
	const planIndex = live.events.indexOf(done);
	const plan = await live.until('snapshotPlan', 10_000, planIndex);
	await live.s.stop();
	assert.ok(done.pauseMs > 10, `pause ${done.pauseMs} ms`);
	assert.equal(plan.lastPauseMs, done.pauseMs);
	assert.equal(plan.baseIntervalMs, 1000);
	assert.equal(plan.effectiveIntervalMs, Math.ceil(done.pauseMs / 0.01));
	const text = cadenceText({intervalMs: plan.effectiveIntervalMs, nextAtMs: plan.nextAt, gateMessage: null, baseIntervalMs: plan.baseIntervalMs, maxPauseShare: plan.maxPauseShare, lastPauseMs: plan.lastPauseMs});
	assert.match(text, /^ \(every \S+( \S+)?, not 1 s: [\d.]+ s pauses ≤ 1 %\)$/);
});

test('the two full GCs a snapshot forces are not counted as the app\'s', {timeout: 60_000}, async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	const live = await session(target, {forceSnapshot: true});
	t.after(() => live.s.stop());
	await live.until('sample');
	live.s.snapshotNow();
	const done = await live.until('snapshotDone');
	const from = live.events.indexOf(done);
	await live.until('sample', 10_000, from);
	const shown = live.s.collectedSamples.at(-1)!;
	// what the probe in the target counted (an idle app runs no major GC of its own in these seconds)
	const s = await rawSession(app.webSocketUrl!);
	const probeMajors = await evaluateIn(s, "globalThis[Symbol.for('heaptop.gc')].st.byKind[4] || 0");
	await s.close();
	assert.ok(probeMajors >= 2, `the probe saw the snapshot's GCs (${probeMajors})`);
	assert.equal(shown.gcMajor, probeMajors - 2);
	await live.s.stop();
});
