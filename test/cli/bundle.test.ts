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

test('the bundle alone: no target in a terminal starts the embedded demo app, and its temp copy is removed on quit', {skip: existsSync('/usr/bin/script') ? false : 'needs script(1) for a pseudo-terminal'}, async () => {
	// TMPDIR of its own, to see exactly what the bundle writes there and that it is gone afterwards.
	const tmp = join(dir, 'tmp');
	mkdirSync(tmp);
	// wide enough for the status bar to show the whole target path
	const child = spawn('/usr/bin/script', ['-qec', `stty cols 250 rows 40; '${process.execPath}' heaptop.mjs --snapshot-every 0`, '/dev/null'], {
		cwd: dir,
		env: {...process.env, TMPDIR: tmp, NO_COLOR: '1', TERM: 'xterm'},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout.on('data', d => (out += d));
	child.stderr.on('data', d => (out += d));
	const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
	const deadline = Date.now() + 20_000;
	// the status bar names the target: the demo, written into TMPDIR
	const shown = /heaptop-demo-\w+\/demo-app\.mjs/;
	while (!shown.test(out) && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
	const lastLines = () => out.slice(-600).replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');
	try {
		assert.match(out, shown, `no demo in the live view:\n${lastLines()}`);
		const written = readdirSync(tmp).filter(name => name.startsWith('heaptop-demo-'));
		assert.equal(written.length, 1, readdirSync(tmp).join(', '));
		child.stdin.write('q');
		const code = await Promise.race([exited, new Promise<'hung'>(r => setTimeout(() => r('hung'), 10_000))]);
		assert.equal(code, 0, `quit: ${code}\n${lastLines()}`);
		assert.deepEqual(readdirSync(tmp).filter(name => name.startsWith('heaptop-demo-')), [], 'the demo copy is removed on exit');
	} finally {
		child.kill('SIGKILL');
	}
});
