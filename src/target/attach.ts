/**
 * The four ways in (contract.md "target"): an inspector address or ws:// URL, `--pid` (open the
 * inspector with SIGUSR1 and close it again afterwards), `-- COMMAND` and the demo app (start it with
 * its inspector on a free loopback port). Everything ends in connectCdpTarget.
 */
import {existsSync, readFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {connect as tcpConnect} from 'node:net';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {InspectorTarget} from './target.js';
import {AttachError, RemoteRefusedError, errnoCode, formatHostPort} from './errors.js';
import {chooseTarget, findInspectorOfPid, listInspectorTargets, listeningSocketsOfPid, type InspectorEndpoint} from './discover.js';
import {connectCdpTarget} from './cdp-target.js';
import {spawnWithInspector} from './spawn.js';
import {isLoopbackHost, type TargetSpec} from './target-spec.js';

export interface AttachOptions {
	/** allow a non-loopback inspector (remote code execution on that host) */
	allowRemote?: boolean;
	/** heaptop's own diagnostics, one line each (never printed over the TUI by this layer) */
	log?: (line: string) => void;
	/**
	 * one-line notes for the user about the process's threads (which worker is watched; that the
	 * process has workers); defaults to `log`. The live view shows them in its status bar.
	 */
	notice?: (line: string) => void;
	/** a started app's own stdout/stderr lines; defaults to `log` */
	output?: (line: string, stream: 'stdout' | 'stderr') => void;
	/** inject the GC probe (default true) */
	gcProbe?: boolean;
	/** --pid: how long to wait for the inspector to open after SIGUSR1 */
	sigusr1WaitMs?: number;
	/** -- COMMAND / demo: how long to wait for the inspector banner */
	spawnTimeoutMs?: number;
	/**
	 * --worker: watch this worker thread (its id, or its name / part of its title) instead of the
	 * main thread. Without it, a process with worker threads gets one `notice` naming them.
	 */
	worker?: string;
	/** --worker: how long to wait for the worker to start (default 1.5 s; 10 s for a started command) */
	workerWaitMs?: number;
}

/** A process heaptop starts has not started its workers yet when the inspector opens. */
const WORKER_WAIT_MS = 1500;
const SPAWNED_WORKER_WAIT_MS = 10_000;

/** What connectCdpTarget needs to know about threads: which worker, or whether to mention them. */
function threadOptions(options: AttachOptions, spawned: boolean) {
	const notice = options.notice ?? options.log;
	if (options.worker === undefined) return {announceWorkers: true, notice};
	return {worker: {query: options.worker, waitMs: options.workerWaitMs ?? (spawned ? SPAWNED_WORKER_WAIT_MS : WORKER_WAIT_MS)}, notice};
}

const DEFAULT_INSPECTOR_PORT = 9229;
/** several Node targets behind one port: how many to list before "… and N more" */
const MAX_LISTED_TARGETS = 8;

export async function attach(spec: TargetSpec, options: AttachOptions = {}): Promise<InspectorTarget> {
	switch (spec.kind) {
		case 'address':
			return attachToAddress(spec.host, spec.port, options);
		case 'ws':
			requireLoopbackOrAllowed(spec.host, spec.port, options);
			return connectCdpTarget({webSocketUrl: spec.url, attachedVia: 'ws', gcProbe: options.gcProbe, log: options.log, ...threadOptions(options, false)});
		case 'pid':
			return attachToPid(spec.pid, options);
		case 'command':
			return attachToSpawned(spec.command, 'spawn', options);
		case 'demo':
			return attachToSpawned([process.execPath, demoAppPath()], 'demo', options);
	}
}

async function attachToAddress(host: string, port: number, options: AttachOptions): Promise<InspectorTarget> {
	requireLoopbackOrAllowed(host, port, options);
	const endpoint = pickEndpoint(await listInspectorTargets(host, port), formatHostPort(host, port), options);
	// The list names the WebSocket to open, and it may point elsewhere (a proxy, a forged list): the
	// same rule applies to where we actually connect.
	requireLoopbackOrAllowedUrl(endpoint.webSocketUrl, options);
	return connectCdpTarget({webSocketUrl: endpoint.webSocketUrl, endpoint, attachedVia: 'port', gcProbe: options.gcProbe, log: options.log, ...threadOptions(options, false)});
}

function pickEndpoint(endpoints: InspectorEndpoint[], where: string, options: AttachOptions): InspectorEndpoint & {webSocketUrl: string} {
	const choice = chooseTarget(endpoints);
	switch (choice.kind) {
		case 'one':
			if (choice.note) options.log?.(choice.note);
			return choice.endpoint;
		case 'several': {
			// Never guess: the wrong process would be paused for snapshots. A short list to pick from.
			const shown = choice.candidates.slice(0, MAX_LISTED_TARGETS);
			const list = shown.map((c, i) => `  ${i + 1}. ${c.title || '(no title)'}${c.url && c.url !== c.title ? `  ${c.url}` : ''}\n     ${c.webSocketUrl}`);
			if (choice.candidates.length > shown.length) list.push(`  … and ${choice.candidates.length - shown.length} more (GET http://${where}/json/list)`);
			const message = [
				`${choice.candidates.length} Node targets share the inspector at ${where}; choose one by passing its ws:// URL as the target:`,
				...list,
				`  e.g. heaptop check ${shown[0]!.webSocketUrl}`,
			].join('\n');
			throw new AttachError('several-targets', message, {
				candidates: choice.candidates.map(c => ({webSocketUrl: c.webSocketUrl, title: c.title, url: c.url})),
			});
		}
		case 'none':
			if (choice.reason === 'debugger-attached') {
				throw new AttachError('debugger-attached', `the inspector at ${where} is already in use by another debugger — close it (DevTools, an IDE) and try again`);
			}
			throw new AttachError('no-target', `the inspector at ${where} lists no inspectable target — is the app still starting?`);
	}
}

function requireLoopbackOrAllowed(host: string, port: number, options: AttachOptions): void {
	if (!isLoopbackHost(host) && !options.allowRemote) throw new RemoteRefusedError(host, port);
}

function requireLoopbackOrAllowedUrl(webSocketUrl: string, options: AttachOptions): void {
	let url: URL;
	try {
		url = new URL(webSocketUrl);
	} catch (error) {
		throw new AttachError('not-inspector', `the inspector listed an unusable WebSocket URL (${webSocketUrl}) — check the port`, {cause: error});
	}
	const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
	requireLoopbackOrAllowed(host, url.port === '' ? 80 : Number(url.port), options);
}

// ---- --pid ----

async function attachToPid(pid: number, options: AttachOptions): Promise<InspectorTarget> {
	checkSignalable(pid);

	// Already listening (started with --inspect, or opened by someone else): use it, and leave it open.
	const portsBefore = new Set((await listeningSocketsOfPid(pid)).map(s => s.port));
	const existing = await findInspectorOfPid(pid);
	if (existing) {
		options.log?.(`pid ${pid} already has an inspector on ${formatHostPort(existing.host, existing.port)}`);
		const endpoint = pickEndpoint(existing.endpoints, formatHostPort(existing.host, existing.port), options);
		return connectCdpTarget({webSocketUrl: endpoint.webSocketUrl, endpoint, attachedVia: 'pid', expectedPid: pid, gcProbe: options.gcProbe, log: options.log, ...threadOptions(options, false)});
	}

	await refuseIfSigusr1WouldKill(pid);
	const procReadable = existsSync(`/proc/${pid}/fd`);
	// SIGUSR1 opens the port the process was configured with (--inspect-port), else 9229; a busy
	// port makes Node fail silently, so learn beforehand whether it is taken.
	const signalPort = await configuredInspectorPort(pid);
	const defaultPortBusy = signalPort !== 0 && (await isListening('127.0.0.1', signalPort));
	try {
		process.kill(pid, 'SIGUSR1');
	} catch (error) {
		throw signalError(pid, error);
	}
	options.log?.(`sent SIGUSR1 to pid ${pid} to open its inspector`);

	const deadline = Date.now() + (options.sigusr1WaitMs ?? 3000);
	while (Date.now() < deadline) {
		await sleep(100);
		// Only new ports can be the inspector SIGUSR1 opened; the app's own servers are left alone.
		const found = await findInspectorOfPid(pid, 500, portsBefore);
		let endpoint: (InspectorEndpoint & {webSocketUrl: string}) | null = null;
		if (found) endpoint = pickEndpoint(found.endpoints, formatHostPort(found.host, found.port), options);
		else if (!procReadable && !defaultPortBusy && signalPort !== 0) {
			// Without /proc we cannot see whose port it is: connect, and let connectCdpTarget check process.pid.
			const listed = await listInspectorTargets('127.0.0.1', signalPort, 500).catch(() => null);
			if (listed) endpoint = pickEndpoint(listed, `127.0.0.1:${signalPort}`, options);
		}
		if (endpoint) {
			return connectCdpTarget({
				webSocketUrl: endpoint.webSocketUrl,
				endpoint,
				attachedVia: 'pid',
				expectedPid: pid,
				closeInspectorOnClose: true,
				gcProbe: options.gcProbe,
				log: options.log,
				...threadOptions(options, false),
			});
		}
		if (!processExists(pid)) throw new AttachError('no-such-process', `pid ${pid} exited while heaptop waited for its inspector to open`);
	}
	if (defaultPortBusy) {
		throw new AttachError(
			'port-taken',
			`pid ${pid} could not open its inspector: 127.0.0.1:${signalPort} is taken by another process — stop that process (or attach to it by port), or restart the app with --inspect=0`,
		);
	}
	throw new AttachError(
		'sigusr1-handled',
		`pid ${pid} did not open an inspector after SIGUSR1 — the app probably handles SIGUSR1 itself (process.on('SIGUSR1')); restart it with --inspect, or run it as: heaptop -- node app.js`,
	);
}

function checkSignalable(pid: number): void {
	try {
		process.kill(pid, 0);
	} catch (error) {
		throw signalError(pid, error);
	}
}

function signalError(pid: number, error: unknown): AttachError {
	const code = errnoCode(error);
	if (code === 'ESRCH') return new AttachError('no-such-process', `no process with pid ${pid} — check the pid (e.g. pgrep -a node)`, {cause: error});
	if (code === 'EPERM') {
		return new AttachError('not-permitted', `not permitted to signal pid ${pid} — run heaptop as the same user as PID ${pid} (or start the app with --inspect)`, {cause: error});
	}
	return new AttachError('no-such-process', `cannot signal pid ${pid} (${code ?? (error as Error).message})`, {cause: error});
}

/**
 * SIGUSR1's default action is to terminate. Node catches it (that is how the inspector opens), so a
 * process that neither catches nor ignores it is not Node, and signalling it would kill it.
 */
async function refuseIfSigusr1WouldKill(pid: number): Promise<void> {
	let status: string;
	try {
		status = await readFile(`/proc/${pid}/status`, 'utf8');
	} catch {
		return; // no /proc (not Linux): nothing to check with
	}
	const mask = (name: string) => {
		const m = new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'mi').exec(status);
		return m ? BigInt(`0x${m[1]}`) : null;
	};
	const usr1 = 1n << 9n; // signal 10 is bit 9
	const caught = mask('SigCgt');
	const ignored = mask('SigIgn');
	if (caught === null || ignored === null) return;
	if ((ignored & usr1) !== 0n) {
		throw new AttachError('sigusr1-handled', `pid ${pid} ignores SIGUSR1, so its inspector cannot be opened from outside — restart it with --inspect, or run it as: heaptop -- node app.js`);
	}
	if ((caught & usr1) === 0n) {
		const name = readFileSafe(`/proc/${pid}/comm`)?.trim() ?? '?';
		throw new AttachError('not-node', `pid ${pid} (${name}) does not look like a Node.js process (it does not catch SIGUSR1, which would kill it) — check the pid`);
	}
}

