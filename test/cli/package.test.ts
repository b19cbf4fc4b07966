/**
 * `npx heaptop` / `npm install heaptop`: the packed tarball (package.json `files` and `bin`) installs
 * into an empty project and runs — version, and a short check whose snapshot engine worker is
 * started from the installed dist/. Installed with --offline: the dependencies come from this
 * machine's npm cache (filled by the project's own install); if they are not there the test is
 * skipped with the reason rather than reaching the registry.
 *
 * `npm pack --ignore-scripts` packs dist/ as built (the test script builds first) without running
 * `prepare` (tsc) a second time.
 */
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {ROOT, runCli} from '../helpers/run-cli.js';
import {HELP} from '../../src/help.js';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {name: string; version: string};

let dir: string;
let installed: string | null = null;
let skipReason: string | null = null;

before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'heaptop-pack-'));
	const {stdout} = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {cwd: ROOT, maxBuffer: 16 << 20});
	const [packed] = JSON.parse(stdout) as Array<{filename: string; files: Array<{path: string}>}>;
	const tarball = join(dir, packed!.filename);
	const files = packed!.files.map(f => f.path);
	// what the bin needs must be in the tarball (the shim, the built CLI and its two worker scripts)
	for (const needed of ['bin/heaptop.js', 'dist/cli.js', 'dist/worker.js', 'dist/edge-section-worker.js', 'examples/demo-app.js', 'package.json']) {
		assert.ok(files.includes(needed), `${needed} missing from the package`);
	}
	const project = join(dir, 'project');
	mkdirSync(project);
	writeFileSync(join(project, 'package.json'), JSON.stringify({name: 'try-heaptop', version: '1.0.0', private: true}));
	try {
		await run(npm, ['install', '--offline', '--no-audit', '--no-fund', tarball], {cwd: project, maxBuffer: 16 << 20});
		installed = join(project, 'node_modules', '.bin', 'heaptop');
	} catch (error) {
		const text = String((error as {stderr?: string}).stderr ?? error);
		if (/ENOTCACHED|offline/i.test(text)) skipReason = `dependencies not in the npm cache, offline install impossible: ${text.split('\n').find(l => /ENOTCACHED|offline/i.test(l))}`;
		else throw error;
	}
});

after(() => {
	if (dir) rmSync(dir, {recursive: true, force: true});
});

test('the packed package installs offline and node_modules/.bin/heaptop runs: --version, --help', async t => {
	if (skipReason) return t.skip(skipReason);
	assert.ok(installed && existsSync(installed));
	const version = await runCli(['--version'], {bin: installed, cwd: dir});
	assert.equal(version.code, 0, version.stderr);
	assert.equal(version.stdout.trim(), pkg.version);
	const help = await runCli(['--help'], {bin: installed, cwd: dir});
	assert.equal(help.code, 0, help.stderr);
	assert.equal(help.stdout.trim(), HELP.trim());
});

test('the installed heaptop runs a short check (engine worker from the installed dist/)', async t => {
	if (skipReason) return t.skip(skipReason);
	copyFileSync(join(ROOT, 'test/fixtures/leaks/cache-leak.js'), join(dir, 'cache-leak.js'));
	const r = await runCli(['check', '--json', '--duration', '4s', '--snapshot-every', '1s', '--max-pause-share', '1', '--', process.execPath, 'cache-leak.js'], {bin: installed!, cwd: dir, timeoutMs: 60_000});
	assert.notEqual(r.code, 2, r.stderr);
	const report = JSON.parse(r.stdout) as {snapshots: unknown[]; classes: Array<{name: string}>};
	assert.ok(report.snapshots.length >= 1, r.stderr);
	assert.ok(report.classes.some(c => c.name === 'CachedSession'));
});
