// Spawn a process and wait for lines on its stdout/stderr (banners like "listening 1234" or
// "Debugger attached."). Every process started here is killed when the bench exits.
import {spawn} from 'node:child_process';

const live = new Set();
process.once('exit', () => {
	for (const child of live) child.kill('SIGKILL');
});

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [opts]
 */
export function spawnWatched(cmd, args, opts = {}) {
	const child = spawn(cmd, args, {stdio: ['ignore', 'pipe', 'pipe'], ...opts});
	live.add(child);
	const out = {stdout: '', stderr: ''};
	const waiters = new Set();
	const exited = new Promise(resolve =>
		child.on('close', (code, signal) => {
			live.delete(child);
			for (const w of waiters) w.reject(new Error(`${args.join(' ')} exited (${signal ?? code}) before printing ${w.re}; stderr: ${out.stderr.slice(-500)}`));
			resolve({code, signal});
		}),
	);
	const check = () => {
		for (const w of waiters) {
			const m = w.re.exec(out[w.stream]);
			if (m) {
				waiters.delete(w);
				clearTimeout(w.timer);
				w.resolve(m);
			}
		}
	};
	for (const stream of ['stdout', 'stderr']) {
		child[stream].setEncoding('utf8').on('data', d => {
			out[stream] = (out[stream] + d).slice(-256 * 1024);
			check();
		});
	}
	/** Resolves with the match once `re` matches everything printed so far on `stream`. */
	const waitFor = (re, stream = 'stderr', timeoutMs = 15_000) =>
		new Promise((resolve, reject) => {
			const w = {re, stream, resolve, reject};
			w.timer = setTimeout(() => {
				waiters.delete(w);
				reject(new Error(`no ${re} on ${stream} within ${timeoutMs} ms; stderr: ${out.stderr.slice(-500)}`));
			}, timeoutMs);
			waiters.add(w);
			check();
		});
	const stop = async (signal = 'SIGTERM', graceMs = 3000) => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill(signal);
			const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
			await exited;
			clearTimeout(t);
		}
		return exited;
	};
	return {child, pid: child.pid, out, waitFor, exited, stop};
}
