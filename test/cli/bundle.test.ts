/**
 * The one-file bundle (`npm run bundle` → dist/heaptop.mjs) is what gets copied onto a production
 * host: it must work alone in a folder with no node_modules and no package.json — help, version,
 * check (which starts the snapshot engine as a worker from the bundle file itself), analyze, and the
 * demo app, whose source travels inside the bundle.
 *
 * The bundle is built from the current sources straight into an empty temp folder (esbuild: ~1 s of
 * CPU), so the test never runs a stale dist/heaptop.mjs.
 */
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {promisify} from 'node:util';
import {ROOT, runCli} from '../helpers/run-cli.js';
import {HELP} from '../../src/help.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string};
let dir: string;
let bundle: string;

before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'heaptop-bundle-'));
	bundle = join(dir, 'heaptop.mjs');
	await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/bundle.mjs'), '--outfile', bundle], {cwd: ROOT});
	copyFileSync(join(ROOT, 'test/fixtures/leaks/cache-leak.js'), join(dir, 'cache-leak.js'));
	// Nothing the bundle could lean on: no package.json or node_modules here or in any parent folder.
	for (let d = dir; ; d = dirname(d)) {
		assert.ok(!existsSync(join(d, 'node_modules')) && !existsSync(join(d, 'package.json')), `${d} has node_modules or package.json`);
		if (dirname(d) === d) break;
	}
});

after(() => {
	if (dir) rmSync(dir, {recursive: true, force: true});
});

const inDir = (args: string[], timeoutMs = 30_000) => runCli(args, {bin: bundle, cwd: dir, timeoutMs});

test('the bundle alone: --help and --version', async () => {
	assert.deepEqual(readdirSync(dir).sort(), ['cache-leak.js', 'heaptop.mjs']);
	const help = await inDir(['--help']);
	assert.equal(help.code, 0, help.stderr);
	assert.equal(help.stdout.trim(), HELP.trim());
	const version = await inDir(['--version']);
	assert.equal(version.code, 0, version.stderr);
	assert.equal(version.stdout.trim(), pkg.version);
});

test('the bundle alone: check --json on a leaking app (engine worker from the bundle file), then analyze its saved snapshots', async () => {
	const r = await inDir(['check', '--json', '--duration', '8s', '--snapshot-every', '3s', '--max-pause-share', '1', '--save-snapshots', 'snaps', '--', 'node', 'cache-leak.js'], 60_000);
	assert.notEqual(r.code, 2, r.stderr);
	const report = JSON.parse(r.stdout) as {samples: unknown[]; snapshots: Array<{file: string}>; classes: Array<{name: string; count: number}>};
	assert.ok(report.samples.length >= 3, `${report.samples.length} samples`);
	assert.ok(report.snapshots.length >= 1, r.stderr);
	// the snapshot was parsed by the engine worker: the leaking class is counted
	assert.ok((report.classes.find(c => c.name === 'CachedSession')?.count ?? 0) > 0, JSON.stringify(report.classes.slice(0, 15)));

	const files = readdirSync(join(dir, 'snaps')).map(name => join('snaps', name)).sort();
	assert.equal(files.length, report.snapshots.length);
	const analyzed = await inDir(['analyze', '--json', ...files], 60_000);
	assert.notEqual(analyzed.code, 2, analyzed.stderr);
	const offline = JSON.parse(analyzed.stdout) as {snapshots: unknown[]; classes: Array<{name: string}>};
	assert.equal(offline.snapshots.length, files.length);
	assert.ok(offline.classes.some(c => c.name === 'CachedSession'));
});

const HAS_SCRIPT = existsSync('/usr/bin/script');
const NEEDS_PTY = HAS_SCRIPT ? false : 'needs script(1) for a pseudo-terminal';

interface PtyRun {
	/** everything the terminal received so far */
	output(): string;
	/** resolves once the output matches, rejects (with the last screen) after the deadline */
	waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
	type(keys: string): void;
	exited: Promise<number | null>;
	kill(): void;
}

