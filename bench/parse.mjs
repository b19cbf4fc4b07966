#!/usr/bin/env node
// Parse benchmark: heaptop's offline analysis against memlab and a byte-scanning floor, on the same
// snapshot files, each run as a whole process and measured from outside (wall time, peak RSS).
//
//   node bench/parse.mjs [--sizes 50,250] [--file F.heapsnapshot ...] [--runs 3] [--mode full|parse|agg]
//                        [--warmup 0] [--heaptop "node bin/heaptop.js analyze FILE --json"]
//                        [--no-heaptop] [--no-memlab] [--no-floor] [--json-out FILE]
//
// Contenders, run in turn (A, B, C, A, B, C, …) so that drift on a shared machine hits all of them alike:
//   A heaptop  `node bin/heaptop.js analyze FILE --json` (parse, summary, dominators/retained, paths)
//   B memlab   @memlab 2.0.5, installed on first use into bench/.cache/memlab: --mode full (default) is
//              getFullHeapFromFile (parse + paths + dominators + retained), parse is getSnapshotFromFile,
//              agg is parse + a per-constructor pass. Run with --max-old-space-size=4096 like memlab's CLI.
//   C floor    bench/lib/floor-scan.mjs: 1 MiB readSync loop over every byte, no allocation
// Reports medians, MB/s (file bytes / wall), memory per node and per node-or-edge (peak RSS minus an
// empty Node's RSS), and the ratios heaptop/memlab and heaptop/floor. See bench/README.md.
import {parseArgs} from 'node:util';
import {existsSync, readFileSync, openSync, readSync, closeSync, mkdirSync, writeFileSync} from 'node:fs';
import {basename, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {measure, timeToolNote, GNU_TIME} from './lib/measure.mjs';
import {ensureMemlab} from './lib/memlab.mjs';
import {ensureSnapshot} from './lib/snapshots.mjs';
import {readSnapshotHeader} from './lib/snapshot-header.mjs';
import {median, fmt, textTable, markdownTable} from './lib/stats.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FLOOR = fileURLToPath(new URL('./lib/floor-scan.mjs', import.meta.url));
const HEAPTOP_BIN = join(ROOT, 'bin', 'heaptop.js');

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
	if (!values['no-heaptop']) {
		const template = values.heaptop ?? `${process.execPath} ${HEAPTOP_BIN} analyze FILE --json`;
		if (!values.heaptop && !existsSync(join(ROOT, 'dist', 'cli.js'))) console.log('note: heaptop is not built (dist/cli.js missing; run `npm run build`); skipping heaptop');
		else {
			const words = template.split(/\s+/).filter(Boolean).map(w => (w === 'node' ? process.execPath : w));
			contenders.push({name: 'heaptop', label: template, make: file => ({cmd: words[0], args: words.slice(1).map(w => w.replaceAll('FILE', file)), captureStdout: true})});
		}
	}
	if (!values['no-memlab']) {
		const {dir, harness} = ensureMemlab();
		contenders.push({
			name: 'memlab',
			label: `memlab 2.0.5 ${mode}`,
			make: file => ({cmd: process.execPath, args: ['--max-old-space-size=4096', harness, mode, file], cwd: dir, captureStdout: true}),
		});
	}
	if (!values['no-floor']) contenders.push({name: 'floor', label: 'byte-scan floor', make: file => ({cmd: process.execPath, args: [FLOOR, file]})});
	if (contenders.length === 0) throw new Error('nothing to run');

	console.log(`parse bench: ${runs} run(s) per tool and file, interleaved; memlab mode ${mode}; ${timeToolNote()}`);
	const empty = await measure(process.execPath, ['-e', '0']);
	const baselineMiB = empty.maxRssMiB ?? 39;
	console.log(`empty node: ${fmt(empty.wallS, 3)} s, ${fmt(baselineMiB, 0)} MiB (subtracted for the per-node figures)`);

	const all = [];
	for (const file of files) {
		const header = readSnapshotHeader(file);
		warmPageCache(file);
		const samples = new Map(contenders.map(c => [c.name, []]));
		for (let r = 0; r < warmup + runs; r++) {
			for (const c of contenders) {
				const {cmd, args, cwd, captureStdout} = c.make(file);
				const m = await measure(cmd, args, {cwd, captureStdout});
				if (r >= warmup) samples.get(c.name).push(m);
				process.stderr.write(`  ${basename(file)} ${c.name} run ${r + 1 - warmup}${r < warmup ? ' (warm-up)' : ''}: ${fmt(m.wallS)} s, ${fmt(m.maxRssMiB, 0)} MiB${m.ok ? '' : ` FAILED (${m.exit}) ${m.errorLine}`}\n`);
			}
		}
		const result = summarise(file, header, contenders, samples, baselineMiB, mode);
		all.push(result);
		printResult(result, runs);
	}
	if (all.length > 1) {
		console.log('\nmarkdown, all files:\n');
		console.log(markdownAll(all));
	}
	const out = values['json-out'] ?? join(ROOT, 'bench', 'results', `parse-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
	mkdirSync(join(out, '..'), {recursive: true});
	writeFileSync(out, JSON.stringify({when: new Date().toISOString(), node: process.version, timeTool: GNU_TIME, mode, runs, results: all}, null, 2));
	console.log(`\nraw results: ${out}`);
	return all;
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
		return {
			tool: c.name,
			label: c.label,
			wallS: wall,
			peakRssMiB: rss,
			mbPerS: wall ? header.bytes / 1e6 / wall : null,
			fails: ms.length - good.length,
			runs: ms.length,
			bytesPerNode: extraBytes != null && header.nodes ? extraBytes / header.nodes : null,
			bytesPerNodeOrEdge: extraBytes != null && header.nodes ? extraBytes / (header.nodes + header.edges) : null,
			firstError: ms.find(m => !m.ok)?.errorLine ?? null,
			crossCheck: crossCheck(c.name, good.at(-1)?.stdout),
		};
	});
	const by = Object.fromEntries(rows.map(r => [r.tool, r]));
	const ratio = (a, b, k) => (by[a]?.[k] && by[b]?.[k] ? by[a][k] / by[b][k] : null);
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
			heaptopFloorTime: ratio('heaptop', 'floor', 'wallS'),
		},
	};
}

/** LeakedSession figures from each tool's output, so a reader can see they did comparable work. */
function crossCheck(tool, stdout) {
	if (!stdout) return null;
	try {
		if (tool === 'memlab') {
			const line = stdout.split('\n').find(l => l.startsWith('MEMLAB_RESULT '));
			const r = line && JSON.parse(line.slice('MEMLAB_RESULT '.length));
			return r ? {count: r.leaked, selfSize: r.leakedSelf, retainedSize: r.mode === 'full' ? r.leakedRetained : null} : null;
		}
		if (tool === 'heaptop') {
			const report = JSON.parse(stdout);
			const cls = report.classes?.find(c => c.name === 'LeakedSession');
			return cls ? {count: cls.count, selfSize: cls.selfSize, retainedSize: cls.retainedSize} : null;
		}
	} catch {
		return null;
	}
	return null;
}

const HEADER = ['tool', 'wall s', 'peak RSS MiB', 'MB/s', 'B/node', 'B/(node+edge)', 'fails'];
const rowCells = r => [r.tool, fmt(r.wallS), fmt(r.peakRssMiB, 0), fmt(r.mbPerS, 1), fmt(r.bytesPerNode, 0), fmt(r.bytesPerNodeOrEdge, 1), `${r.fails}/${r.runs}`];

function printResult(result, runs) {
	const name = basename(result.file);
	console.log(`\n${name}: ${(result.bytes / 1e6).toFixed(1)} MB, ${result.nodes?.toLocaleString('en-US')} nodes, ${result.edges?.toLocaleString('en-US')} edges; median of ${runs}`);
	console.log(textTable(HEADER, result.rows.map(rowCells)));
	for (const r of result.rows) if (r.firstError) console.log(`  ${r.tool} failed: ${r.firstError}`);
	const {heaptopMemlabTime, heaptopMemlabRss, heaptopFloorTime} = result.ratios;
	if (heaptopMemlabTime != null) console.log(`RATIO heaptop/memlab(${result.mode}) time=${fmt(heaptopMemlabTime)}x rss=${fmt(heaptopMemlabRss)}x  (${name}; <1 = heaptop better)`);
	if (heaptopFloorTime != null) console.log(`RATIO heaptop/floor time=${fmt(heaptopFloorTime)}x`);
	const checks = result.rows.filter(r => r.crossCheck).map(r => `${r.tool}: ${r.crossCheck.count} × LeakedSession, self ${r.crossCheck.selfSize}, retained ${r.crossCheck.retainedSize ?? '—'}`);
	if (checks.length) console.log(`cross-check  ${checks.join('  |  ')}`);
	console.log('\n' + markdownTable(HEADER, result.rows.map(rowCells)));
}

function markdownAll(results) {
	const header = ['file', ...HEADER];
	const rows = results.flatMap(res => res.rows.map(r => [`${basename(res.file)} (${(res.bytes / 1e6).toFixed(0)} MB)`, ...rowCells(r)]));
	return markdownTable(header, rows);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	runParseBench().catch(err => {
		console.error(`parse bench: ${err.message}`);
		process.exit(2);
	});
}
