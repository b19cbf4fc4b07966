/**
 * One line for any error that reaches the top: expected errors (bad target, bad file, target gone)
 * carry a message written for the user; anything else is a bug, reported as one line plus a pointer
 * to --verbose, which adds the stack.
 */
const USER_ERRORS = new Set([
	'UsageError', 'AttachError', 'TargetClosedError', 'TimeoutError', 'RemoteRefusedError', 'TargetSpecError',
	'SnapshotFormatError', 'AnalyzeFileError', 'EngineError', 'CheckError',
]);

export function isUserError(error: unknown): boolean {
	return error instanceof Error && USER_ERRORS.has(error.name);
}

export function describeError(error: unknown, verbose: boolean): string {
	if (!(error instanceof Error)) return String(error);
	if (isUserError(error)) return verbose && error.stack ? `${error.message}\n${error.stack}` : error.message;
	const line = `unexpected error: ${error.message}`;
	return verbose && error.stack ? `${line}\n${error.stack}` : `${line} (run with --verbose for details)`;
}

/** An error's message, or the thrown value as text: for notices and one-line reports. */
export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
