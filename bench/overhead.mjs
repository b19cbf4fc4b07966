#!/usr/bin/env node
// Target overhead: what watching a busy server with heaptop costs that server.
//
//   node bench/overhead.mjs [--duration 10] [--runs 3] [--connections 8] [--driver heaptop|probe]
//                           [--snapshot-every D/2] [--amortise-to 30] [--warmup 2] [--only a,b,c,d] [--json-out FILE]
//
// A reference server (bench/lib/ref-server.js, started with --inspect=127.0.0.1:0) is driven by a
// load generator in its own process (bench/lib/load.mjs: N keep-alive connections, D seconds) in
// four configurations, interleaved run by run (a, b, c, d, a, b, …):
//   a  alone (inspector open, nobody attached)
//   b  heaptop attached: `heaptop check WS --interval 1s --snapshot-every 0 --no-alloc-sampling`
//   c  b + allocation sampling at heaptop's default interval (32 KiB)
//   d  c + background snapshots every --snapshot-every seconds (default D/2, so that one lands inside the
//      D-second window: heaptop takes its first one an interval after attaching). The "per 30 s" column
//      scales the measured cost to one snapshot per 30 s, using the snapshot count heaptop reports.
// Each run: start the server, warm it up with --warmup seconds of unmeasured load (JIT), attach the
// watcher, and start the measured load as soon as the server prints "Debugger attached.", so
// attach-time work is counted.
// Reported per configuration (medians): requests/s and its ratio to (a), the server's CPU (utime+stime
// from /proc/PID/stat over the load window) per 1,000 requests and its ratio to (a), and the watcher's
// own CPU. --driver probe uses bench/lib/probe-driver.mjs (bare CDP calls) instead of heaptop.
import {parseArgs} from 'node:util';
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {spawnWatched} from './lib/spawn-watched.mjs';
import {cpuSeconds} from './lib/proc.mjs';
import {median, fmt, textTable, markdownTable} from './lib/stats.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER = fileURLToPath(new URL('./lib/ref-server.js', import.meta.url));
const LOAD = fileURLToPath(new URL('./lib/load.mjs', import.meta.url));
const PROBE = fileURLToPath(new URL('./lib/probe-driver.mjs', import.meta.url));
const HEAPTOP = join(ROOT, 'bin', 'heaptop.js');

const CONFIGS = {
	a: {label: 'a alone', watch: null},
	b: {label: 'b heaptop 1 Hz', watch: {sampling: false, snapshots: false}},
	c: {label: 'c + alloc sampling', watch: {sampling: true, snapshots: false}},
	d: {label: 'd + snapshots', watch: {sampling: true, snapshots: true}},
};

