/**
 * The built heaptop in a real terminal: a tmux pane on a private tmux server (its own socket, so no
 * other tmux user on the machine is touched). The pane runs heaptop directly (exec), so the pane's
 * pid is heaptop's, and `remain-on-exit` keeps its exit status readable after it ends. stderr goes
 * to a file (the lines heaptop prints after leaving the alternate screen).
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {BIN, ROOT} from './run-cli.js';
import {eventually} from './spawn-target.js';

export function hasTmux(): boolean {
	return spawnSync('tmux', ['-V']).status === 0;
}

export interface TmuxHeaptop {
	/** heaptop's pid */
	pid: number;
	screen(): string;
	stderr(): string;
	keys(...keys: string[]): void;
	/** waits until the screen matches; throws with the last screen when it does not */
	waitForScreen(pattern: RegExp, timeoutMs?: number): Promise<string>;
	/** null while running; the exit status once heaptop ended (128+n for a signal) */
	exitStatus(): number | null;
	waitForExit(timeoutMs?: number): Promise<number>;
	/** kills the tmux server: the pty closes and heaptop gets SIGHUP, as when an SSH session drops */
	hangUp(): void;
}

interface TestContextLike {
	after(fn: () => unknown): void;
}

let counter = 0;

export async function heaptopInTmux(t: TestContextLike, args: string[], env: Record<string, string> = {}): Promise<TmuxHeaptop> {
	const socket = `heaptop-safety-${process.pid}-${++counter}`;
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-safety-'));
	const errFile = join(dir, 'stderr');
	const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], {encoding: 'utf8'});
	const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
	const envWords = Object.entries({NODE_ENV: 'production', ...env}).map(([k, v]) => `${k}=${quote(v)}`).join(' ');
	const command = `cd ${quote(ROOT)} && exec env ${envWords} ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')} 2>${quote(errFile)}`;
	// remain-on-exit must be on before the command can end: start the server with a placeholder first
	tmux('new-session', '-d', '-s', 'main', '-x', '140', '-y', '40', 'sleep 600');
	tmux('set-option', '-g', 'remain-on-exit', 'on');
	tmux('respawn-pane', '-k', '-t', 'main', `sh -c ${quote(command)}`);
	let serverUp = true;
	const hangUp = () => {
		if (!serverUp) return;
		serverUp = false;
		spawnSync('tmux', ['-L', socket, 'kill-server']);
	};
	t.after(() => {
		hangUp();
		rmSync(dir, {recursive: true, force: true});
	});
	const pid = Number(tmux('display-message', '-p', '-t', 'main', '#{pane_pid}').trim());
	const screen = () => (serverUp ? tmux('capture-pane', '-p', '-t', 'main') : '');
	const exitStatus = () => {
		// tmux is sometimes slow to reap its pane's process (seen under load): a zombie has ended too
		const zombie = zombieStatus(pid);
		if (zombie !== null) return zombie;
		if (!serverUp) return null;
		const [dead, status, signal] = tmux('display-message', '-p', '-t', 'main', '#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}').trim().split(':');
		// tmux may mark the pane dead a moment before it records how the process ended
		if (dead !== '1' || (!status && !signal)) return null;
		return status ? Number(status) : 128 + Number(signal);
	};
	const handle: TmuxHeaptop = {
		pid,
		screen,
		stderr: () => {
			try {
				return readFileSync(errFile, 'utf8');
			} catch {
				return '';
			}
		},
		keys: (...keys) => void tmux('send-keys', '-t', 'main', ...keys),
		async waitForScreen(pattern, timeoutMs = 15_000) {
			let last = '';
			const ok = await eventually(() => pattern.test((last = screen())), timeoutMs, 100);
			if (!ok) throw new Error(`no ${pattern} on screen within ${timeoutMs} ms; screen:\n${last}\nstderr:\n${handle.stderr()}`);
			return last;
		},
		exitStatus,
		async waitForExit(timeoutMs = 15_000) {
			let status: number | null = null;
			const ok = await eventually(() => (status = exitStatus()) !== null, timeoutMs, 100);
			if (!ok) throw new Error(`heaptop did not exit within ${timeoutMs} ms; screen:\n${screen()}\nstderr:\n${handle.stderr()}`);
			return status!;
		},
		hangUp,
	};
	return handle;
}

/** The exit status of a zombie from /proc/PID/stat (its last field is the wait status), else null. */
export function zombieStatus(pid: number): number | null {
	let stat: string;
	try {
		stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return null;
	}
	// the command name may contain spaces: fields are counted after its closing parenthesis
	const fields = stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
	if (fields[0] !== 'Z') return null;
	const wait = Number(fields.at(-1));
	return (wait & 0x7f) !== 0 ? 128 + (wait & 0x7f) : (wait >> 8) & 0xff;
}