/** Runs a shell command line in a pseudo-terminal (script(1)) of 250×40 in the bundle's folder. */
function inPty(commandLine: string, env: NodeJS.ProcessEnv = {}): PtyRun {
	const child = spawn('/usr/bin/script', ['-qec', `stty cols 250 rows 40; ${commandLine}`, '/dev/null'], {
		cwd: dir,
		env: {...process.env, TERM: 'xterm', ...env},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout.on('data', d => (out += d));
	child.stderr.on('data', d => (out += d));
	const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
	const screen = () => out.slice(-800).replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');
	return {
		output: () => out,
		async waitFor(pattern, timeoutMs = 20_000) {
			const deadline = Date.now() + timeoutMs;
			while (!pattern.test(out) && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
			assert.match(out, pattern, `waited for ${pattern}; the terminal shows:\n${screen()}`);
		},
		type: keys => void child.stdin.write(keys),
		exited: Promise.race([exited, new Promise<null>((_, reject) => setTimeout(() => reject(new Error(`${commandLine} did not exit:\n${screen()}`)), 45_000).unref())]),
		kill: () => void child.kill('SIGKILL'),
	};
}

const node = `'${process.execPath}'`;

test('the bundle alone: no target in a terminal starts the embedded demo app (DEV=true set), and its temp copy is removed on quit', {skip: NEEDS_PTY}, async () => {
	// TMPDIR of its own, to see exactly what the bundle writes there and that it is gone afterwards.
	const tmp = join(dir, 'tmp');
	mkdirSync(tmp);
	// DEV=true (Ink's devtools switch, a common variable on hosts) must not make the bundle look for files
	const run = inPty(`${node} heaptop.mjs --snapshot-every 0`, {TMPDIR: tmp, NO_COLOR: '1', DEV: 'true'});
	try {
		// the status bar names the target: the demo, written into TMPDIR
		await run.waitFor(/heaptop-demo-\w+\/demo-app\.mjs/);
		assert.equal(readdirSync(tmp).filter(name => name.startsWith('heaptop-demo-')).length, 1, readdirSync(tmp).join(', '));
		run.type('q');
		assert.equal(await run.exited, 0);
		assert.deepEqual(readdirSync(tmp).filter(name => name.startsWith('heaptop-demo-')), [], 'the demo copy is removed on exit');
	} finally {
		run.kill();
	}
});

/** SGR sequences that set a foreground or background colour. */
function colourCodes(raw: string): string[] {
	const found: string[] = [];
	for (const match of raw.matchAll(/\x1b\[([0-9;]*)m/g)) {
		const params = match[1]!.split(';').filter(Boolean).map(Number);
		if (params.some(p => (p >= 30 && p <= 49) || (p >= 90 && p <= 107))) found.push(match[0]);
	}
	return found;
}

test('the bundle alone in a terminal: coloured by default, not one colour escape with NO_COLOR or --no-color', {skip: NEEDS_PTY}, async () => {
	const live = `${node} heaptop.mjs --snapshot-every 0 -- node cache-leak.js`;
	const runs = {
		default: inPty(live, {NO_COLOR: undefined, FORCE_COLOR: undefined}),
		NO_COLOR: inPty(live, {NO_COLOR: '1', FORCE_COLOR: undefined}),
		'--no-color': inPty(`${live.replace('heaptop.mjs', 'heaptop.mjs --no-color')}`, {NO_COLOR: undefined, FORCE_COLOR: undefined}),
	};
	try {
		// a few samples in: charts, status bar and heap line have all been drawn
		await Promise.all(Object.values(runs).map(run => run.waitFor(/watching 3 s/)));
		for (const run of Object.values(runs)) run.type('q');
		for (const [name, run] of Object.entries(runs)) assert.equal(await run.exited, 0, name);
		assert.ok(colourCodes(runs.default.output()).length > 0, 'colours by default (else the checks below prove nothing)');
		assert.deepEqual(colourCodes(runs.NO_COLOR.output()), [], 'NO_COLOR');
		assert.deepEqual(colourCodes(runs['--no-color'].output()), [], '--no-color');
	} finally {
		for (const run of Object.values(runs)) run.kill();
	}
});

test('the bundle alone: the live view with stdout piped (stdin a terminal) says it needs a terminal and points to check', {skip: NEEDS_PTY}, async () => {
	const run = inPty(`${node} heaptop.mjs 9229 | cat`);
	try {
		await run.exited;
		assert.match(run.output(), /heaptop: the live view needs a terminal\. In scripts and CI use: heaptop check/);
		assert.doesNotMatch(run.output(), /\x1b\[\?1049h/, 'the alternate screen was not entered');
	} finally {
		run.kill();
	}
});