export async function runOverheadBench(argv = process.argv.slice(2)) {
	const {values} = parseArgs({
		args: argv,
		options: {
			duration: {type: 'string', default: '10'},
			runs: {type: 'string', default: '3'},
			connections: {type: 'string', default: '8'},
			driver: {type: 'string'},
			'snapshot-every': {type: 'string'},
			'amortise-to': {type: 'string', default: '30'},
			warmup: {type: 'string', default: '2'},
			only: {type: 'string', default: 'a,b,c,d'},
			'json-out': {type: 'string'},
		},
	});
	const duration = Math.min(600, Math.max(2, Number(values.duration)));
	const runs = Math.max(1, Number(values.runs));
	const snapshotEvery = Number(values['snapshot-every'] ?? Math.max(1, Math.floor(duration / 2)));
	const amortiseTo = Number(values['amortise-to']);
	const warmup = Math.max(0, Number(values.warmup));
	const heaptopBuilt = existsSync(join(ROOT, 'dist', 'cli.js'));
	const driver = values.driver ?? (heaptopBuilt ? 'heaptop' : 'probe');
	if (driver === 'heaptop' && !heaptopBuilt) throw new Error('heaptop is not built (dist/cli.js missing): run `npm run build`, or pass --driver probe');
	const keys = values.only.split(',').filter(k => CONFIGS[k]);
	if (!keys.includes('a')) keys.unshift('a'); // everything is a ratio to (a)

	console.log(`overhead bench: ${runs} run(s) × ${keys.length} configs, ${duration} s of load each, ${values.connections} connections, watcher: ${driver}`);
	const samples = Object.fromEntries(keys.map(k => [k, []]));
	for (let r = 0; r < runs; r++) {
		for (const key of keys) {
			const m = await runOnce(CONFIGS[key].watch, {duration, warmup, connections: values.connections, driver, snapshotEvery});
			samples[key].push(m);
			process.stderr.write(`  run ${r + 1} ${CONFIGS[key].label}: ${fmt(m.rps, 0)} req/s, server CPU ${fmt(m.serverCpuPct, 1)} %, watcher CPU ${fmt(m.watcherCpuPct, 1)} %${m.note ? `, ${m.note}` : ''}\n`);
		}
	}

	const base = {rps: median(samples.a.map(m => m.rps)), cpuPerK: median(samples.a.map(m => m.cpuMsPer1k))};
	const rows = keys.map(key => {
		const ms = samples[key];
		const rps = median(ms.map(m => m.rps));
		const cpuPerK = median(ms.map(m => m.cpuMsPer1k));
		const rpsRatio = rps / base.rps;
		const cpuRatio = cpuPerK / base.cpuPerK;
		// scale (d)'s cost for the snapshots it took in a D-second window to one snapshot per `amortiseTo` s
		const snaps = median(ms.map(m => m.snapshots));
		const per30 = key === 'd' && snaps > 0 ? 1 - (1 - rpsRatio) * (duration / (snaps * amortiseTo)) : null;
		return {
			config: CONFIGS[key].label,
			rps,
			rpsRatio,
			serverCpuPct: median(ms.map(m => m.serverCpuPct)),
			cpuMsPer1k: cpuPerK,
			cpuRatio,
			watcherCpuPct: median(ms.map(m => m.watcherCpuPct)),
			rpsRatioAmortised: per30,
			snapshotsInWindow: key === 'd' ? snaps : null,
		};
	});
	const header = ['config', 'req/s', 'req/s ratio', 'server CPU %', 'CPU ms/1k req', 'CPU/req ratio', 'watcher CPU %', `ratio per ${amortiseTo} s`];
	const cells = rows.map(r => [r.config, fmt(r.rps, 0), fmt(r.rpsRatio, 3), fmt(r.serverCpuPct, 1), fmt(r.cpuMsPer1k, 1), fmt(r.cpuRatio, 3), fmt(r.watcherCpuPct, 1), fmt(r.rpsRatioAmortised, 3)]);
	console.log(`\nmedians of ${runs}; ratios are against (a); throughput ratio < 1 and CPU ratio > 1 mean cost`);
	console.log(textTable(header, cells));
	for (const r of rows.slice(1)) console.log(`RATIO ${r.config.split(' ')[0]}/a throughput=${fmt(r.rpsRatio, 3)}x cpu-per-request=${fmt(r.cpuRatio, 3)}x`);
	console.log('\n' + markdownTable(header, cells));
	const out = values['json-out'] ?? join(ROOT, 'bench', 'results', `overhead-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
	mkdirSync(resolve(out, '..'), {recursive: true});
	writeFileSync(out, JSON.stringify({when: new Date().toISOString(), node: process.version, driver, duration, runs, rows, samples}, null, 2));
	console.log(`\nraw results: ${out}`);
	return rows;
}

async function runOnce(watch, {duration, warmup, connections, driver, snapshotEvery}) {
	const server = spawnWatched(process.execPath, ['--inspect=127.0.0.1:0', SERVER]);
	let watcher = null;
	try {
		const [, wsUrl] = await server.waitFor(/Debugger listening on (ws:\/\/\S+)/, 'stderr');
		const [, port] = await server.waitFor(/listening (\d+)/, 'stdout');
		if (warmup > 0) {
			// let the JIT settle before anything is measured or attached
			const warm = spawnWatched(process.execPath, [LOAD, '--port', port, '--connections', String(connections), '--duration', String(warmup)]);
			await warm.exited;
		}
		if (watch) {
			// the watcher is stopped with SIGINT as soon as the load ends (heaptop then prints its report),
			// so what it did (e.g. snapshots) happened inside the measured window
			const watchSeconds = duration + 60;
			const args =
				driver === 'heaptop'
					? [HEAPTOP, 'check', wsUrl, '--interval', '1s', '--duration', `${watchSeconds}s`, '--snapshot-every', watch.snapshots ? `${snapshotEvery}s` : '0', ...(watch.sampling ? [] : ['--no-alloc-sampling']), '--json']
					: [PROBE, wsUrl, '--duration', String(watchSeconds), ...(watch.sampling ? ['--sampling', '32768'] : []), ...(watch.snapshots ? ['--snapshot-every', String(snapshotEvery)] : [])];
			watcher = spawnWatched(process.execPath, args);
			await server.waitFor(/Debugger attached\./, 'stderr');
		}
		const cpu0 = cpuSeconds(server.pid);
		const wcpu0 = watcher ? cpuSeconds(watcher.pid) : null;
		const t0 = performance.now();
		const load = spawnWatched(process.execPath, [LOAD, '--port', port, '--connections', String(connections), '--duration', String(duration)]);
		const {code} = await load.exited;
		const wall = (performance.now() - t0) / 1000;
		const cpu1 = cpuSeconds(server.pid);
		const wcpu1 = watcher ? cpuSeconds(watcher.pid) : null;
		if (code !== 0) throw new Error(`load generator failed: ${load.out.stderr.slice(-300)}`);
		const result = JSON.parse(load.out.stdout.trim().split('\n').at(-1));
		const serverCpu = cpu1 - cpu0;
		let note = '';
		let snapshots = null;
		if (watcher) {
			watcher.child.kill('SIGINT');
			const {code: wcode} = await Promise.race([watcher.exited, new Promise(r => setTimeout(() => r({code: 'timeout'}), 15_000))]);
			if (wcode === 'timeout') note = 'watcher did not finish in time';
			else if (wcode !== 0 && wcode !== 1) note = `watcher exit ${wcode}: ${watcher.out.stderr.trim().split('\n').at(-1) ?? ''}`;
			else ({note, snapshots} = describeWatcherOutput(watcher.out.stdout));
		}
		return {
			rps: result.rps,
			requests: result.requests,
			errors: result.errors,
			serverCpuPct: (serverCpu / wall) * 100,
			cpuMsPer1k: (serverCpu * 1000 * 1000) / Math.max(1, result.requests),
			watcherCpuPct: wcpu0 != null && wcpu1 != null ? ((wcpu1 - wcpu0) / wall) * 100 : null,
			snapshots,
			note,
		};
	} finally {
		await watcher?.stop('SIGINT');
		await server.stop('SIGTERM');
	}
}

/** What the watcher says it did (heaptop's JSON report, or the probe's line), to show the config took effect. */
function describeWatcherOutput(stdout) {
	try {
		const text = stdout.trim();
		const report = JSON.parse(text.startsWith('{') ? text : text.split('\n').at(-1));
		if ('snapshotBytes' in report) return {note: `probe: ${report.snapshots} snapshots, ${report.snapshotBytes} bytes`, snapshots: report.snapshots};
		const snapshots = report.snapshots?.length ?? null;
		return {note: `heaptop: ${report.samples?.length ?? '?'} samples, ${snapshots ?? '?'} snapshots`, snapshots};
	} catch {
		return {note: 'watcher output unreadable', snapshots: null};
	}
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	runOverheadBench().catch(err => {
		console.error(`overhead bench: ${err.message}`);
		process.exit(2);
	});
}
