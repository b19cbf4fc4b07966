/**
 * `heaptop -- COMMAND ARGS…` and the demo: start a process with its inspector on a free loopback port,
 * learn the port from its "Debugger listening on ws://…" banner, and own the process until close.
 * The child's own output never reaches our terminal (the TUI owns it): it goes to a callback.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {createInterface} from 'node:readline';
import {basename} from 'node:path';
import {AttachError, errnoCode} from './errors.js';

export const INSPECT_FLAG = '--inspect=127.0.0.1:0';
const BANNER = /Debugger listening on (wss?:\/\/\S+)/;
/** The inspector's own chatter on the child's stderr; not the app's output. */
const INSPECTOR_CHATTER = /^(Debugger (listening on|attached\.|ending on)|For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector|Waiting for the debugger to disconnect\.\.\.)/;

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
	const child = spawn(launch.file, launch.args, {cwd: options.cwd, env: launch.env, stdio: ['ignore', 'pipe', 'pipe']});
	const shown = command.join(' ');

	const exited = new Promise<ExitStatus>(resolve => {
		child.once('exit', (code, signal) => resolve({code, signal}));
		child.once('error', () => resolve({code: child.exitCode, signal: child.signalCode}));
	});
	// If heaptop itself dies, do not leave the app running (synchronous: 'exit' handlers cannot wait).
	const killOnExit = () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	};
	process.once('exit', killOnExit);
	void exited.then(() => process.removeListener('exit', killOnExit));

	const recent: string[] = [];
	let onBanner: ((url: string) => void) | null = null;
	createInterface({input: child.stdout!, crlfDelay: Infinity}).on('line', line => output(line, 'stdout'));
	createInterface({input: child.stderr!, crlfDelay: Infinity}).on('line', line => {
		const banner = BANNER.exec(line);
		if (banner && onBanner) {
			onBanner(banner[1]!);
			onBanner = null;
		}
		if (INSPECTOR_CHATTER.test(line)) options.log?.(`[${basename(launch.file)}] ${line}`);
		else {
			recent.push(line);
			if (recent.length > 5) recent.shift();
			output(line, 'stderr');
		}
	});

	const stop = async (graceMs = 3000): Promise<void> => {
		if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
	};

	const webSocketUrl = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => fail(new AttachError('spawn-failed', `"${shown}" did not open an inspector within ${timeoutMs} ms — is it a Node.js program?`)), timeoutMs);
		const fail = (error: AttachError) => {
			clearTimeout(timer);
			onBanner = null;
			void stop(500);
			reject(error);
		};
		onBanner = url => {
			clearTimeout(timer);
			resolve(url);
		};
		child.once('error', error => {
			const code = errnoCode(error);
			const why = code === 'ENOENT' ? 'command not found' : code === 'EACCES' ? 'permission denied' : error.message;
			fail(new AttachError('spawn-failed', `cannot start "${command[0]}": ${why} — check the command after --`, {cause: error}));
		});
		// 'close' (not 'exit') so the last stderr lines have been read for the message.
		child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
			if (onBanner === null) return;
			const status = {code, signal};
			const how = status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
			const tail = recent.length > 0 ? `: ${recent.join(' | ')}` : '';
			fail(new AttachError('spawn-failed', `"${shown}" ${how} before its inspector opened${tail}`));
		});
	});
	options.log?.(`started ${shown} (pid ${child.pid}) with its inspector on ${webSocketUrl}`);
	return {child, pid: child.pid!, webSocketUrl, exited, stop};
}