/**
 * The port SIGUSR1 will open: from --inspect-port / --inspect / --inspect-brk on the command line or
 * in NODE_OPTIONS (0 means a random port), else 9229. Best effort: /proc may be unreadable.
 */
async function configuredInspectorPort(pid: number): Promise<number> {
	const args: string[] = [];
	const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
	args.push(...cmdline.split('\0'));
	const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
	const nodeOptions = environ.split('\0').find(v => v.startsWith('NODE_OPTIONS='));
	if (nodeOptions) args.push(...nodeOptions.slice('NODE_OPTIONS='.length).split(/\s+/));
	let port = DEFAULT_INSPECTOR_PORT;
	for (const arg of args) {
		const m = /^--(?:inspect-port|debug-port|inspect|inspect-brk|inspect-wait)=(?:.*:)?(\d+)$/.exec(arg);
		if (m) port = Number(m[1]);
	}
	return port;
}

function processExists(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return errnoCode(error) === 'EPERM';
	}
}

function isListening(host: string, port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = tcpConnect({host, port});
		const done = (result: boolean) => {
			socket.destroy();
			resolve(result);
		};
		socket.setTimeout(500, () => done(true)); // accepted but silent still means "taken"
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

// ---- -- COMMAND, demo ----

async function attachToSpawned(command: string[], via: 'spawn' | 'demo', options: AttachOptions): Promise<InspectorTarget> {
	const spawned = await spawnWithInspector(command, {output: options.output, log: options.log, timeoutMs: options.spawnTimeoutMs});
	try {
		return await connectCdpTarget({
			webSocketUrl: spawned.webSocketUrl,
			attachedVia: via,
			child: spawned,
			expectedPid: undefined,
			gcProbe: options.gcProbe,
			log: options.log,
			...threadOptions(options, true),
		});
	} catch (error) {
		await spawned.stop(1000);
		throw error;
	}
}

/** examples/demo-app.js of the heaptop package, wherever this module runs from (src, dist, a bundle). */
export function demoAppPath(): string {
	// The one-file bundle has no examples/ beside it; it carries the demo and writes it out itself.
	const fromBundle = (globalThis as {__HEAPTOP_DEMO_APP__?: () => string}).__HEAPTOP_DEMO_APP__;
	if (fromBundle) return fromBundle();
	let dir = dirname(fileURLToPath(import.meta.url));
	for (let i = 0; i < 6; i++) {
		const pkg = readFileSafe(join(dir, 'package.json'));
		if (pkg !== null && /"name"\s*:\s*"heaptop"/.test(pkg)) return join(dir, 'examples', 'demo-app.js');
		const parent = dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	throw new AttachError('spawn-failed', 'cannot find examples/demo-app.js of the heaptop package — reinstall heaptop, or pass a target');
}

function readFileSafe(path: string): string | null {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return null;
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}
