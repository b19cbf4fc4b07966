/**
 * Typed errors of the protocol layer. Each message is one line a user can act on: what went wrong, then
 * what to do. The low-level reason (an errno, a protocol error) travels in `cause`, never in the message
 * shown to the user, so the CLI can print `error.message` alone.
 */

/** Why attaching failed; lets callers and tests branch without parsing messages. */
export type AttachFailure =
	| 'nothing-listening' // connection refused at host:port
	| 'not-inspector' // something answers there, but not a V8 inspector
	| 'no-target' // an inspector with no inspectable target, or an unknown ws:// id
	| 'several-targets' // more than one Node target behind one port: the caller must choose
	| 'debugger-attached' // the target refuses another client
	| 'no-such-process' // --pid: ESRCH
	| 'not-permitted' // --pid: EPERM
	| 'not-node' // --pid: the process would die of SIGUSR1 (it does not catch it)
	| 'sigusr1-handled' // --pid: signalled, but no inspector opened
	| 'port-taken' // --pid: 127.0.0.1:9229 belongs to another process
	| 'spawn-failed' // -- COMMAND: could not start, or it exited before its inspector opened
	| 'no-worker' // --worker: no worker thread matches (or the process has none)
	| 'several-workers' // --worker: more than one worker thread matches
	| 'timeout'; // the inspector did not answer in time

export class AttachError extends Error {
	override readonly name = 'AttachError';
	/** the candidates when `reason` is 'several-targets' (ws:// URLs with their titles) */
	readonly candidates: ReadonlyArray<{webSocketUrl: string; title: string; url: string}>;
	constructor(
		readonly reason: AttachFailure,
		message: string,
		options: {cause?: unknown; candidates?: ReadonlyArray<{webSocketUrl: string; title: string; url: string}>} = {},
	) {
		super(message, options.cause === undefined ? undefined : {cause: options.cause});
		this.candidates = options.candidates ?? [];
	}
}

/** The target went away (exited, was killed, or the connection dropped) while an operation needed it. */
export class TargetClosedError extends Error {
	override readonly name = 'TargetClosedError';
	constructor(message = 'the target process closed the inspector connection (it exited or was killed)', options: {cause?: unknown} = {}) {
		super(message, options.cause === undefined ? undefined : {cause: options.cause});
	}
}

/** An inspector call did not answer in time: usually the target's main thread is blocked. */
export class TimeoutError extends Error {
	override readonly name = 'TimeoutError';
	constructor(
		readonly operation: string,
		readonly timeoutMs: number,
		options: {cause?: unknown} = {},
	) {
		super(`${operation} did not answer within ${timeoutMs} ms — the target's main thread is probably busy (a blocking call or a long loop)`, options.cause === undefined ? undefined : {cause: options.cause});
	}
}

/** A non-loopback inspector address without --allow-remote. */
export class RemoteRefusedError extends Error {
	override readonly name = 'RemoteRefusedError';
	constructor(readonly host: string, readonly port: number) {
		super(
			`refusing to attach to ${formatHostPort(host, port)}: attaching to a remote inspector means remote code execution; ` +
				`use ssh -L ${port}:127.0.0.1:${port} USER@${host} and attach to 127.0.0.1:${port}, or pass --allow-remote`,
		);
	}
}

/** A target argument that is not one of the forms contract.md lists. */
export class TargetSpecError extends Error {
	override readonly name = 'TargetSpecError';
	constructor(readonly input: string, detail: string) {
		super(`cannot read target "${input}": ${detail} — use a port (9229), HOST:PORT, [::1]:PORT, a ws:// URL, --pid PID or -- COMMAND`);
	}
}

/** The target cannot do this (e.g. it is not Node, so there is no `v8` module). */
export class UnsupportedError extends Error {
	override readonly name = 'UnsupportedError';
}

export function formatHostPort(host: string, port: number): string {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Node's system errors carry `code`; protocol errors do not. */
export function errnoCode(error: unknown): string | undefined {
	const code = (error as {code?: unknown} | null)?.code;
	return typeof code === 'string' ? code : undefined;
}
