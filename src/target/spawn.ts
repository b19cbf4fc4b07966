/**
 * `heaptop -- COMMAND ARGS…` and the demo: start a process with its inspector on a free loopback port,
 * learn the port from its "Debugger listening on ws://…" banner, and own the process until close.
 * The child's own output never reaches our terminal (the TUI owns it): it goes to a callback.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {createInterface} from 'node:readline';
import {basename} from 'node:path';
import {AttachError, errnoCode} from './errors.js';
import {listInspectorTargets} from './discover.js';

export const INSPECT_FLAG = '--inspect=127.0.0.1:0';
const BANNER = /Debugger listening on (wss?:\/\/\S+)/;
/**
 * The inspector's own chatter on the child's stderr; not the app's output. The help link differs by
 * version (Node 20: …/en/docs/inspector; Node 22 and 24: …/learn/getting-started/debugging).
 */
const INSPECTOR_CHATTER = /^(Debugger (listening on|attached\.|ending on)|For help, see: https:\/\/nodejs\.org\/\S*(inspector|debugging)\S*$|Waiting for the debugger to disconnect\.\.\.)/;

/**
 * Main scripts of launchers that start the real app as another Node process: with NODE_OPTIONS both
 * open an inspector, and the launcher's banner comes first. Their inspector is not the app.
 */
const LAUNCHER_SCRIPT = /[\\/](npm-cli|npx-cli|yarn|pnpm|corepack|nodemon)(\.c?js|\.mjs)?$|[\\/](npm|yarn|pnpm|corepack|tsx|nodemon)[\\/](bin|dist|lib)[\\/][^\\/]*$/;

/** Is this inspector's /json/list url the main script of a launcher (npm, npx, yarn, pnpm, tsx…)? */
export function isLauncherScript(url: string): boolean {
	let path = url;
	try {
		if (url.startsWith('file:')) path = decodeURIComponent(new URL(url).pathname);
	} catch {
		// not a URL: test it as it is
	}
	return LAUNCHER_SCRIPT.test(path);
}

export interface ExitStatus {
	code: number | null;
	signal: string | null;
}

/** A process heaptop started and must stop. */
export interface OwnedProcess {
	readonly pid: number;
	/** settles when the process has exited (never rejects) */
	readonly exited: Promise<ExitStatus>;
	/** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited */
	stop(graceMs?: number): Promise<void>;
}

export interface SpawnedInspectee extends OwnedProcess {
	readonly child: ChildProcess;
	readonly webSocketUrl: string;
}

export interface SpawnOptions {
	/** one line of the app's own stdout/stderr */
	output?: (line: string, stream: 'stdout' | 'stderr') => void;
	/** heaptop's own diagnostics (inspector chatter, how the child was started) */
	log?: (line: string) => void;
	/** how long to wait for the inspector banner */
	timeoutMs?: number;
	cwd?: string;
	env?: NodeJS.ProcessEnv;
}

/** `node`, `node20`, `/usr/bin/node`, `nodejs`, or the binary running heaptop. */
export function isNodeCommand(file: string): boolean {
	return file === process.execPath || /^node(js)?(\d+(\.\d+)*)?(\.exe)?$/i.test(basename(file));
}

/** How to start `command` so that its inspector opens on a free loopback port. Pure. */
export function inspectorLaunch(command: readonly string[], env: NodeJS.ProcessEnv): {file: string; args: string[]; env: NodeJS.ProcessEnv} {
	const [file, ...args] = command;
	if (file === undefined) throw new AttachError('spawn-failed', 'no command to start — put it after --, e.g. heaptop -- node app.js');
	if (isNodeCommand(file)) return {file, args: [INSPECT_FLAG, ...args], env: {...env}};
	// npm, tsx, a shell script…: the first Node process that starts picks the flag up from NODE_OPTIONS.
	const nodeOptions = [env.NODE_OPTIONS, INSPECT_FLAG].filter(Boolean).join(' ');
	return {file, args, env: {...env, NODE_OPTIONS: nodeOptions}};
}

