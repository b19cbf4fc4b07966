/**
 * Writes to stdout and waits until it is flushed, so a piped JSON report is never cut short on exit.
 * A reader that has gone away (`heaptop analyze … --json | head -1`: EPIPE) wants no more: that is not
 * heaptop's error, so it ends quietly rather than with Node's unhandled 'error' stack. Any other
 * failure to write is rejected, for the caller's one-line error.
 */
export function writeStdout(text: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException) => {
			if (error.code === 'EPIPE') resolve();
			else reject(error);
		};
		process.stdout.once('error', onError);
		process.stdout.write(text, error => {
			// (on a failed write, the listener stays for the 'error' event that follows, or not)
			if (error) return onError(error);
			process.stdout.off('error', onError);
			resolve();
		});
	});
}
