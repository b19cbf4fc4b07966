/**
 * The alternate screen, done by hand because Ink 6 has no support for it (Ink 7 does). Entering saves
 * the user's terminal contents; leaving restores them. Leaving is guaranteed on every way out: a normal
 * return (the CLI calls leave()), process exit, an uncaught exception (Node still emits 'exit'), and
 * SIGINT/SIGTERM/SIGHUP (restore, then re-raise the signal so the exit status stays truthful).
 */

export const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h';
export const LEAVE_ALTERNATE_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
const CLEAR_AND_HOME = '\x1b[2J\x1b[H';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface AlternateScreen {
	/** Restores the normal screen and removes the exit/signal hooks. Safe to call more than once. */
	leave(): void;
}

/**
 * Switches `stdout` to the alternate screen. Call only when it is a TTY and the TUI is about to render.
 */
export function enterAlternateScreen(stdout: NodeJS.WriteStream = process.stdout, options: {signals?: boolean} = {}): AlternateScreen {
	// A caller with async cleanup (detaching from the target) handles the signals itself and calls
	// leave(); re-raising here would kill the process before that cleanup ran.
	const handleSignals = options.signals ?? true;
	let active = true;

	const restore = () => {
		if (!active) return;
		active = false;
		try {
			// synchronous on a TTY; a failed write (closed terminal) must not mask the original exit reason
			stdout.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
		} catch {
			// nothing left to restore into
		}
	};

	const onSignal = (signal: NodeJS.Signals) => {
		leave();
		// re-raise with our handlers gone: the default action (or Ink's own cleanup) ends the process
		process.kill(process.pid, signal);
	};

	const leave = () => {
		restore();
		process.off('exit', restore);
		for (const signal of SIGNALS) process.off(signal, onSignal);
	};

	stdout.write(ENTER_ALTERNATE_SCREEN + CLEAR_AND_HOME);
	process.on('exit', restore);
	if (handleSignals) for (const signal of SIGNALS) process.on(signal, onSignal);
	return {leave};
}
