#!/usr/bin/env node
// Soak test of heaptop itself: does heaptop leak memory or file descriptors over a long watch?
//
//   node bench/soak.mjs [--minutes 10] [--target examples/demo-app.js] [--snapshot-every 30] [--sample-every 10]
//
// Starts the target (default: the demo app, which leaks ~2 MB/min on purpose) with its inspector on,
// runs `heaptop check WS --duration Mm --snapshot-every 30s --json` against it, and every
// --sample-every seconds reads heaptop's VmRSS (/proc/PID/status) and open fds (/proc/PID/fd), and the
// target's RSS for context. Reports heaptop's RSS slope (least squares, MB/h) over the run and after
// its first 2 minutes (warm-up), and fd growth. The target's heap keeps growing, so its snapshots get
// bigger: compare heaptop's slope with the target's, a flat or sub-linear heaptop is the goal.
import {parseArgs} from 'node:util';
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {setTimeout as sleep} from 'node:timers/promises';
import {spawnWatched} from './lib/spawn-watched.mjs';
import {memory, fdCount} from './lib/proc.mjs';
import {slope, fmt, textTable} from './lib/stats.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HEAPTOP = join(ROOT, 'bin', 'heaptop.js');

const {values} = parseArgs({
	options: {
		minutes: {type: 'string', default: '10'},
		target: {type: 'string', default: join(ROOT, 'examples', 'demo-app.js')},
		'snapshot-every': {type: 'string', default: '30'},
		'sample-every': {type: 'string', default: '10'},
		'json-out': {type: 'string'},
	},
});
if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
	console.error('soak: heaptop is not built (dist/cli.js missing): run `npm run build` first');
	process.exit(2);
}
const minutes = Number(values.minutes);
const sampleEvery = Math.max(1, Number(values['sample-every']));
const target = spawnWatched(process.execPath, ['--inspect=127.0.0.1:0', resolve(values.target)]);
const [, wsUrl] = await target.waitFor(/Debugger listening on (ws:\/\/\S+)/);
const heaptop = spawnWatched(process.execPath, [HEAPTOP, 'check', wsUrl, '--duration', `${Math.round(minutes * 60)}s`, '--snapshot-every', `${values['snapshot-every']}s`, '--json']);
console.log(`soak: heaptop (pid ${heaptop.pid}) watching ${values.target} (pid ${target.pid}) for ${minutes} min, snapshots every ${values['snapshot-every']} s`);

const samples = [];
const t0 = Date.now();
let done = false;
heaptop.exited.then(() => (done = true));
await Promise.race([sleep(sampleEvery * 1000), heaptop.exited]); // skip start-up: the first reading is at t = one period
while (!done) {
	const mem = memory(heaptop.pid);
	const fds = fdCount(heaptop.pid);
	const tmem = memory(target.pid);
	if (mem && fds != null) {
		const s = {t: (Date.now() - t0) / 1000, rssMiB: mem.rss / 2 ** 20, hwmMiB: mem.hwm / 2 ** 20, fds, targetRssMiB: tmem ? tmem.rss / 2 ** 20 : null};
		samples.push(s);
		process.stderr.write(`  t=${fmt(s.t, 0)} s  heaptop rss ${fmt(s.rssMiB, 1)} MiB (peak ${fmt(s.hwmMiB, 0)})  fds ${s.fds}  target rss ${fmt(s.targetRssMiB, 0)} MiB\n`);
	}
	await Promise.race([sleep(sampleEvery * 1000), heaptop.exited]);
}
const {code} = await heaptop.exited;
await target.stop('SIGTERM');

const perHour = (xs, key) => slope(xs.map(s => s.t), xs.map(s => s[key])) * 3600;
const later = samples.filter(s => s.t >= 120);
const rows = [
	['heaptop RSS slope, whole run (MB/h)', fmt(perHour(samples, 'rssMiB') * 1.048576, 1)],
	['heaptop RSS slope after 2 min (MB/h)', later.length >= 3 ? fmt(perHour(later, 'rssMiB') * 1.048576, 1) : '— (run longer)'],
	['heaptop RSS first → last (MiB)', `${fmt(samples[0]?.rssMiB, 1)} → ${fmt(samples.at(-1)?.rssMiB, 1)}`],
	['heaptop peak RSS (MiB)', fmt(Math.max(...samples.map(s => s.hwmMiB)), 1)],
	['heaptop fds first → last (max)', `${samples[0]?.fds} → ${samples.at(-1)?.fds} (${Math.max(...samples.map(s => s.fds))})`],
	['target RSS slope (MB/h), for context', fmt(perHour(samples.filter(s => s.targetRssMiB != null), 'targetRssMiB') * 1.048576, 1)],
	['heaptop exit code', String(code)],
];
console.log('\n' + textTable(['soak result', 'value'], rows));
const out = values['json-out'] ?? join(ROOT, 'bench', 'results', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
mkdirSync(resolve(out, '..'), {recursive: true});
writeFileSync(out, JSON.stringify({when: new Date().toISOString(), minutes, target: values.target, samples, heaptopExit: code}, null, 2));
console.log(`raw samples: ${out}`);
