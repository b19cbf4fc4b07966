/**
 * Heap contents are secrets: reports, path labels, the TUI and heaptop's logs show class and property
 * names, never string values from the heap. The target (fixtures/targets/secret-holder.js) keeps one
 * random secret as Map keys, property values, a RegExp source, a closure variable and a Symbol
 * description, and leaks a class whose retaining path runs through that Map — so every report below
 * has to describe paths that pass right by the secret.
 *
 * Each check also proves it could fail: the raw snapshots do contain the secret.
 */
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {once} from 'node:events';
import {runCli} from '../helpers/run-cli.js';
import {TARGETS_DIR} from '../helpers/spawn-target.js';
import {EngineClient} from '../../src/pipeline/engine-client.js';
import {reducer} from '../../src/session/reducer.js';
import type {Action} from '../../src/session/actions.js';
import type {ClassRetainers, PathStep} from '../../src/model/types.js';
import {busyState} from '../ui/fixtures/app-state.js';
import {mount} from '../ui/mount.js';

const SUFFIX = randomBytes(12).toString('hex');
const SECRET = `sk_live_HEAPTOP_SECRET_${SUFFIX}`;
const FIXTURE = join(TARGETS_DIR, 'secret-holder.js');
const env = {SECRET_SUFFIX: SUFFIX};

/** Fails naming where the secret (or any piece of it) showed up. */
function assertNoSecret(text: string, where: string): void {
	for (const piece of [SUFFIX, 'HEAPTOP_SECRET']) {
		const at = text.indexOf(piece);
		assert.equal(at, -1, `${where} shows the secret: …${text.slice(Math.max(0, at - 120), at + 60)}…`);
	}
}

let work: string;
let snapshots: string[];

before(async () => {
	work = mkdtempSync(join(tmpdir(), 'heaptop-secrets-'));
	const dir = join(work, 'written');
	mkdirSync(dir);
	const child = spawn(process.execPath, [FIXTURE], {env: {...process.env, ...env, SNAPSHOT_DIR: dir}, stdio: ['ignore', 'pipe', 'inherit']});
	let out = '';
	child.stdout.on('data', d => (out += d));
	const [code] = await once(child, 'exit');
	assert.equal(code, 0, out);
	snapshots = ['s1', 's2', 's3'].map(name => join(dir, `${name}.heapsnapshot`));
	// the test can fail: the secret really is in the heap
	assert.ok(readFileSync(snapshots[2]!, 'utf8').includes(SECRET), 'the raw snapshot holds the secret');
});

after(() => {
	if (work) rmSync(work, {recursive: true, force: true});
});

test('analyze (text and JSON) of snapshots full of a secret reports the leak without the secret', async () => {
	const text = await runCli(['analyze', ...snapshots], {timeoutMs: 60_000});
	assert.equal(text.code, 1, text.stderr);
	assertNoSecret(text.stdout + text.stderr, 'analyze');
	// the report does describe the path through the secret-keyed Map
	assert.match(text.stdout, /vault \(Map\) in module scope of secret-holder\.js › \[\(string\)\] Credential/);

	const json = await runCli(['analyze', '--json', ...snapshots], {timeoutMs: 60_000});
	assert.equal(json.code, 1, json.stderr);
	assertNoSecret(json.stdout + json.stderr, 'analyze --json');
	const report = JSON.parse(json.stdout) as {growing: Array<{name: string; retainingPath: Array<{node: string}>}>};
	const names = report.growing.map(g => g.name);
	assert.ok(names.includes('Credential') && names.includes('RegExp'), names.join(', '));
	// a RegExp step reads as its class, not as its source
	const regexpPath = report.growing.find(g => g.name === 'RegExp')!.retainingPath;
	assert.equal(regexpPath.at(-1)?.node, 'RegExp');

	const single = await runCli(['analyze', snapshots[2]!], {timeoutMs: 60_000});
	assert.equal(single.code, 0, single.stderr);
	assertNoSecret(single.stdout + single.stderr, 'analyze of one file');
});

