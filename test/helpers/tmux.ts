/**
 * A real terminal for end-to-end tests: one tmux session on a private tmux server (its own socket,
 * `-L`, so no other tmux user on the machine is touched), running a shell command in a pane of a
 * chosen size. The pane stays readable after the command ends (`remain-on-exit`).
 *
 *   const tmux = TmuxSession.start({columns: 100, rows: 30, command: 'node bin/heaptop.js'});
 *   try { await tmux.waitFor(screen => screen.includes('Heap'), 20_000, 'the charts'); await tmux.keys('q'); }
 *   finally { tmux.kill(); }
 *
 * Keys go one at a time with a short pause: Ink reads a burst of characters as one input.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';

let counter = 0;

export interface TmuxOptions {
	columns: number;
	rows: number;
	/** run by `sh -c` in the pane */
	command: string;
	cwd?: string;
}

export class TmuxSession {
	private alive = true;
	private socketPath = '';

	private constructor(readonly socket: string, readonly name: string) {}

	static start({columns, rows, command, cwd}: TmuxOptions): TmuxSession {
		const id = `${process.pid}-${++counter}`;
		const session = new TmuxSession(`heaptop-e2e-${id}`, `heaptop-e2e-${id}`);
		// remain-on-exit must be on before the command can end: a placeholder first, then the command
		session.tmux('new-session', '-d', '-s', session.name, '-x', String(columns), '-y', String(rows), ...(cwd ? ['-c', cwd] : []), 'sleep 600');
		session.socketPath = session.tmux('display-message', '-p', '-t', session.name, '#{socket_path}').trim();
		session.tmux('set-option', '-t', session.name, 'remain-on-exit', 'on');
		session.tmux('respawn-pane', '-k', '-t', session.name, ...(cwd ? ['-c', cwd] : []), `sh -c ${shellQuote(command)}`);
		return session;
	}

	private tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	}

	/** The visible screen, one string; wrapped lines joined (-J), so an over-wide line shows as one. */
	capture(): string {
		return this.tmux('capture-pane', '-p', '-J', '-t', this.name).replace(/\n+$/, '');
	}

	/** The pid of the pane's process (the `sh -c`). */
	panePid(): number {
		return Number(this.tmux('display-message', '-p', '-t', this.name, '#{pane_pid}').trim());
	}

	/** Is the pane's command still running? */
	paneAlive(): boolean {
		return this.tmux('display-message', '-p', '-t', this.name, '#{pane_dead}').trim() !== '1';
	}

	/** Sends keys (tmux key names: q, Enter, Escape, Up…) one at a time, 150 ms apart. */
	async keys(...keys: string[]): Promise<void> {
		for (const key of keys) {
			this.tmux('send-keys', '-t', this.name, key);
			await sleep(150);
		}
	}

	/** Polls the screen until `predicate` holds; throws with the last screen after `timeoutMs`. */
	async waitFor(predicate: (screen: string) => boolean, timeoutMs: number, what: string): Promise<string> {
		const end = Date.now() + timeoutMs;
		let screen = '';
		for (;;) {
			screen = this.capture();
			if (predicate(screen)) return screen;
			if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${screen}`);
			await sleep(200);
		}
	}

	/** Ends the private tmux server (and with it the pane's processes, which get SIGHUP). Idempotent. */
	kill(): void {
		if (!this.alive) return;
		this.alive = false;
		spawnSync('tmux', ['-L', this.socket, 'kill-server']);
		// a killed server leaves its socket file behind
		if (this.socketPath) rmSync(this.socketPath, {force: true});
	}
}

/** Reads a small file the pane's command writes (e.g. `echo EXIT=$? > file`), or null until it exists. */
export function readIfExists(path: string): string | null {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return null;
	}
}

export function shellQuote(s: string): string {
	return `'${s.replace(/'/g, `'\\''`)}'`;
}

function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}
