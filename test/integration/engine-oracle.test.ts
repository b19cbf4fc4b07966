/**
 * The engine on a real heap, against DevTools' own heap-snapshot worker (heap-snapshot-toolkit): a child
 * process builds one distinctively named instance set of each classic leak (test/fixtures/engine-leaks.cjs)
 * and writes a snapshot; heaptop's class counts, shallow sizes and retained sizes must equal DevTools',
 * and each leak's representative path must name the fixture's variable and get the right hint.
 */
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {createReadStream, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {fileURLToPath} from 'node:url';
import {parse} from 'heap-snapshot-toolkit';
import {graphFromJson} from '../helpers/reference-loader.js';
import {analyzeGraph, type SnapshotAnalysis} from '../../src/snapshot/index.js';
import type {EngineSummary} from '../../src/snapshot/summary.js';

const fixture = fileURLToPath(new URL('../fixtures/engine-leaks.cjs', import.meta.url));
const LEAK_COUNT = 300;
let dir: string;
let file: string;
let analysis: SnapshotAnalysis;
let summary: EngineSummary;

before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'heaptop-engine-'));
	file = join(dir, 'leaks.heapsnapshot');
	await promisify(execFile)(process.execPath, [fixture, file], {env: {...process.env, HEAPTOP_LEAK_COUNT: String(LEAK_COUNT)}});
	analysis = analyzeGraph(graphFromJson(readFileSync(file, 'utf8')));
	summary = analysis.summary({});
});

after(() => rmSync(dir, {recursive: true, force: true}));

const leaks = [
	{name: 'HeaptopCacheLeak', hint: 'cache', mentions: ['cache (Map)', '[(string)] HeaptopCacheLeak']},
	{name: 'HeaptopListenerLeak', hint: 'listener', mentions: ["of 'heaptop-evt' onHeaptopEvent", 'bus (EventEmitter)', 'leak (HeaptopListenerLeak)']},
	{name: 'HeaptopTimerLeak', hint: 'timer', mentions: ['setInterval(60000 ms) callback heaptopTick', 'held (Array)']},
	{name: 'HeaptopClosureLeak', hint: 'closure', mentions: ['callbacks (Array)', 'captured (HeaptopClosureLeak)']},
	{name: 'HeaptopStreamChunk', hint: 'stream', mentions: ['stream (Readable)', '_readableState (ReadableState)']},
] as const;

for (const leak of leaks) {
	test(`${leak.name}: every instance counted, its path names the fixture's variable, hint "${leak.hint}"`, () => {
		const row = summary.classes.find(c => c.name === leak.name);
		assert.ok(row, `${leak.name} is in the summary`);
		assert.equal(row.count, LEAK_COUNT);
		const retainers = analysis.classRetainers(leak.name)!;
		assert.equal(retainers.examined, Math.min(LEAK_COUNT, 200));
		const top = retainers.clusters[0]!;
		assert.ok(top.count >= retainers.examined * 0.9, `one path shape dominates: ${retainers.clusters.map(c => `${c.count}× ${c.text}`).join(' | ')}`);
		for (const text of leak.mentions) assert.ok(top.text.includes(text), `"${top.text}" mentions ${text}`);
		assert.ok(top.text.includes('engine-leaks.cjs'), 'closure locations resolve to the fixture file');
		assert.equal(top.hint, leak.hint);
		assert.equal(retainers.hint, leak.hint);
		assert.equal(top.steps.at(-1)!.node, leak.name);
	});
}

test('class counts, shallow sizes and retained sizes equal DevTools (heap-snapshot-toolkit) for every class', async () => {
	const snapshot = await parse(createReadStream(file, 'utf-8'));
	const aggregates = (snapshot as unknown as {aggregatesWithFilter(filter: object): Record<string, {name: string; count: number; self: number; maxRet: number}>})
		.aggregatesWithFilter({});
	// DevTools splits same-named constructors by location into rows; heaptop keys rows by name. And
	// DevTools prefixes native nodes V8 marks detached with "Detached " (HeapGraph carries no
	// detachedness), so those rows are compared under the plain name.
	const devtools = new Map<string, {count: number; self: number; retained: number}>();
	for (const a of Object.values(aggregates)) {
		const name = a.name.replace(/^Detached /, '');
		const row = devtools.get(name) ?? {count: 0, self: 0, retained: 0};
		row.count += a.count;
		row.self += a.self;
		row.retained += a.maxRet;
		devtools.set(name, row);
	}
	const ours = new Map(summary.classes.map(c => [c.name, c]));
	assert.deepEqual([...ours.keys()].sort(), [...devtools.keys()].sort(), 'the same class names');
	for (const [name, expected] of devtools) {
		const row = ours.get(name)!;
		assert.deepEqual({count: row.count, self: row.selfSize, retained: row.retainedSize}, expected, name);
	}
	assert.equal(summary.totalSize + analysis.graph.extraNativeBytes, (snapshot as unknown as {totalSize: number}).totalSize);
	// Spot-check single objects too: the root's retained size is everything.
	assert.equal(analysis.dominators().retainedSize[0], summary.totalSize);
});