test('the retainers screen and the "who holds this" drill, fed by the real engine, never draw the secret', async () => {
	const engine = new EngineClient();
	try {
		await engine.parseFile(snapshots[2]!, {generationBoundaries: [], retained: true});
		const byClass = new Map<string, ClassRetainers>();
		for (const name of ['Credential', 'RegExp', '(string)', '(concatenated string)', 'Map']) {
			const found = await engine.classRetainers(name);
			assert.ok(found, name);
			byClass.set(name, found);
		}
		const credential = byClass.get('Credential')!;
		assert.match(credential.clusters[0]!.text, /vault \(Map\).*\[\(string\)\] Credential/);
		// Drill into every step of the top path (the Map, its string-keyed entry, the Credential):
		const drills = new Map<number, {label: string; paths: PathStep[][]}>();
		for (const step of credential.clusters[0]!.steps) drills.set(step.nodeId, {label: step.label, paths: await engine.nodeRetainers(step.nodeId)});
		const stringStep = byClass.get('(string)')!.clusters[0]!.steps.at(-1)!;
		drills.set(stringStep.nodeId, {label: stringStep.label, paths: await engine.nodeRetainers(stringStep.nodeId)});
		// everything the engine hands to the UI, not only what fits on screen
		assertNoSecret(JSON.stringify([...byClass.values()]), 'classRetainers');
		assertNoSecret(JSON.stringify([...drills.values()]), 'nodeRetainers');

		const size = {columns: 200, rows: 50};
		for (const [name, retainers] of byClass) {
			const actions: Action[] = [{type: 'retainersRequested', className: name}, {type: 'retainersLoaded', retainers}];
			const state = actions.reduce(reducer, busyState(20));
			const app = mount(state, size);
			try {
				await app.term.waitFor(f => f.includes(`Retainers of ${name}`), 5000, `the retainers screen of ${name}`);
				assertNoSecret(app.term.allFrames().join(''), `the retainers screen of ${name}`);
			} finally {
				app.unmount();
			}
		}
		for (const [nodeId, drill] of drills) {
			const actions: Action[] = [
				{type: 'retainersRequested', className: 'Credential'},
				{type: 'retainersLoaded', retainers: credential},
				{type: 'nodeDrillOpened', nodeId, label: drill.label},
				{type: 'nodeRetainersLoaded', nodeId, paths: drill.paths},
			];
			const app = mount(actions.reduce(reducer, busyState(20)), size);
			try {
				await app.term.waitFor(f => f.includes('Who holds'), 5000, `the drill into ${drill.label}`);
				assertNoSecret(app.term.allFrames().join(''), `the drill into ${drill.label}`);
			} finally {
				app.unmount();
			}
		}
	} finally {
		await engine.close();
	}
});

/** The owner-only modes --save-snapshots promises: files 0600 in a 0700 folder. */
function assertPrivate(dir: string): string[] {
	assert.equal(statSync(dir).mode & 0o777, 0o700, `${dir} is not 0700`);
	const files = readdirSync(dir).map(name => join(dir, name));
	assert.ok(files.length > 0, `nothing saved in ${dir}`);
	for (const file of files) assert.equal(statSync(file).mode & 0o777, 0o600, `${file} is not 0600`);
	return files;
}

/** Symbol descriptions are numbered in redacted files; everything else about a class must match. */
function classRows(classes: Array<{name: string; count: number; selfSize: number; retainedSize: number}>): string[] {
	return classes.map(c => `${c.name.replace(/<symbol [^>]*>/g, '<symbol>')} ${c.count} ${c.selfSize} ${c.retainedSize}`).sort();
}

test('check on a live target: JSON, text and logs without the secret; --redact files lose it, keep the classes, and are 0600 in 0700', async () => {
	const redactedDir = join(work, 'redacted');
	const rawDir = join(work, 'raw');
	const watch = ['--duration', '10s', '--snapshot-every', '1s', '--max-pause-share', '1'];
	const [json, text] = await Promise.all([
		runCli(['check', '--json', ...watch, '--save-snapshots', redactedDir, '--redact', '--', process.execPath, FIXTURE], {env, timeoutMs: 120_000}),
		runCli(['check', ...watch, '--save-snapshots', rawDir, '--', process.execPath, FIXTURE], {env, timeoutMs: 120_000}),
	]);
	assert.notEqual(json.code, 2, json.stderr);
	assert.notEqual(text.code, 2, text.stderr);
	assertNoSecret(json.stdout, 'check --json');
	assertNoSecret(json.stderr, 'check --json (stderr)');
	assertNoSecret(text.stdout, 'check (text report)');
	assertNoSecret(text.stderr, 'check (stderr)');

	const report = JSON.parse(json.stdout) as {
		snapshots: Array<{file: string | null}>;
		classes: Array<{name: string; count: number; selfSize: number; retainedSize: number}>;
	};
	assert.ok(report.snapshots.length >= 1, 'at least one snapshot was taken');
	assert.ok(report.classes.some(c => c.name === 'Credential'), 'the report comes from a heap holding the secret');

	// --redact: no secret in any file, each still a snapshot the engine reads to the same classes.
	const redacted = assertPrivate(redactedDir);
	for (const file of redacted) assertNoSecret(readFileSync(file, 'utf8'), `the redacted ${file}`);
	const last = report.snapshots.at(-1)!.file;
	assert.ok(last && redacted.includes(last), `the report names the saved file (${last})`);
	const reread = await runCli(['analyze', '--json', last], {timeoutMs: 60_000});
	assert.equal(reread.code, 0, reread.stderr);
	assert.deepEqual(classRows(JSON.parse(reread.stdout).classes), classRows(report.classes));

	// Without --redact the files are the raw heap (secret included): private modes are what protects them.
	const raw = assertPrivate(rawDir);
	assert.ok(raw.some(file => readFileSync(file, 'utf8').includes(SECRET)), 'raw snapshots keep string values');
});
