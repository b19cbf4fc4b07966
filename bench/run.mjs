#!/usr/bin/env node
// `npm run bench`: the parse benchmark on the 50 MB and 250 MB snapshots (generated when missing; --big
// adds 1 GB and 2 GB, which need ~10 GB of RAM to generate and several minutes) in two modes — parse
// (parse + per-class summary) first, then full (dominators, retained sizes, paths) — against memlab,
// VS Code's parser and the byte-scan floor; then the target overhead benchmark. Prints every table and
// ratio, and a closing table of all ratios; raw results go to bench/results/.
//
//   npm run bench [-- --big] [--sizes 50,250] [--runs N] [--modes parse,full] [--no-vscode] [--no-memlab]
//                 [--no-overhead] [--no-parse] [--duration S]
import {parseArgs} from 'node:util';
import {runParseBench, ratioSummaryMarkdown} from './parse.mjs';
import {runOverheadBench} from './overhead.mjs';

const {values} = parseArgs({
	options: {
		big: {type: 'boolean', default: false},
		sizes: {type: 'string'},
		runs: {type: 'string'},
		modes: {type: 'string', default: 'parse,full'},
		mode: {type: 'string'}, // older spelling of --modes with one mode
		duration: {type: 'string', default: '10'},
		'no-vscode': {type: 'boolean', default: false},
		'no-memlab': {type: 'boolean', default: false},
		'no-parse': {type: 'boolean', default: false},
		'no-overhead': {type: 'boolean', default: false},
	},
});

try {
	const started = Date.now();
	if (!values['no-parse']) {
		const sizes = values.sizes ?? (values.big ? '50,250,1000,2000' : '50,250');
		const modes = (values.mode ?? values.modes).split(',').filter(Boolean);
		const passThrough = ['no-vscode', 'no-memlab'].filter(k => values[k]).map(k => `--${k}`);
		const results = [];
		for (const mode of modes) {
			console.log(`\n== parse, mode ${mode}: heaptop vs memlab vs VS Code vs byte-scan floor, sizes ${sizes} MB ==\n`);
			results.push(...(await runParseBench(['--sizes', sizes, '--mode', mode, '--runs', values.runs ?? '3', ...passThrough])));
		}
		if (modes.length > 1) {
			console.log('\n== parse: all ratios (heaptop ÷ tool; below 1 = heaptop better) ==\n');
			console.log(ratioSummaryMarkdown(results));
		}
	}
	if (!values['no-overhead']) {
		console.log('\n== overhead: what watching costs a busy server ==\n');
		await runOverheadBench(['--duration', values.duration, '--runs', values.runs ?? '3']);
	}
	console.log(`\nbench: done in ${((Date.now() - started) / 60000).toFixed(1)} min`);
} catch (err) {
	console.error(`bench: ${err.message}`);
	process.exit(2);
}
