/**
 * Real target processes for integration tests: `node [--inspect=127.0.0.1:0] test/fixtures/targets/<name>`,
 * the ws URL read from its stderr banner, its output kept for assertions, and the child killed when
 * the test ends (pass the test context) or at the latest when the test process exits.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {createInterface} from 'node:readline';
import {connect} from 'node:net';
import {fileURLToPath} from 'node:url';
import CDP from 'chrome-remote-interface';

export const TARGETS_DIR = fileURLToPath(new URL('../fixtures/targets/', import.meta.url));

export interface SpawnedTarget {
	child: ChildProcess;
	pid: number;
	/** null when started without --inspect */
	webSocketUrl: string | null;
	port: number | null;
	stdout: string[];
	stderr: string[];
	exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
	/** resolves with the first (past or future) line of stdout/stderr matching `pattern` */
	waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
	kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnTargetOptions {
	/** start with --inspect=127.0.0.1:0 (default true) */
	inspect?: boolean;
	nodeArgs?: string[];
	args?: string[];
	/** wait for this line before returning (every t-*.js fixture prints "ready" once set up); null: don't */
	ready?: RegExp | null;
}

interface TestContextLike {
	after(fn: () => unknown): void;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of live) child.kill('SIGKILL');
});

export async function spawnTarget(t: TestContextLike | null, name: string, options: SpawnTargetOptions = {}): Promise<SpawnedTarget> {
	const inspect = options.inspect ?? true;
	const args = [...(inspect ? ['--inspect=127.0.0.1:0'] : []), ...(options.nodeArgs ?? []), TARGETS_DIR + name, ...(options.args ?? [])];
	const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'pipe']});
	live.add(child);
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve =>
		child.once('exit', (code, signal) => {
			live.delete(child);
			resolve({code, signal});
		}),
	);
	const stdout: string[] = [];
	const stderr: string[] = [];
	const waiters = new Set<{pattern: RegExp; resolve: (line: string) => void}>();
	const onLine = (into: string[]) => (line: string) => {
		into.push(line);
		for (const w of waiters) {
			if (w.pattern.test(line)) {
				waiters.delete(w);
				w.resolve(line);
			}
		}
	};
	createInterface({input: child.stdout!}).on('line', onLine(stdout));
	createInterface({input: child.stderr!}).on('line', onLine(stderr));

	const waitForLine = (pattern: RegExp, timeoutMs = 10_000) => {
		const seen = [...stdout, ...stderr].find(line => pattern.test(line));
		if (seen !== undefined) return Promise.resolve(seen);
		return new Promise<string>((resolve, reject) => {
			const waiter = {
				pattern,
				resolve: (line: string) => {
					clearTimeout(timer);
					resolve(line);
				},
			};
			const timer = setTimeout(() => {
				waiters.delete(waiter);
				reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms; stderr: ${stderr.join(' | ')}`));
			}, timeoutMs);
			waiters.add(waiter);
			void exited.then(() => setTimeout(() => {
				if (!waiters.has(waiter)) return;
				waiters.delete(waiter);
				clearTimeout(timer);
				reject(new Error(`${name} exited before printing ${pattern}; stderr: ${stderr.join(' | ')}`));
			}, 50));
		});
	};

	const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
		if (child.exitCode === null && child.signalCode === null) child.kill(signal);
		await exited;
	};
	t?.after(() => kill());

	let webSocketUrl: string | null = null;
	let port: number | null = null;
	if (inspect) {
		const banner = await waitForLine(/Debugger listening on ws:\/\//);
		webSocketUrl = /(ws:\/\/\S+)/.exec(banner)![1]!;
		port = Number(new URL(webSocketUrl).port);
	}
	const ready = options.ready === undefined ? /^ready\b/ : options.ready;
	if (ready) await waitForLine(ready);
	// Node's own SIGUSR1 handler is in place long before the script runs; check anyway (a SIGUSR1
	// that came too early would kill the process).
	if (!inspect) await waitForReady(child.pid!);
	return {child, pid: child.pid!, webSocketUrl, port, stdout, stderr, exited, waitForLine, kill};
}

/** Waits until the process catches SIGUSR1 (Node has started). */
async function waitForReady(pid: number): Promise<void> {
	const {readFile} = await import('node:fs/promises');
	for (let i = 0; i < 100; i++) {
		const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
		const m = /^SigCgt:\s*([0-9a-f]+)/m.exec(status);
		if (m && (BigInt(`0x${m[1]}`) & (1n << 9n)) !== 0n) return;
		await new Promise(resolve => setTimeout(resolve, 30));
	}
}

/** A second, independent CDP session (what a curious DevTools would see). */
export async function rawSession(webSocketUrl: string): Promise<{send(method: string, params?: object): Promise<any>; close(): Promise<void>}> {
	const client = (await CDP({target: webSocketUrl, local: true})) as unknown as {send(method: string, params?: object): Promise<any>; close(): Promise<void>};
	return client;
}

/** Evaluates by value in a session. */
export async function evaluateIn(session: {send(method: string, params?: object): Promise<any>}, expression: string): Promise<any> {
	const reply = await session.send('Runtime.evaluate', {expression, returnByValue: true, includeCommandLineAPI: false});
	if (reply.exceptionDetails) throw new Error(`evaluate failed: ${JSON.stringify(reply.exceptionDetails)}`);
	return reply.result.value;
}

/** Is anything accepting TCP connections on host:port? */
export function tcpAccepts(host: string, port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = connect({host, port});
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** Polls `check` until it is true or `timeoutMs` passes; returns the last result. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3000, stepMs = 50): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return true;
		if (Date.now() >= deadline) return false;
		await new Promise(resolve => setTimeout(resolve, stepMs));
	}
}
