/**
 * The built heaptop CLI as an end-to-end test runs it, with cleanup that cannot be skipped: every
 * heaptop is started in a process group of its own (`detached`), so the target it starts (same group)
 * goes with it when a test kills the group — also after a failed assertion or a timeout.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {BIN, ROOT} from './run-cli.js';

export interface HeaptopRun {
	child: ChildProcess;
	pid: number;
	/** stdout/stderr so far */
	readonly stdout: string;
	readonly stderr: string;
	/** settles when heaptop has exited (never rejects) */
	exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
	/** resolves with the first match of `pattern` on stderr (past or future); rejects after `timeoutMs` */
	waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export interface HeaptopResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

const started = new Set<number>();

/** Starts `node bin/heaptop.js ...args` in its own process group. */
export function startHeaptop(args: string[], options: {env?: NodeJS.ProcessEnv} = {}): HeaptopRun {
	const child = spawn(process.execPath, [BIN, ...args], {
		cwd: ROOT,
		env: {...process.env, NO_COLOR: '1', ...options.env},
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const pid = child.pid!;
	started.add(pid);
	let stdout = '';
	let stderr = '';
	const waiters: Array<{pattern: RegExp; resolve: (m: RegExpMatchArray) => void}> = [];
	child.stdout!.on('data', d => (stdout += d));
	child.stderr!.on('data', d => {
		stderr += d;
		for (const w of [...waiters]) {
			const m = stderr.match(w.pattern);
			if (m) {
				waiters.splice(waiters.indexOf(w), 1);
				w.resolve(m);
			}
		}
	});
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => {
		child.on('close', (code, signal) => resolve({code, signal}));
	});
	return {
		child,
		pid,
		get stdout() {
			return stdout;
		},
		get stderr() {
			return stderr;
		},
		exited,
		waitForStderr(pattern, timeoutMs = 30_000) {
			const now = stderr.match(pattern);
			if (now) return Promise.resolve(now);
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`no ${pattern} on heaptop's stderr within ${timeoutMs} ms\nstderr: ${stderr}`)), timeoutMs);
				waiters.push({pattern, resolve: m => (clearTimeout(timer), resolve(m))});
				void exited.then(() => setTimeout(() => reject(new Error(`heaptop exited without ${pattern} on stderr\nstderr: ${stderr}`)), 50));
			});
		},
	};
}

/**
 * Runs heaptop to the end. After `timeoutMs` it gets SIGTERM (heaptop then stops its target and
 * reports), and 15 s later its whole process group SIGKILL; the promise then rejects with the output.
 */
export async function runHeaptop(args: string[], options: {timeoutMs?: number; env?: NodeJS.ProcessEnv} = {}): Promise<HeaptopResult> {
	const run = startHeaptop(args, options);
	const timeoutMs = options.timeoutMs ?? 120_000;
	let timedOut = false;
	const term = setTimeout(() => {
		timedOut = true;
		signalGroup(run.pid, 'SIGTERM');
	}, timeoutMs);
	const kill = setTimeout(() => signalGroup(run.pid, 'SIGKILL'), timeoutMs + 15_000);
	const {code, signal} = await run.exited;
	clearTimeout(term);
	clearTimeout(kill);
	// heaptop is gone; anything left in its group (a target it failed to stop) goes too
	signalGroup(run.pid, 'SIGKILL');
	started.delete(run.pid);
	if (timedOut) throw new Error(`heaptop ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
	return {code, signal, stdout: run.stdout, stderr: run.stderr};
}

/** Sends `signal` to every process of the group led by `pgid`; no error when it is empty. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pgid, signal);
	} catch {
		// already gone
	}
}

/** Kills the groups of every heaptop this process started and that may still run (test teardown). */
export function killAllStarted(): void {
	for (const pid of started) signalGroup(pid, 'SIGKILL');
	started.clear();
}

/** Is a process with this pid alive (and not a zombie)? */
export function isAlive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}

/** Pids of the live descendants of `pid` (children, their children, …). */
export function descendants(pid: number): number[] {
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
		} catch {
			// exited meanwhile
		}
	}
	const out: number[] = [];
	const queue = [pid];
	while (queue.length > 0) {
		for (const child of children.get(queue.shift()!) ?? []) {
			if (isAlive(child)) out.push(child);
			queue.push(child);
		}
	}
	return out;
}

/** The command line of a live process, '' when it is gone. */
export function commandLine(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
	} catch {
		return '';
	}
}

/** Pids of live processes whose command line contains `needle` (e.g. a fixture's path). */
export function pidsWithCommandLine(needle: string): number[] {
	const out: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
			if (cmdline.includes(needle) && isAlive(Number(entry))) out.push(Number(entry));
		} catch {
			// exited meanwhile
		}
	}
	return out;
}

/** heaptop's exit status, or null when it is still running after `timeoutMs` (the timer is cleared). */
export async function exitWithin(run: HeaptopRun, timeoutMs: number): Promise<{code: number | null; signal: NodeJS.Signals | null} | null> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<null>(resolve => (timer = setTimeout(() => resolve(null), timeoutMs)));
	try {
		return await Promise.race([run.exited, late]);
	} finally {
		clearTimeout(timer);
	}
}

/** Polls `predicate` every `everyMs` until it holds; false when `timeoutMs` passes first. */
export async function pollUntil(predicate: () => boolean, timeoutMs: number, everyMs = 100): Promise<boolean> {
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		if (predicate()) return true;
		await new Promise(resolve => setTimeout(resolve, everyMs));
	}
	return predicate();
}

process.on('exit', killAllStarted);
