/**
 * Entry point: parse the command line, pick the mode (live view, check, analyze), run it, and turn
 * its outcome into an exit code (contract.md: 0 no leak, 1 leak suspected, 2 error). Every error a
 * user can cause ends as one line on stderr; stacks only with --verbose.
 */
import {HELP} from './help.js';
import {resolveOptions, splitCommand, UsageError, type Options} from './options.js';
import {describeError} from './errors.js';
import {isLoopbackHost, parseTargetString} from './target/target-spec.js';
import {formatHostPort} from './target/errors.js';
import {importOutsideCi} from './ui/import-outside-ci.js';
import {importMeow} from './import-meow.js';
import {compileInStartedThreads} from './thread-compile.js';

export async function main(argv: string[]): Promise<number> {
	// (before any thread is started)
	compileInStartedThreads();
	const {own, command} = splitCommand(argv);
	// `heaptop analyze BIG.heapsnapshot`: its second parse thread takes ~30–100 ms to start, as long
	// as loading meow does (its bundled dependencies set themselves up on import): start it first, and
	// give it the first file's edges at once, so that it parses them while meow and the engine load.
	if (own[0] === 'analyze') {
		const files = own.slice(1).filter(arg => !arg.startsWith('-'));
		const {prestartParallelParse} = await import('./snapshot/edge-threads.js');
		prestartParallelParse(files);
		if (files[0] !== undefined) {
			const {beginParallelParse} = await import('./snapshot/read-file.js');
			beginParallelParse(files[0]);
		}
	}
	const meow = await importMeow();
	// The one-file bundle has no package.json beside it: the version is baked in at bundle time.
	const bundledVersion = (globalThis as {__HEAPTOP_VERSION__?: string}).__HEAPTOP_VERSION__;
	const cli = meow(HELP, {
		importMeta: import.meta,
		// HELP is the whole text (the README copies it); meow would put package.json's description first
		description: false,
		...(bundledVersion ? {pkg: {name: 'heaptop', version: bundledVersion}} : {}),
		argv: own,
		allowUnknownFlags: false,
		booleanDefault: undefined,
		flags: {
			pid: {type: 'number'},
			worker: {type: 'string'},
			interval: {type: 'string'},
			snapshotEvery: {type: 'string'},
			duration: {type: 'string'},
			json: {type: 'boolean'},
			saveSnapshots: {type: 'string'},
			redact: {type: 'boolean'},
			forceSnapshot: {type: 'boolean'},
			maxPauseShare: {type: 'number'},
			allocSampling: {type: 'boolean'},
			samplingInterval: {type: 'number'},
			allowRemote: {type: 'boolean'},
			color: {type: 'boolean'},
			verbose: {type: 'boolean'},
		},
	});

	let options: Options;
	try {
		options = resolveOptions(cli.input.map(String), command, cli.flags);
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`heaptop: ${error.message}\n`);
			return 2;
		}
		throw error;
	}
	if (process.env.NO_COLOR) options.color = false;
	warnIfRemote(options);

	try {
		switch (options.mode) {
			case 'analyze': {
				const {runAnalyze} = await import('./headless/run-analyze.js');
				return await runAnalyze(options);
			}
			case 'check': {
				const {runCheck} = await import('./headless/check.js');
				return await runCheck(options);
			}
			case 'tui': {
				if (!process.stdout.isTTY || !process.stdin.isTTY) {
					process.stderr.write('heaptop: the live view needs a terminal. In scripts and CI use: heaptop check [target] --json (see heaptop --help)\n');
					return 2;
				}
				const {runTui} = await importOutsideCi(() => import('./tui.js'));
				return await runTui(options);
			}
		}
	} catch (error) {
		process.stderr.write(`heaptop: ${describeError(error, options.verbose)}\n`);
		return 2;
	}
}

/**
 * Ends the process once main() has returned `code` (both entries, bin/heaptop.js and the bundle, call
 * this). `heaptop analyze` is done once its report is flushed: it holds no connection and has closed
 * its files, so it exits at once rather than wait for its worker threads to wind down (~10 ms of a
 * 50 MB run). Anything else ends when its event loop empties, and if some stray handle holds the loop,
 * 3 s later anyway: never hang the user's shell or CI job over it.
 */
export function endProcess(code: number, argv: string[]): void {
	process.exitCode = code;
	if (splitCommand(argv).own[0] === 'analyze') process.exit(code);
	setTimeout(() => process.exit(code), 3000).unref();
}

/**
 * --allow-remote lifts the refusal, not the risk: say once, before anything connects, what attaching
 * to another machine's inspector means. (Without the flag, attach refuses before any traffic.)
 */
function warnIfRemote(options: Options): void {
	if (!options.allowRemote || options.target?.kind !== 'address') return;
	let host: string;
	let port: number;
	try {
		const spec = parseTargetString(options.target.spec);
		if (spec.kind !== 'address' && spec.kind !== 'ws') return;
		({host, port} = spec);
	} catch {
		return; // attach reports the malformed target
	}
	if (isLoopbackHost(host)) return;
	process.stderr.write(
		`heaptop: warning: ${formatHostPort(host, port)} is another machine. An inspector has no authentication and no encryption: ` +
			'whoever reaches its port can run any code in that process, and heap snapshots (with every secret in the heap) cross the network in clear text. ' +
			`Prefer an SSH tunnel: ssh -L ${port}:127.0.0.1:${port} USER@${host}, then heaptop 127.0.0.1:${port}\n`,
	);
}
