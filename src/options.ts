/**
 * Turns the parsed command line into validated Options. Pure: no I/O, so every rule is unit-tested.
 * contract.md is the authority for names, defaults and meanings.
 */

export class UsageError extends Error {
	override name = 'UsageError';
}

export type Mode = 'tui' | 'check' | 'analyze';

export type TargetChoice =
	| {kind: 'address'; spec: string}
	| {kind: 'pid'; pid: number}
	| {kind: 'command'; argv: string[]}
	| {kind: 'demo'};

export interface Options {
	mode: Mode;
	target: TargetChoice | null;
	/** --worker: watch this worker thread of the target (its id, or its name) instead of the main thread */
	worker: string | null;
	files: string[];
	intervalMs: number;
	/** 0 = background snapshots off */
	snapshotEveryMs: number;
	durationMs: number;
	json: boolean;
	saveSnapshotsDir: string | null;
	redact: boolean;
	forceSnapshot: boolean;
	maxPauseShare: number;
	allocSampling: boolean;
	samplingIntervalBytes: number;
	allowRemote: boolean;
	color: boolean;
	verbose: boolean;
}

export interface RawFlags {
	pid?: number | undefined;
	worker?: string | undefined;
	interval?: string | undefined;
	snapshotEvery?: string | undefined;
	duration?: string | undefined;
	json?: boolean | undefined;
	saveSnapshots?: string | undefined;
	redact?: boolean | undefined;
	forceSnapshot?: boolean | undefined;
	maxPauseShare?: number | undefined;
	allocSampling?: boolean | undefined;
	samplingInterval?: number | undefined;
	allowRemote?: boolean | undefined;
	color?: boolean | undefined;
	verbose?: boolean | undefined;
}

const UNIT_MS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};

/** "1500ms", "10s", "2m", "1h", "0" → milliseconds. A bare number other than 0 is rejected: say the unit. */
export function parseDuration(text: string, flag: string): number {
	const trimmed = text.trim();
	if (trimmed === '0') return 0;
	const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(trimmed);
	if (!match) throw new UsageError(`--${flag} ${JSON.stringify(text)} is not a duration: use a number with ms, s, m or h (e.g. 1500ms, 10s, 2m)`);
	return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}

export const DEFAULTS = {
	intervalMs: 1000,
	snapshotEveryTuiMs: 30_000,
	snapshotEveryCheckMs: 10_000,
	durationMs: 60_000,
	maxPauseShare: 0.05,
	/** a process heaptop started itself is a scenario under test, not production: allow more pause */
	maxPauseShareOwnProcess: 0.25,
	samplingIntervalBytes: 32_768,
} as const;

/**
 * @param input the positional words before `--` (command and target or files)
 * @param commandArgv the words after `--` (the command heaptop should start), or []
 */
export function resolveOptions(input: string[], commandArgv: string[], flags: RawFlags): Options {
	let mode: Mode = 'tui';
	let rest = input;
	if (input[0] === 'check' || input[0] === 'analyze') {
		mode = input[0];
		rest = input.slice(1);
	}

	const files = mode === 'analyze' ? rest : [];
	if (mode === 'analyze') {
		if (files.length === 0) throw new UsageError('analyze needs at least one .heapsnapshot file: heaptop analyze FILE.heapsnapshot...');
		if (flags.pid !== undefined || commandArgv.length > 0) throw new UsageError('analyze reads files; it takes no --pid or -- COMMAND');
	}

	const target = mode === 'analyze' ? null : resolveTarget(mode, rest, commandArgv, flags.pid);
	const worker = flags.worker?.trim() ?? null;
	if (worker !== null) {
		if (mode === 'analyze') throw new UsageError('analyze reads files; --worker goes with a target: heaptop check --worker ID 9229');
		if (worker === '') throw new UsageError('--worker needs a worker thread: its id (1, 2, …) or its name, e.g. --worker 1');
		if (target?.kind === 'demo') throw new UsageError('--worker needs a target whose worker thread to watch: a port, --pid PID or -- COMMAND');
	}

	const intervalMs = parseDuration(flags.interval ?? '1s', 'interval');
	if (intervalMs < 100) throw new UsageError('--interval must be at least 100ms');
	const snapshotEveryMs = flags.snapshotEvery === undefined
		? (mode === 'check' ? DEFAULTS.snapshotEveryCheckMs : DEFAULTS.snapshotEveryTuiMs)
		: parseDuration(flags.snapshotEvery, 'snapshot-every');
	if (snapshotEveryMs !== 0 && snapshotEveryMs < 1000) throw new UsageError('--snapshot-every must be 0 (off) or at least 1s');
	const durationMs = parseDuration(flags.duration ?? '60s', 'duration');
	if (durationMs <= 0) throw new UsageError('--duration must be longer than 0');

	const ownProcess = target?.kind === 'command' || target?.kind === 'demo';
	const maxPauseShare = flags.maxPauseShare ?? (ownProcess ? DEFAULTS.maxPauseShareOwnProcess : DEFAULTS.maxPauseShare);
	if (!(maxPauseShare > 0 && maxPauseShare <= 1)) throw new UsageError('--max-pause-share must be a fraction between 0 and 1, e.g. 0.05');
	const samplingIntervalBytes = flags.samplingInterval ?? DEFAULTS.samplingIntervalBytes;
	if (!Number.isInteger(samplingIntervalBytes) || samplingIntervalBytes < 256) throw new UsageError('--sampling-interval is in bytes and must be at least 256');
	if (flags.json && mode === 'tui') throw new UsageError('--json goes with check or analyze (the interactive view has no JSON output): heaptop check --json ...');
	if (flags.redact && !flags.saveSnapshots) throw new UsageError('--redact changes saved snapshots: use it with --save-snapshots DIR');

	return {
		mode,
		target,
		worker,
		files,
		intervalMs,
		snapshotEveryMs,
		durationMs,
		json: flags.json ?? false,
		saveSnapshotsDir: flags.saveSnapshots ?? null,
		redact: flags.redact ?? false,
		forceSnapshot: flags.forceSnapshot ?? false,
		maxPauseShare,
		allocSampling: flags.allocSampling ?? true,
		samplingIntervalBytes,
		allowRemote: flags.allowRemote ?? false,
		color: flags.color ?? true,
		verbose: flags.verbose ?? false,
	};
}

function resolveTarget(mode: Mode, rest: string[], commandArgv: string[], pid: number | undefined): TargetChoice {
	const ways = [rest.length > 0, pid !== undefined, commandArgv.length > 0].filter(Boolean).length;
	if (ways > 1) throw new UsageError('give one target: a port / HOST:PORT / ws:// URL, or --pid PID, or -- COMMAND');
	if (rest.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(rest[1])}: give one target`);
	if (pid !== undefined) {
		if (!Number.isInteger(pid) || pid <= 0) throw new UsageError('--pid needs a process id, e.g. --pid 4242');
		return {kind: 'pid', pid};
	}
	if (commandArgv.length > 0) return {kind: 'command', argv: commandArgv};
	if (rest.length === 1) return {kind: 'address', spec: rest[0]!};
	if (mode === 'check') throw new UsageError('check needs a target: heaptop check 9229, heaptop check --pid PID, or heaptop check -- node app.js');
	return {kind: 'demo'};
}

/** Splits argv at the first bare `--`: heaptop's own words, then the command to start. */
export function splitCommand(argv: string[]): {own: string[]; command: string[]} {
	const at = argv.indexOf('--');
	return at === -1 ? {own: argv, command: []} : {own: argv.slice(0, at), command: argv.slice(at + 1)};
}
