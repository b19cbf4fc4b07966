/** Writes to stdout and waits until it is flushed, so a piped JSON report is never cut short on exit. */
export function writeStdout(text: string): Promise<void> {
	return new Promise(resolve => {
		process.stdout.write(text, () => resolve());
	});
}
