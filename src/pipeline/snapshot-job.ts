/**
 * One background heap snapshot: capture (target paused) → stream chunks into the engine worker
 * (and optionally a file) → summary. Chunks are forwarded as they arrive; heaptop never holds the
 * whole snapshot. A partial file is deleted when the capture fails, so no truncated snapshot is left.
 */
import {createWriteStream, mkdirSync, chmodSync, unlinkSync, type WriteStream} from 'node:fs';
import {join} from 'node:path';
import type {InspectorTarget, SnapshotTaken} from '../target/target.js';
import type {SnapshotSummary} from '../model/types.js';
import type {EngineClient, JobProgress} from './engine-client.js';

export type JobPhase =
	| {phase: 'capturing'; done: number; total: number}
	| {phase: 'parsing'; bytes: number}
	| {phase: 'analysing'};

export interface SnapshotJobOptions {
	seq: number;
	/** ms since attach when the job starts */
	t: number;
	generationBoundaries: number[];
	retained: boolean;
	saveDir: string | null;
	/** save with string values replaced (written from the parsed graph after the job) */
	redact: boolean;
	onPhase: (phase: JobPhase) => void;
}

export interface SnapshotJobResult {
	summary: SnapshotSummary;
	/** how long the target was paused (the whole takeHeapSnapshot call) */
	pauseMs: number;
	/** V8 renumbered object ids since the previous snapshot: id ranges restart here */
	idsRenumbered: boolean;
	/** V8's object count for this heap, as reported in the capture progress */
	objectCount: number;
	bytes: number;
}

export async function runSnapshotJob(target: InspectorTarget, engine: EngineClient, options: SnapshotJobOptions): Promise<SnapshotJobResult> {
	const file = options.saveDir ? snapshotFilePath(options.saveDir, options.seq) : null;
	// Raw snapshots are streamed to disk as they arrive; redacted ones are written from the graph later.
	const out = file && !options.redact ? openPrivateFile(file) : null;
	let bytes = 0;
	let objectCount = 0;
	const {job, done} = engine.begin((p: JobProgress) => options.onPhase(p.phase === 'parsing' ? {phase: 'parsing', bytes: p.bytes} : {phase: 'analysing'}));
	// The job promise may reject before we await it (e.g. a parse error mid-stream); keep it handled.
	done.catch(() => {});
	options.onPhase({phase: 'capturing', done: 0, total: 0});
	const started = performance.now();
	let taken: SnapshotTaken;
	try {
		taken = await target.takeHeapSnapshot(
			chunk => {
				bytes += chunk.length;
				engine.chunk(job, chunk);
				out?.write(chunk);
			},
			progress => {
				objectCount = progress.total;
				options.onPhase({phase: 'capturing', done: progress.done, total: progress.total});
			},
		);
	} catch (error) {
		engine.abort(job, error instanceof Error ? error : new Error(String(error)));
		if (out && file) await discardFile(out, file);
		throw error;
	}
	const pauseMs = performance.now() - started;
	options.onPhase({phase: 'parsing', bytes});
	// ids of a renumbered heap say nothing about which objects are older: no survivor buckets this time
	engine.end(job, {generationBoundaries: taken.idsRenumbered ? [] : options.generationBoundaries, retained: options.retained});
	if (out) await closeFile(out);
	const result = await done;
	if (file && options.redact) await engine.writeRedacted(file);
	return {
		summary: {
			...result.summary,
			seq: options.seq,
			t: options.t,
			file,
			captureMs: pauseMs,
			parseMs: result.parseMs + result.analyseMs,
		},
		pauseMs,
		idsRenumbered: taken.idsRenumbered,
		objectCount: objectCount || result.summary.nodeCount,
		bytes,
	};
}

export function snapshotFilePath(dir: string, seq: number): string {
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	return join(dir, `heaptop-${stamp}-${String(seq + 1).padStart(3, '0')}.heapsnapshot`);
}

/** Snapshots hold secrets: the folder is 0700 and each file 0600 from the moment it exists. */
export function ensurePrivateDir(dir: string): void {
	mkdirSync(dir, {recursive: true, mode: 0o700});
	chmodSync(dir, 0o700);
}

function openPrivateFile(path: string): WriteStream {
	return createWriteStream(path, {mode: 0o600, flags: 'wx'});
}

function closeFile(out: WriteStream): Promise<void> {
	return new Promise((resolve, reject) => {
		out.once('error', reject);
		out.end(() => resolve());
	});
}

async function discardFile(out: WriteStream, path: string): Promise<void> {
	await closeFile(out).catch(() => {});
	try {
		unlinkSync(path);
	} catch {
		// already gone
	}
}