/** Starts the command and resolves once its inspector listens. */
export async function spawnWithInspector(command: readonly string[], options: SpawnOptions = {}): Promise<SpawnedInspectee> {
	const launch = inspectorLaunch(command, options.env ?? process.env);
	const output = options.output ?? ((line: string) => options.log?.(line));
	const timeoutMs = options.timeoutMs ?? 15_000;
	// Its own process group: `npm start` is npm → sh → node app.js, and stopping npm alone would leave
	// the app running; the whole group is signalled instead (as a terminal does on Ctrl-C).
	const child = spawn(launch.file, launch.args, {cwd: options.cwd, env: launch.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true});
	const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
		if (child.pid === undefined) return false;
		try {
			process.kill(-child.pid, signal);
			return true;
		} catch {
			return false; // ESRCH: nobody left in the group
		}
	};
	const shown = command.join(' ');

	const exited = new Promise<ExitStatus>(resolve => {
		child.once('exit', (code, signal) => resolve({code, signal}));
		child.once('error', () => resolve({code: child.exitCode, signal: child.signalCode}));
	});
	// If heaptop itself dies, do not leave the app running (synchronous: 'exit' handlers cannot wait).
	const killOnExit = () => void signalGroup('SIGKILL');
	process.once('exit', killOnExit);
	void exited.then(() => process.removeListener('exit', killOnExit));

	const recent: string[] = [];
	// Banners in arrival order: a launcher's and then the app's may come close together.
	const banners: string[] = [];
	let wakeBannerWaiter: (() => void) | null = null;
	let waitingForBanner = true;
	const skipped: string[] = [];
	createInterface({input: child.stdout!, crlfDelay: Infinity}).on('line', line => output(line, 'stdout'));
	createInterface({input: child.stderr!, crlfDelay: Infinity}).on('line', line => {
		const banner = BANNER.exec(line);
		if (banner && waitingForBanner) {
			banners.push(banner[1]!);
			wakeBannerWaiter?.();
		}
		if (INSPECTOR_CHATTER.test(line)) options.log?.(`[${basename(launch.file)}] ${line}`);
		else {
			recent.push(line);
			if (recent.length > 5) recent.shift();
			output(line, 'stderr');
		}
	});

	const stop = async (graceMs = 3000): Promise<void> => {
		if (!signalGroup('SIGTERM')) return;
		const deadline = Date.now() + graceMs;
		const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
		await exited;
		// the launcher may end before the app it started: wait for the rest of the group too
		while (signalGroup(0) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 25));
		clearTimeout(timer);
		signalGroup('SIGKILL');
	};

	const webSocketUrl = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => fail(new AttachError('spawn-failed', `"${shown}" did not open an inspector within ${timeoutMs} ms — is it a Node.js program?`)), timeoutMs);
		const fail = (error: AttachError) => {
			clearTimeout(timer);
			waitingForBanner = false;
			wakeBannerWaiter?.();
			void stop(500);
			reject(error);
		};
		const accept = (url: string) => {
			clearTimeout(timer);
			waitingForBanner = false;
			resolve(url);
		};
		// `npm start`, `npx`, `tsx app.ts`…: skip each launcher's inspector and wait for the app's own
		void (async () => {
			while (waitingForBanner) {
				const url = banners.shift();
				if (url === undefined) {
					await new Promise<void>(wake => (wakeBannerWaiter = wake));
					continue;
				}
				const launcher = await launcherOf(url);
				if (!waitingForBanner) return;
				if (launcher === null) return accept(url);
				skipped.push(launcher);
				options.log?.(`skipped the inspector of ${launcher}: it is the launcher, not the app; waiting for the app's`);
			}
		})();
		child.once('error', error => {
			const code = errnoCode(error);
			const why = code === 'ENOENT' ? 'command not found' : code === 'EACCES' ? 'permission denied' : error.message;
			fail(new AttachError('spawn-failed', `cannot start "${command[0]}": ${why} — check the command after --`, {cause: error}));
		});
		// 'close' (not 'exit') so the last stderr lines have been read for the message.
		child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
			if (!waitingForBanner) return;
			const status = {code, signal};
			const how = status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
			const tail = recent.length > 0 ? `: ${recent.join(' | ')}` : '';
			const launcher = skipped.length > 0 ? ` (only ${skipped.join(', ')} opened one: is the app a Node.js program?)` : '';
			fail(new AttachError('spawn-failed', `"${shown}" ${how} before its inspector opened${launcher}${tail}`));
		});
	});
	options.log?.(`started ${shown} (pid ${child.pid}) with its inspector on ${webSocketUrl}`);
	return {child, pid: child.pid!, webSocketUrl, exited, stop};
}

/** The launcher script behind an inspector banner's URL, or null for anything else (or no answer). */
async function launcherOf(webSocketUrl: string): Promise<string | null> {
	let host: string;
	let port: number;
	try {
		const url = new URL(webSocketUrl);
		host = url.hostname;
		port = Number(url.port);
	} catch {
		return null;
	}
	const endpoints = await listInspectorTargets(host, port, 1000).catch(() => []);
	const script = endpoints.find(e => e.webSocketUrl === webSocketUrl)?.url ?? endpoints[0]?.url ?? '';
	return isLauncherScript(script) ? basename(script) : null;
}
