/**
 * `heaptop check` when things go wrong mid-watch, with the built CLI and real processes: the target
 * exits on its own, the target is killed in the middle of a heap snapshot, and heaptop itself gets
 * SIGTERM. Each time the report is still printed (whatever was collected is kept), a note says what
 * happened, heaptop does not hang, and no process it started is left behind.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {exitWithin, isAlive, killAllStarted, pollUntil, runHeaptop, startHeaptop} from '../helpers/e2e-process.js';

after(killAllStarted);

interface Report {
	verdict: string;
	samples: Array<{t: number; heapUsed: number}>;
	snapshots: unknown[];
	notes: string[];
}

/** CPU time (clock ticks, user + system) a process has used so far. */
function cpuTicks(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

test('the target exits mid-watch: the report is printed with a note saying so, exit 2 for too little data', async () => {
	const result = await runHeaptop(['check', '--json', '--duration', '30s', '--snapshot-every', '5s', '--',
		'node', '-e', 'setTimeout(() => process.exit(3), 4000)'], {timeoutMs: 60_000});
	const report = JSON.parse(result.stdout) as Report;
	assert.equal(result.code, 2, result.stderr);
	assert.equal(report.verdict, 'inconclusive');
	assert.ok(report.notes.includes('the target exited with code 3'), JSON.stringify(report.notes));
	assert.ok(report.samples.length >= 1, 'the samples taken before the exit are kept');
	assert.match(result.stderr, /^heaptop: the target exited with code 3 before there was enough data for a verdict \(\d+ snapshot\(s\), \d+ samples\)$/m);
	assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
});

test('the target killed (SIGKILL) during a heap snapshot: no hang, a clear note, the samples kept', async () => {
	// t-big-heap holds 600,000 objects: a snapshot of it keeps the target busy for seconds.
	const run = startHeaptop(['check', '--json', '--duration', '60s', '--snapshot-every', '5s', '--', 'node', 'test/fixtures/targets/t-big-heap.js']);
	try {
		const [, pidText] = await run.waitForStderr(/^started .* \(pid (\d+)\)/m, 30_000);
		const pid = Number(pidText);
		await run.waitForStderr(/^(\[node\] )?ready$/m, 30_000);
		// The target is idle apart from heaptop's reads, so sustained CPU use after its setup means a
		// snapshot is being written (the first comes ~3 s after attach). Two busy 100 ms ticks in a row.
		await new Promise(resolve => setTimeout(resolve, 1500));
		let prev = cpuTicks(pid);
		let busy = 0;
		const caught = await pollUntil(() => {
			const now = cpuTicks(pid);
			busy = now - prev >= 3 ? busy + 1 : 0;
			prev = now;
			return busy >= 2;
		}, 45_000, 100);
		assert.ok(caught, `no snapshot seen in the target's CPU use; stderr: ${run.stderr}`);
		process.kill(pid, 'SIGKILL');
		const exit = await exitWithin(run, 45_000);
		assert.ok(exit, `heaptop still running 45 s after its target was killed; stderr: ${run.stderr}`);
		const report = JSON.parse(run.stdout) as Report;
		assert.equal(exit.code, 2, run.stderr);
		assert.ok(report.notes.includes('the target exited (SIGKILL)'), JSON.stringify(report.notes));
		assert.ok(report.samples.length >= 1, 'the samples collected before the kill are in the report');
		assert.ok(report.notes.some(n => /^snapshot failed: .*(exited|killed|closed)/.test(n)) || report.snapshots.length > 0,
			`the interrupted snapshot is explained: ${JSON.stringify(report.notes)}`);
		assert.match(run.stderr, /^heaptop: the target exited \(SIGKILL\) before there was enough data for a verdict/m);
	} finally {
		killAllStarted();
	}
});

test('SIGTERM to heaptop check: it reports what it had and the target it started is gone', async () => {
	const run = startHeaptop(['check', '--json', '--duration', '60s', '--snapshot-every', '5s', '--', 'node', 'test/fixtures/targets/t-idle.js']);
	try {
		const [, pidText] = await run.waitForStderr(/^started .* \(pid (\d+)\)/m, 30_000);
		const pid = Number(pidText);
		await run.waitForStderr(/^(\[node\] )?ready$/m, 30_000);
		// let a few samples come in (the sampler reads once a second)
		await new Promise(resolve => setTimeout(resolve, 3500));
		process.kill(run.pid, 'SIGTERM');
		const exit = await exitWithin(run, 30_000);
		assert.ok(exit, `heaptop still running 30 s after SIGTERM; stderr: ${run.stderr}`);
		assert.equal(exit.signal, null, 'heaptop handled SIGTERM instead of dying of it');
		assert.equal(exit.code, 0, run.stderr);
		const report = JSON.parse(run.stdout) as Report;
		assert.ok(report.notes.includes('interrupted by SIGTERM: reporting what was collected'), JSON.stringify(report.notes));
		assert.ok(report.samples.length >= 2, `samples kept: ${report.samples.length}`);
		assert.ok(await pollUntil(() => !isAlive(pid), 10_000), `the target ${pid} is still running`);
	} finally {
		killAllStarted();
	}
});
