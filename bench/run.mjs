#!/usr/bin/env node
// `npm run bench`: the parse benchmark on the 50 MB and 250 MB snapshots (generated when missing; --big
// adds 1 GB and 2 GB, which need ~10 GB of RAM to generate and several minutes), then the target
// overhead benchmark. Prints every table and ratio; raw results go to bench/results/.
//
//   npm run bench [-- --big] [--runs N] [--mode full|parse|agg] [--no-overhead] [--no-parse] [--duration S]
import {parseArgs} from 'node:util';
import {runParseBench} from './parse.mjs';
import {runOverheadBench} from './overhead.mjs';

const {values} = parseArgs({
	options: {
		big: {type: 'boolean', default: false},
		runs: {type: 'string'},
		mode: {type: 'string', default: 'full'},
		duration: {type: 'string', default: '10'},
		'no-parse': {type: 'boolean', default: false},
		'no-overhead': {type: 'boolean', default: false},
	},
});

try {
	if (!values['no-parse']) {
		const sizes = values.big ? '50,250,1000,2000' : '50,250';
		console.log(`== parse: heaptop analyze vs memlab (${values.mode}) vs byte-scan floor, sizes ${sizes} MB ==\n`);
		await runParseBench(['--sizes', sizes, '--mode', values.mode, '--runs', values.runs ?? '3']);
	}
	if (!values['no-overhead']) {
		console.log('\n== overhead: what watching costs a busy server ==\n');
		await runOverheadBench(['--duration', values.duration, '--runs', values.runs ?? '3']);
	}
} catch (err) {
	console.error(`bench: ${err.message}`);
	process.exit(2);
}
