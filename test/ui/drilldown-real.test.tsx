/**
 * The drill-down screens fed with real engine output, not hand-made fixtures: a leak fixture writes
 * three heap snapshots of itself, the engine parses and analyses them (summaries with generations,
 * growth ranking, retaining paths of the top class, holders of one path step), the results go into an
 * AppState through the store's own actions, and the app is rendered on a 100×30 fake terminal and
 * driven with keys: growth table → Enter on the top row → its retaining paths and the cause hint →
 * a path step → Enter asks for that object's holders.
 */
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {ClassRetainers, GrowthCandidate, SnapshotSummary} from '../../src/model/types.js';
import type {Action} from '../../src/session/actions.js';
import {reducer} from '../../src/session/reducer.js';
import {initialState} from '../../src/session/state.js';
import {parseSnapshotFile} from '../../src/snapshot/read-file.js';
import {analyzeGraph, type SnapshotAnalysis} from '../../src/snapshot/index.js';
import {rankGrowth} from '../../src/analysis/growth.js';
import {KEYS} from '../helpers/render.js';
import {samples, target} from './fixtures/app-state.js';
import {frameProblems, mount} from './mount.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SIZE = {columns: 100, rows: 30};
const SNAPSHOTS = 3;

let dir = '';
let summaries: SnapshotSummary[] = [];
let candidates: GrowthCandidate[] = [];
let latest: SnapshotAnalysis;
let topRetainers: ClassRetainers;

/** Runs the cache-leak fixture with the snapshot-writing preload until it has written SNAPSHOTS files. */
function writeSnapshots(into: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['-r', join(ROOT, 'test/helpers/e2e-write-snapshots.cjs'), join(ROOT, 'test/fixtures/leaks/cache-leak.js')], {
			env: {...process.env, HEAPTOP_SNAPSHOT_DIR: into, HEAPTOP_SNAPSHOT_COUNT: String(SNAPSHOTS), HEAPTOP_SNAPSHOT_EVERY_MS: '1200'},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', d => (output += d));
		child.stderr.on('data', d => (output += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
		child.on('close', code => {
			clearTimeout(timer);
			if (code === 0 && output.includes('snapshots written')) resolve();
			else reject(new Error(`the fixture did not write its snapshots (exit ${code}): ${output}`));
		});
	});
}

before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'heaptop-drill-'));
	await writeSnapshots(dir);
	const boundaries: number[] = [];
	for (let seq = 0; seq < SNAPSHOTS; seq++) {
		const file = join(dir, `${seq + 1}.heapsnapshot`);
		const analysis = analyzeGraph(parseSnapshotFile(file));
		const summary = analysis.summary({generationBoundaries: [...boundaries], retained: true});
		summaries.push({...summary, seq, t: seq * 1200, file: null, captureMs: 100, parseMs: 100});
		boundaries.push(summary.maxNodeId);
		latest = analysis;
	}
	candidates = rankGrowth(summaries).candidates;
	const found = latest.classRetainers(candidates[0]!.name);
	assert.ok(found, 'the engine explains the top class');
	topRetainers = found;
});

after(() => {
	if (dir) rmSync(dir, {recursive: true, force: true});
});

test('real engine output: the top growing class opens its retaining paths with the hint, and a step drills into its holders', async () => {
	// what the engine found, before any UI: the cache leak, explained
	assert.equal(candidates[0]!.name, 'CachedSession');
	assert.equal(topRetainers.hint, 'cache');
	const path = topRetainers.clusters[0]!.steps;
	assert.ok(path.some(step => step.edge === 'sessionCache'), path.map(s => s.label).join(' › '));

	// the store, as the session would fill it
	const actions: Action[] = [{type: 'attached', target}];
	for (const sample of samples(30)) actions.push({type: 'sampleReceived', sample});
	for (const summary of summaries) actions.push({type: 'snapshotCompleted', summary});
	actions.push({type: 'growthUpdated', candidates, verdict: 'leak'});
	const app = mount(actions.reduce(reducer, initialState()), SIZE);
	try {
		await app.term.waitFor(f => f.includes('Heap'), 5000, 'the overview');
		app.term.press('2');
		await app.term.waitFor(f => f.includes('› CachedSession'), 5000, 'the growth table with CachedSession selected');
		app.term.press(KEYS.enter);
		await app.term.waitFor(f => f.includes('Retainers of CachedSession'), 5000, 'the retainers screen');
		assert.deepEqual(app.intents, [{type: 'requestRetainers', className: 'CachedSession'}]);

		// the session answers with the engine's paths
		app.store.dispatch({type: 'retainersLoaded', retainers: topRetainers});
		const frame = await app.term.waitFor(f => f.includes('Path 1 of'), 5000, 'the retaining path');
		assert.deepEqual(frameProblems(frame, SIZE), []);
		assert.match(frame, /sessionCache \(Map\)/, 'the path names the fixture\'s variable');
		assert.match(frame, /^› +\d+ ↳ .*CachedSession$/m, 'the path ends at the object, selected');
		assert.match(frame, /cache \/ collection: /, 'the hint');
		assert.ok(frame.includes(topRetainers.advice.slice(0, 30)), `the advice: ${topRetainers.advice}`);
		for (const step of path.slice(1)) assert.ok(frame.includes(step.label.slice(0, 20)), `step "${step.label}" is drawn`);

		// up to the step before the object, Enter: who holds it?
		app.term.press(KEYS.up);
		const holder = path[path.length - 2]!;
		await app.term.waitFor(f => f.split('\n').some(line => line.startsWith('›') && line.includes(holder.label.slice(0, 20))), 5000, `step "${holder.label}" selected`);
		app.term.press(KEYS.enter);
		await app.term.waitFor(f => f.includes('Who holds'), 5000, 'the drill');
		assert.deepEqual(app.intents.at(-1), {type: 'requestNodeRetainers', nodeId: holder.nodeId});

		const holders = latest.nodeRetainers(holder.nodeId);
		assert.ok(holders.length > 0, 'the engine finds who holds the step\'s object');
		app.store.dispatch({type: 'nodeRetainersLoaded', nodeId: holder.nodeId, paths: holders});
		const drill = await app.term.waitFor(f => f.includes('Who holds') && !f.includes('looking up'), 5000, 'the holders');
		assert.deepEqual(frameProblems(drill, SIZE), []);
		const direct = holders[0]!.at(-2)!;
		assert.ok(drill.includes(direct.label.slice(0, 20)), `the direct holder "${direct.label}" is drawn`);
	} finally {
		app.unmount();
	}
});
