#!/usr/bin/env node
// Parse benchmark: heaptop's snapshot engine against memlab, VS Code's Rust/WASM heap parser and a
// byte-scanning floor, on the same snapshot files in the same run, each tool run as a whole process and
// measured from outside (wall time, peak RSS).
//
//   node bench/parse.mjs [--sizes 50,250] [--file F.heapsnapshot ...] [--runs 3] [--mode full|parse|agg]
//                        [--warmup 0] [--heaptop "CMD … FILE …"]
//                        [--no-heaptop] [--no-memlab] [--no-vscode] [--no-floor] [--json-out FILE]
//
// Contenders, run in turn (A, B, C, D, A, B, C, D, …) so that drift on a shared machine hits all alike:
//   heaptop  --mode full: `node bin/heaptop.js analyze FILE --json` (parse, summary, dominators/retained,
//            paths); --mode parse|agg: bench/lib/heaptop-parse.mjs (parse + per-class summary, no retained)
//   memlab   @memlab 2.0.5, installed on first use into bench/.cache/memlab: full is getFullHeapFromFile
//            (parse + paths + dominators + retained), parse is getSnapshotFromFile, agg is parse + a
//            per-class pass. Run with --max-old-space-size=4096 like memlab's CLI.
//   vscode   @vscode/v8-heap-parser 0.1.0, installed on first use into bench/.cache/vscode:
//            decode_bytes + get_class_groups(no_retained = mode !== full) (bench/lib/vscode-harness.mjs)
//   floor    bench/lib/floor-scan.mjs: 1 MiB readSync loop over every byte, no allocation
// A tool that cannot be installed is shown as "unavailable (reason)"; one whose first run on a file
// fails is shown as "failed (reason)" for that file and not run again on it (VS Code's wasm32 parser
// runs out of memory above ~400 MB). Reports medians, MB/s (file bytes / wall), memory per node and per
// edge (peak RSS minus an empty Node's RSS), and heaptop's time and RSS ratios to each tool.
import {parseArgs} from 'node:util';
import {existsSync, openSync, readSync, closeSync, mkdirSync, writeFileSync} from 'node:fs';
import {basename, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {measure, timeToolNote, GNU_TIME} from './lib/measure.mjs';
import {ensureMemlab} from './lib/memlab.mjs';
import {ensureVscodeParser} from './lib/vscode.mjs';
import {ensureSnapshot} from './lib/snapshots.mjs';
import {readSnapshotHeader} from './lib/snapshot-header.mjs';
import {median, fmt, textTable, markdownTable} from './lib/stats.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FLOOR = fileURLToPath(new URL('./lib/floor-scan.mjs', import.meta.url));
const HEAPTOP_PARSE = fileURLToPath(new URL('./lib/heaptop-parse.mjs', import.meta.url));
const HEAPTOP_BIN = join(ROOT, 'bin', 'heaptop.js');
/** The tools heaptop is compared with, in table order, and how each is named in ratio labels. */
const PEERS = [
	{tool: 'memlab', label: 'memlab'},
	{tool: 'vscode', label: 'VS Code'},
	{tool: 'floor', label: 'floor'},
];

export async function runParseBench(argv = process.argv.slice(2)) {
	const {values} = parseArgs({
		args: argv,
		options: {
			sizes: {type: 'string', default: '50,250'},
			file: {type: 'string', multiple: true},
			runs: {type: 'string', default: '3'},
			warmup: {type: 'string', default: '0'},
			mode: {type: 'string', default: 'full'},
			heaptop: {type: 'string'},
			'no-heaptop': {type: 'boolean', default: false},
			'no-memlab': {type: 'boolean', default: false},
			'no-vscode': {type: 'boolean', default: false},
			'no-floor': {type: 'boolean', default: false},
			'json-out': {type: 'string'},
		},
	});
	const runs = Math.max(1, Number(values.runs));
	const warmup = Math.max(0, Number(values.warmup));
	const mode = values.mode;
	if (!['full', 'parse', 'agg'].includes(mode)) throw new Error(`--mode must be full, parse or agg (got ${mode})`);

	const files = values.file?.length ? values.file.map(f => resolve(f)) : values.sizes.split(',').map(s => ensureSnapshot(Number(s)));
	for (const f of files) if (!existsSync(f)) throw new Error(`no such snapshot: ${f}`);

	const contenders = [];
	if (!values['no-heaptop']) contenders.push(heaptopContender(mode, values.heaptop));
	if (!values['no-memlab']) {
		const memlab = ensureMemlab();
		contenders.push({
			name: 'memlab',
			label: `memlab 2.0.5 ${mode}`,
			unavailable: memlab.ok ? null : memlab.reason,
			make: file => ({cmd: process.execPath, args: ['--max-old-space-size=4096', memlab.harness, mode, file], cwd: memlab.dir, captureStdout: true}),
		});
	}
	if (!values['no-vscode']) {
		const vscode = ensureVscodeParser();
		contenders.push({
			name: 'vscode',
			label: `@vscode/v8-heap-parser 0.1.0 ${mode === 'full' ? 'retained' : 'no_retained'}`,
			unavailable: vscode.ok ? null : vscode.reason,
			make: file => ({cmd: process.execPath, args: [vscode.harness, mode, file], captureStdout: true}),
		});
	}
	if (!values['no-floor']) contenders.push({name: 'floor', label: 'byte-scan floor', unavailable: null, make: file => ({cmd: process.execPath, args: [FLOOR, file]})});
	if (contenders.length === 0) throw new Error('nothing to run');
	for (const c of contenders) if (c.unavailable) console.log(`note: ${c.name} is unavailable (${c.unavailable}); it is listed but not run`);
	if (!contenders.some(c => !c.unavailable)) throw new Error('no contender is available');

	console.log(`parse bench, mode ${mode}: ${runs} run(s) per tool and file, interleaved; ${timeToolNote()}`);
	for (const c of contenders) console.log(`  ${c.name.padEnd(8)} ${c.label}`);
	const empty = await measure(process.execPath, ['-e', '0']);
	const baselineMiB = empty.maxRssMiB ?? 39;
	console.log(`empty node: ${fmt(empty.wallS, 3)} s, ${fmt(baselineMiB, 0)} MiB (subtracted for the per-node and per-edge figures)`);

	const all = [];
	for (const file of files) {
		const header = readSnapshotHeader(file);
		warmPageCache(file);
		const samples = new Map(contenders.map(c => [c.name, []]));
		/** tool → reason, once its first run on this file failed: a deterministic failure (out of memory) is not retried */
		const gaveUp = new Map();
		for (let r = 0; r < warmup + runs; r++) {
			for (const c of contenders) {
				if (c.unavailable || gaveUp.has(c.name)) continue;
				const {cmd, args, cwd, captureStdout} = c.make(file);
				const m = await measure(cmd, args, {cwd, captureStdout});
				const mine = samples.get(c.name);
				if (r >= warmup) mine.push(m);
				const reason = m.ok ? '' : failureReason(m);
				process.stderr.write(`  ${basename(file)} ${mode} ${c.name} run ${r + 1 - warmup}${r < warmup ? ' (warm-up)' : ''}: ${fmt(m.wallS)} s, ${fmt(m.maxRssMiB, 0)} MiB${m.ok ? '' : ` FAILED (${reason})`}\n`);
				if (!m.ok && !mine.some(s => s.ok) && r === 0) {
					gaveUp.set(c.name, reason);
					process.stderr.write(`  ${basename(file)} ${mode} ${c.name}: first run failed; not running it again on this file\n`);
				}
			}
		}
		const result = summarise(file, header, contenders, samples, baselineMiB, mode);
		all.push(result);
		printResult(result, runs);
	}
	if (all.length > 1) {
		console.log(`\nmarkdown, all files (mode ${mode}):\n`);
		console.log(markdownAll(all));
	}
	console.log(`\nratios, mode ${mode} (heaptop ÷ tool; below 1 = heaptop better):\n`);
	console.log(ratioSummaryMarkdown(all));
	const out = values['json-out'] ?? join(ROOT, 'bench', 'results', `parse-${mode}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
	mkdirSync(join(out, '..'), {recursive: true});
	writeFileSync(out, JSON.stringify({when: new Date().toISOString(), node: process.version, timeTool: GNU_TIME, mode, runs, results: all}, null, 2));
	console.log(`\nraw results: ${out}`);
	return all;
}

function heaptopContender(mode, template) {
	let words;
	let unavailable = null;
	if (template) words = template.split(/\s+/).filter(Boolean).map(w => (w === 'node' ? process.execPath : w));
	else if (mode === 'full') {
		words = [process.execPath, HEAPTOP_BIN, 'analyze', 'FILE', '--json'];
		if (!existsSync(join(ROOT, 'dist', 'cli.js'))) unavailable = 'not built: dist/cli.js is missing; run `npm run build`';
	} else {
		words = [process.execPath, HEAPTOP_PARSE, 'FILE'];
		if (!existsSync(join(ROOT, 'dist', 'snapshot-engine.js'))) unavailable = 'not built: dist/snapshot-engine.js is missing; run `npm run build`';
	}
	const label = template ?? (mode === 'full' ? 'heaptop analyze FILE --json' : 'bench/lib/heaptop-parse.mjs FILE (parse + summary, no retained)');
	return {
		name: 'heaptop',
		label,
		unavailable,
		make: file => ({cmd: words[0], args: words.slice(1).map(w => w.replaceAll('FILE', file)), captureStdout: true}),
	};
}

function failureReason(m) {
	return m.errorLine ? `${m.exit}: ${m.errorLine}` : m.exit;
}

/** Read the file once so that no contender pays for a cold disk (perf-anchors: cold reads ~140 MB/s). */
function warmPageCache(file) {
	const fd = openSync(file, 'r');
	const buf = Buffer.allocUnsafe(8 << 20);
	while (readSync(fd, buf, 0, buf.length, null) > 0);
	closeSync(fd);
}

function summarise(file, header, contenders, samples, baselineMiB, mode) {
	const rows = contenders.map(c => {
		const ms = samples.get(c.name);
		const good = ms.filter(m => m.ok);
		const wall = median(good.map(m => m.wallS));
		const rss = median(good.map(m => m.maxRssMiB));
		const extraBytes = rss == null ? null : (rss - baselineMiB) * 2 ** 20;
		const firstFailure = ms.find(m => !m.ok);
		let status = 'ok';
		if (c.unavailable) status = `unavailable (${c.unavailable})`;
		else if (good.length === 0) status = `failed (${firstFailure ? failureReason(firstFailure) : 'no run'})`;
		return {
			tool: c.name,
			label: c.label,
			status,
			wallS: wall,
			peakRssMiB: rss,
			mbPerS: wall ? header.bytes / 1e6 / wall : null,
			fails: ms.length - good.length,
			runs: ms.length,
			bytesPerNode: extraBytes != null && header.nodes ? extraBytes / header.nodes : null,
			bytesPerEdge: extraBytes != null && header.edges ? extraBytes / header.edges : null,
			bytesPerNodeOrEdge: extraBytes != null && header.nodes ? extraBytes / (header.nodes + header.edges) : null,
			firstError: firstFailure ? failureReason(firstFailure) : null,
			crossCheck: crossCheck(c.name, good.at(-1)?.stdout),
		};
	});
	const by = Object.fromEntries(rows.map(r => [r.tool, r]));
	const ratio = (a, b, k) => (by[a]?.[k] && by[b]?.[k] ? by[a][k] / by[b][k] : null);
	for (const r of rows) {
		r.heaptopTimeRatio = r.tool === 'heaptop' ? null : ratio('heaptop', r.tool, 'wallS');
		r.heaptopRssRatio = r.tool === 'heaptop' ? null : ratio('heaptop', r.tool, 'peakRssMiB');
	}
	return {
		file,
		bytes: header.bytes,
		nodes: header.nodes,
		edges: header.edges,
		mode,
		rows,
		ratios: {
			heaptopMemlabTime: ratio('heaptop', 'memlab', 'wallS'),
			heaptopMemlabRss: ratio('heaptop', 'memlab', 'peakRssMiB'),
			heaptopVscodeTime: ratio('heaptop', 'vscode', 'wallS'),
			heaptopVscodeRss: ratio('heaptop', 'vscode', 'peakRssMiB'),
			heaptopFloorTime: ratio('heaptop', 'floor', 'wallS'),
		},
	};
}

/**
 * What each tool says about the graph, so a reader can see they did comparable work: node count, class
 * count, the class with most instances, and the bench heap's LeakedSession row. Only class names are
 * ever shown, never string values.
 */
function crossCheck(tool, stdout) {
	if (!stdout) return null;
	try {
		const tagged = tag => {
			const line = stdout.split('\n').find(l => l.startsWith(`${tag} `));
			return line ? JSON.parse(line.slice(tag.length + 1)) : null;
		};
		let r = null;
		if (tool === 'memlab') r = tagged('MEMLAB_RESULT');
		else if (tool === 'vscode') r = tagged('VSCODE_RESULT');
		else if (tool === 'heaptop') {
			r = tagged('HEAPTOP_RESULT');
			if (!r) {
				// `heaptop analyze --json`: its class list is the top 50 by retained size, so no class count
				const report = JSON.parse(stdout);
				const cls = report.classes?.find(c => c.name === 'LeakedSession');
				r = {nodes: report.snapshots?.[0]?.nodeCount ?? null, classes: null, top: null, leaked: cls?.count ?? 0, leakedSelf: cls?.selfSize ?? 0, leakedRetained: cls?.retainedSize ?? null};
			}
		}
		if (!r) return null;
		return {
			nodes: r.nodes ?? null,
			classes: r.classes || null,
			top: r.top ?? null,
			count: r.leaked,
			selfSize: r.leakedSelf,
			retainedSize: r.mode === 'full' || tool === 'heaptop' ? (r.leakedRetained ?? null) : null,
		};
	} catch {
		return null;
	}
}

const HEADER = ['tool', 'wall s', 'peak RSS MiB', 'MB/s', 'B/node', 'B/edge', 'B/(node+edge)', 'heaptop/tool time', 'heaptop/tool RSS', 'fails'];
/** brief: the plain-text table says only "failed" / "unavailable" and the reason follows it on a line of its own */
function rowCells(r, brief = false) {
	const runs = `${r.fails}/${r.runs}`;
	if (r.status !== 'ok') return [r.tool, brief ? r.status.split(' ')[0] : clip(r.status, 120), '—', '—', '—', '—', '—', '—', '—', runs];
	return [
		r.tool,
		fmt(r.wallS),
		fmt(r.peakRssMiB, 0),
		fmt(r.mbPerS, 1),
		fmt(r.bytesPerNode, 0),
		fmt(r.bytesPerEdge, 0),
		fmt(r.bytesPerNodeOrEdge, 1),
		r.tool === 'heaptop' ? '—' : ratioCell(r.heaptopTimeRatio),
		r.tool === 'heaptop' || r.tool === 'floor' ? '—' : ratioCell(r.heaptopRssRatio),
		runs,
	];
}
const ratioCell = x => (x == null ? '—' : `${fmt(x)}×`);
const clip = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…)` : text).replaceAll('|', '\\|');

function printResult(result, runs) {
	const name = basename(result.file);
	console.log(`\n${name}: ${(result.bytes / 1e6).toFixed(1)} MB, ${result.nodes?.toLocaleString('en-US')} nodes, ${result.edges?.toLocaleString('en-US')} edges; mode ${result.mode}; median of ${runs}`);
	console.log(textTable(HEADER, result.rows.map(r => rowCells(r, true))));
	for (const r of result.rows) {
		if (r.status !== 'ok') console.log(`  ${r.tool}: ${r.status}`);
		else if (r.firstError) console.log(`  ${r.tool}: ${r.fails} run(s) failed, first: ${r.firstError}`);
	}
	const {ratios} = result;
	const pairs = [
		['memlab', ratios.heaptopMemlabTime, ratios.heaptopMemlabRss],
		['vscode', ratios.heaptopVscodeTime, ratios.heaptopVscodeRss],
	];
	for (const [tool, time, rss] of pairs) if (time != null) console.log(`RATIO heaptop/${tool}(${result.mode}) time=${fmt(time)}x rss=${fmt(rss)}x  (${name}; <1 = heaptop better)`);
	if (ratios.heaptopFloorTime != null) console.log(`RATIO heaptop/floor time=${fmt(ratios.heaptopFloorTime)}x`);
	const checks = result.rows.filter(r => r.crossCheck).map(r => `${r.tool}: ${describeCheck(r.crossCheck)}`);
	if (checks.length) console.log(`cross-check\n  ${checks.join('\n  ')}`);
	console.log('\n' + markdownTable(HEADER, result.rows.map(r => rowCells(r))));
}

function describeCheck(c) {
	const parts = [];
	if (c.nodes != null) parts.push(`${c.nodes.toLocaleString('en-US')} nodes`);
	if (c.classes != null) parts.push(`${c.classes} classes`);
	if (c.top) parts.push(`most instances: ${c.top.name} ×${c.top.count.toLocaleString('en-US')}`);
	parts.push(`LeakedSession ×${c.count}, self ${c.selfSize}, retained ${c.retainedSize ?? '—'}`);
	return parts.join(', ');
}

function markdownAll(results) {
	const header = ['file', ...HEADER];
	const rows = results.flatMap(res => res.rows.map(r => [`${basename(res.file)} (${(res.bytes / 1e6).toFixed(0)} MB)`, ...rowCells(r)]));
	return markdownTable(header, rows);
}

/** One line per file and mode: heaptop's time and RSS as a multiple of each other tool's. */
export function ratioSummaryMarkdown(results) {
	const header = ['file', 'mode', ...PEERS.flatMap(p => (p.tool === 'floor' ? [`heaptop/${p.label} time`] : [`heaptop/${p.label} time`, `heaptop/${p.label} RSS`]))];
	const rows = results.map(res => {
		const cells = [`${basename(res.file)} (${(res.bytes / 1e6).toFixed(0)} MB)`, res.mode];
		const heaptop = res.rows.find(r => r.tool === 'heaptop');
		for (const p of PEERS) {
			const row = res.rows.find(r => r.tool === p.tool);
			let missing = null;
			if (heaptop?.status !== 'ok') missing = heaptop ? `heaptop ${heaptop.status.split(' ')[0]}` : 'heaptop not run';
			else if (!row) missing = 'not run';
			else if (row.status !== 'ok') missing = row.status.split(' ')[0];
			cells.push(missing ?? ratioCell(row.heaptopTimeRatio));
			if (p.tool !== 'floor') cells.push(missing ?? ratioCell(row.heaptopRssRatio));
		}
		return cells;
	});
	return markdownTable(header, rows);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	runParseBench().catch(err => {
		console.error(`parse bench: ${err.message}`);
		process.exit(2);
	});
}
