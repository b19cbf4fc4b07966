/**
 * `heaptop analyze FILE...`: offline. One file → its biggest classes and why the top ones are
 * retained; two or more (oldest first) → the classes that grew, with counts per file, survivors by
 * id range, retaining paths and hints. The engine runs on this thread: a CLI with nothing else to do
 * needs no worker.
 */
import {statSync} from 'node:fs';
import type {ClassRetainers, SnapshotSummary} from '../model/types.js';
import {EngineClient, EngineError} from '../pipeline/engine-client.js';
import {buildJsonReport, type JsonReport} from './report.js';
import {formatTextReport} from './text-report.js';

export class AnalyzeFileError extends Error {
	override name = 'AnalyzeFileError';
}

export interface AnalyzeOptions {
	files: string[];
	json: boolean;
	/** progress lines go here (stderr when it is a TTY), or nowhere */
	progress: ((line: string) => void) | null;
	/** how many classes get retaining paths */
	pathsFor?: number;
}

export interface AnalyzeResult {
	report: JsonReport;
	text: string;
	exitCode: 0 | 1;
}

export async function analyzeFiles(options: AnalyzeOptions): Promise<AnalyzeResult> {
	for (const file of options.files) checkReadable(file);
	// A big file is parsed by two threads: the second starts now, while the engine loads. (The CLI has
	// started it already, and begun the first file's parse; this is for other callers of analyzeFiles.)
	const {prestartParallelParse} = await import('../snapshot/edge-threads.js');
	const {hasBegunParse} = await import('../snapshot/read-file.js');
	if (!options.files.some(hasBegunParse)) prestartParallelParse(options.files);
	// Nothing else runs in this process: the engine can have the main thread (see EngineClient.inProcess).
	const engine = await EngineClient.inProcess();
	try {
		const summaries: SnapshotSummary[] = [];
		for (const [seq, file] of options.files.entries()) {
			// Survivor buckets by id only make sense for snapshots of one process session; the boundaries
			// are still harmless otherwise (ids then simply don't line up and survivors stay low).
			const generationBoundaries = summaries.map(s => s.maxNodeId);
			const started = performance.now();
			const result = await engine.parseFile(file, {generationBoundaries, retained: true}, p => {
				if (p.phase === 'parsing' && p.totalBytes) options.progress?.(`${file}: parsing ${Math.floor((p.bytes / p.totalBytes) * 100)}%`);
				else if (p.phase === 'analysing') options.progress?.(`${file}: analysing`);
			}).catch(error => {
				if (error instanceof EngineError) throw new AnalyzeFileError(`${file}: ${error.message}`);
				throw error;
			});
			summaries.push({...result.summary, seq, t: null, file, captureMs: null, parseMs: performance.now() - started});
		}

		const pathsFor = options.pathsFor ?? 5;
		const single = summaries.length === 1;
		// (the growth rules, a dozen modules, load only when there is growth to rank)
		const growth = single ? null : (await import('../analysis/growth.js')).rankGrowth(summaries);
		const candidates = growth?.candidates ?? [];
		const names = single ? biggestClasses(summaries[0]!, pathsFor) : candidates.slice(0, pathsFor).map(c => c.name);
		const retainers = new Map<string, ClassRetainers>();
		for (const name of names) {
			const found = await engine.classRetainers(name);
			if (found) retainers.set(name, found);
		}
		const verdict = growth?.verdict ?? 'inconclusive';
		const notes = single ? ['one snapshot shows what is big, not what grows: compare two or more snapshots of the same process to find a leak'] : [growth!.reason];
		const report = buildJsonReport({verdict, samples: null, trend: null, snapshots: summaries, candidates, retainers, allocationSites: new Map(), notes});
		const text = formatTextReport({report, summaries, retainers, single});
		return {report, text, exitCode: verdict === 'leak' ? 1 : 0};
	} finally {
		await engine.close();
	}
}

/** The classes worth explaining in a single snapshot: largest retained size, V8 internals left out. */
function biggestClasses(summary: SnapshotSummary, n: number): string[] {
	return [...summary.classes]
		.filter(c => !c.name.startsWith('(') && c.name !== 'system / Context')
		.sort((a, b) => (b.retainedSize ?? b.selfSize) - (a.retainedSize ?? a.selfSize))
		.slice(0, n)
		.map(c => c.name);
}

function checkReadable(file: string): void {
	let size: number;
	try {
		const stat = statSync(file);
		if (stat.isDirectory()) throw new AnalyzeFileError(`${file}: is a directory, not a .heapsnapshot file`);
		size = stat.size;
	} catch (error) {
		if (error instanceof AnalyzeFileError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		throw new AnalyzeFileError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read it (${code ?? String(error)})`);
	}
	if (size === 0) throw new AnalyzeFileError(`${file}: the file is empty (a snapshot that failed to write?)`);
}
