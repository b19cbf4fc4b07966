#!/usr/bin/env node
// Runs every test file with Node's own test runner (TypeScript through tsx), unit and UI tests first,
// then the tests that spawn real Node processes, one file at a time. Ends with one plain line,
// "N passed, N failed", so any CI log reader can find the counts.
//
//   node test/run.mjs                 all tests
//   node test/run.mjs unit ui         only these folders under test/
//   node test/run.mjs path/to/x.test.ts
import {spawn} from 'node:child_process';
import {readdirSync, statSync, existsSync} from 'node:fs';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const order = ['unit', 'ui', 'cli', 'integration', 'e2e'];

function findTests(dir) {
	const out = [];
	for (const name of readdirSync(dir).sort()) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) out.push(...findTests(path));
		else if (/\.test\.tsx?$/.test(name)) out.push(path);
	}
	return out;
}

const args = process.argv.slice(2);
let files = [];
if (args.length === 0) {
	for (const folder of order) {
		const dir = join(root, 'test', folder);
		if (existsSync(dir)) files.push(...findTests(dir));
	}
} else {
	for (const arg of args) {
		const dir = join(root, 'test', arg);
		if (existsSync(dir) && statSync(dir).isDirectory()) files.push(...findTests(dir));
		else files.push(arg);
	}
}
files = files.map(f => relative(root, f));

const child = spawn(process.execPath, [
	'--import', 'tsx',
	'--test',
	'--test-concurrency=1',
	'--test-reporter=spec',
	...files,
], {cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: {...process.env, FORCE_COLOR: '0', NO_COLOR: '1'}});

let tail = '';
child.stdout.on('data', chunk => {
	process.stdout.write(chunk);
	tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', code => {
	const count = name => Number((tail.match(new RegExp(`ℹ ${name} (\\d+)`)) ?? [])[1] ?? 0);
	const passed = count('pass');
	const failed = count('fail') + count('cancelled');
	const skipped = count('skipped');
	console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
	process.exit(code === 0 && failed === 0 ? 0 : 1);
});
