/** CLI glue for `heaptop analyze`: progress on stderr (TTY only), report on stdout, exit code. */
import type {Options} from '../options.js';
import {analyzeFiles} from './analyze.js';
import {writeStdout} from './output.js';

export async function runAnalyze(options: Options): Promise<number> {
	const showProgress = process.stderr.isTTY === true;
	let lastLine = '';
	const progress = showProgress
		? (line: string) => {
			if (line === lastLine) return;
			lastLine = line;
			process.stderr.write(`\r\x1b[2K${line}`);
		}
		: null;
	try {
		const result = await analyzeFiles({files: options.files, json: options.json, progress});
		if (showProgress) process.stderr.write('\r\x1b[2K');
		await writeStdout(options.json ? `${JSON.stringify(result.report, null, 2)}\n` : result.text);
		return result.exitCode;
	} catch (error) {
		if (showProgress) process.stderr.write('\r\x1b[2K');
		throw error;
	}
}
