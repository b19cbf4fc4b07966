// Runs one command and measures it from outside, like perf-anchors.md did: whole-process wall time and
// peak RSS (max resident set size), start-up included. Prefers GNU /usr/bin/time -v; without it, falls
// back to wall time from here and the child's own process.resourceUsage().maxRSS, reported by a
// --require'd preload (works only when the command is a Node process, which all of ours are).
import {spawn} from 'node:child_process';
import {existsSync, readFileSync, rmSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const TIME_CANDIDATES = ['/usr/bin/time', '/usr/local/bin/gtime', '/opt/homebrew/bin/gtime'];
// HEAPTOP_BENCH_NO_GNU_TIME=1 forces the fallback (to test it where GNU time is installed)
export const GNU_TIME = process.env.HEAPTOP_BENCH_NO_GNU_TIME ? null : (TIME_CANDIDATES.find(p => existsSync(p)) ?? null);
const MAXRSS_PRELOAD = fileURLToPath(new URL('./report-maxrss.cjs', import.meta.url));

export function timeToolNote() {
	return GNU_TIME
		? `measured with ${GNU_TIME} -v`
		: 'GNU time not found (install it: apt-get install time, or brew install gnu-time); falling back to in-process maxRSS of each Node child';
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{cwd?: string, env?: NodeJS.ProcessEnv, captureStdout?: boolean}} [opts]
 * @returns {Promise<{wallS: number, maxRssMiB: number|null, ok: boolean, exit: string, stdout: string, errorLine: string}>}
 */
export async function measure(command, args, opts = {}) {
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-bench-'));
	const timeFile = join(dir, 'time.txt');
	const rssFile = join(dir, 'maxrss.txt');
	let argv;
	let env = {...process.env, ...opts.env};
	if (GNU_TIME) argv = [GNU_TIME, '-v', '-o', timeFile, command, ...args];
	else {
		argv = [command, ...args];
		env = {...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${MAXRSS_PRELOAD}`.trim(), HEAPTOP_BENCH_MAXRSS_FILE: rssFile};
	}
	const started = process.hrtime.bigint();
	const child = spawn(argv[0], argv.slice(1), {cwd: opts.cwd, env, stdio: ['ignore', opts.captureStdout ? 'pipe' : 'ignore', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', d => (stdout = (stdout + d).slice(-64 * 1024)));
	child.stderr.setEncoding('utf8').on('data', d => (stderr = (stderr + d).slice(-64 * 1024)));
	const [code, signal] = await new Promise(resolve => child.on('close', (c, s) => resolve([c, s])));
	const wallHere = Number(process.hrtime.bigint() - started) / 1e9;

	let wallS = wallHere;
	let maxRssMiB = null;
	let exit = signal ? `signal ${signal}` : `exit ${code}`;
	let ok = code === 0;
	if (GNU_TIME && existsSync(timeFile)) {
		const report = readFileSync(timeFile, 'utf8');
		const wall = /Elapsed \(wall clock\) time[^:]*:\s*(?:(\d+):)?(\d+):([\d.]+)/.exec(report);
		if (wall) wallS = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
		const rss = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(report);
		if (rss) maxRssMiB = Number(rss[1]) / 1024;
		const sig = /Command terminated by signal (\d+)/.exec(report);
		const status = /Exit status:\s*(\d+)/.exec(report);
		if (sig) {
			exit = `signal ${sig[1]}`;
			ok = false;
		} else if (status) {
			exit = `exit ${status[1]}`;
			ok = status[1] === '0';
		}
	} else if (existsSync(rssFile)) {
		maxRssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
	}
	rmSync(dir, {recursive: true, force: true});
	const errorLine = ok ? '' : (stderr.split('\n').find(l => /error|fatal|fail/i.test(l)) ?? stderr.split('\n').find(Boolean) ?? '').trim().slice(0, 200);
	return {wallS, maxRssMiB, ok, exit, stdout, errorLine};
}
