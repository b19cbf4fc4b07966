import {test} from 'node:test';
import assert from 'node:assert/strict';
import {reducer} from '../../src/session/reducer.js';
import {initialState, type AppState} from '../../src/session/state.js';
import type {Action} from '../../src/session/actions.js';
import {busyState, retainers, target, samples} from './fixtures/app-state.js';
import {frameProblems, mount} from './mount.js';

const SIZES = [{columns: 80, rows: 24}, {columns: 200, rows: 50}];
const run = (state: AppState, ...actions: Action[]) => actions.reduce(reducer, state);

async function show(state: AppState, size: {columns: number; rows: number}, ready: (frame: string) => boolean, what: string): Promise<string> {
	const app = mount(state, size);
	try {
		const frame = await app.term.waitFor(ready, 3000, what);
		assert.deepEqual(frameProblems(frame, size), [], frame);
		return frame;
	} finally {
		app.unmount();
	}
}

for (const size of SIZES) {
	const at = `${size.columns}×${size.rows}`;

	test(`overview at ${at}: three charts, current values, trend, countdown, table and status line`, async () => {
		const frame = await show(busyState(), size, f => f.includes('GC pause'), 'the overview');
		for (const text of ['heaptop', 'pid 48213', 'node v20.20.2', '127.0.0.1:9229', 'LIVE', 'Heap', 'used 77.7 MB', 'total 86.0 MB',
			'RSS 140 MB', 'outside JS heap 54.0 MB', 'GC pause per interval', 'growing +3.0 MB/min', 'next snapshot in 12 s', '4 snapshots', 'q quit']) {
			assert.ok(frame.includes(text), `"${text}" missing from\n${frame}`);
		}
		assert.ok(frame.includes('limit in ~22h 13m'), frame);
		const lines = frame.split('\n');
		const axisLines = lines.filter(line => /^\s*[\d.]+ (B|KB|MB|GB|ms|s)[┤┼]/.test(line));
		assert.ok(axisLines.length >= 9, `expected three charts, found ${axisLines.length} axis lines:\n${frame}`);
		// the table's first rows, the top suspect first
		const tableRows = lines.filter(line => /^[›! ] \S/.test(line) && /\d/.test(line) && line.includes('↑'));
		assert.ok(tableRows.length >= 3, frame);
		assert.match(tableRows[0]!, /Session/);
		// the charts use the width: the longest chart line reaches the right edge
		const widest = Math.max(...axisLines.map(line => Array.from(line.trimEnd()).length));
		assert.ok(widest >= size.columns - 4, `charts are ${widest} wide at ${size.columns} columns`);
	});

	test(`keeps-rising table at ${at}: columns, sparkline, verdict, windowed selection`, async () => {
		const state = run(busyState(20), {type: 'navigate', screen: {name: 'growth'}}, {type: 'moveSelection', direction: 'end'});
		const frame = await show(state, size, f => f.includes('Keeps rising'), 'the growth screen');
		for (const text of ['class', 'count', 'Δ first', 'retained', 'trend', 'leak suspected', '30 of 30 classes', '▁▃▆█ ↑']) {
			assert.ok(frame.includes(text), `"${text}" missing from\n${frame}`);
		}
		// the last class is selected and scrolled into view
		assert.match(frame, /› Set|› ArrayBuffer/);
		assert.ok(frame.includes('› ArrayBuffer'), frame);
		if (size.columns >= 140) assert.ok(frame.includes('why'), frame);
	});

	test(`retainers at ${at}: clusters, the path root → object, location, advice, allocation sites`, async () => {
		const state = run(busyState(20), {type: 'retainersRequested', className: 'Session'}, {type: 'retainersLoaded', retainers: retainers()});
		const frame = await show(state, size, f => f.includes('Retainers of Session'), 'the retainers screen');
		for (const text of ['3,400 examined', '2 paths', 'likely cause: event listener', '3,100×', '300×', 'Path 1 of 2, root → object',
			'(GC roots)', "listener #3 of 'config'", 'closure of onConfig', 'session-manager.js:42:17', 'emitter.off()', 'Allocated at', 'createSession']) {
			assert.ok(frame.includes(text), `"${text}" missing from\n${frame}`);
		}
		const lines = frame.split('\n');
		const order = ['1 (GC roots)', '↳ process', '↳ _events', "↳ listener #3 of 'config'", '↳ closure of onConfig', '↳ Session'].map(text => lines.findIndex(line => line.includes(text)));
		assert.ok(order.every((index, i) => index > 0 && (i === 0 || index === order[i - 1]! + 1)), `one step per line, root first:\n${frame}`);
	});

	test(`allocation sites at ${at}: live bytes, growth, function, location, expanded stack`, async () => {
		const state = run(busyState(20), {type: 'navigate', screen: {name: 'allocations', selected: 0, expanded: 0}});
		const frame = await show(state, size, f => f.includes('Allocation sites'), 'the allocations screen');
		for (const text of ['12.5 MB', '+2.0 MB', 'createSession', 'session-manager.js:10:5', 'at handleRequest', 'server.js:88:3', 'node:events:519:28']) {
			assert.ok(frame.includes(text), `"${text}" missing from\n${frame}`);
		}
	});

	test(`help at ${at} lists the keys of the screen it came from`, async () => {
		const state = run(busyState(5), {type: 'navigate', screen: {name: 'growth'}}, {type: 'helpOpened'});
		const frame = await show(state, size, f => f.includes('Keys on the keeps rising screen'), 'help');
		for (const text of ['quit (detaches from the target)', 'filter classes by name', 'cycle the sort column', 'take a heap snapshot now']) {
			assert.ok(frame.includes(text), `"${text}" missing from\n${frame}`);
		}
		assert.ok(!frame.includes('next retaining path'), 'retainers-only keys are not listed');
	});

	test(`the ended state at ${at}: a banner with the reason, data kept`, async () => {
		const state = run(busyState(), {type: 'targetEnded', reason: 'target exited with code 1'});
		const frame = await show(state, size, f => f.includes('target ended'), 'the banner');
		assert.ok(frame.includes('target ended: target exited with code 1'), frame);
		if (size.columns >= 100) assert.ok(frame.includes('press q to quit'), frame);
		assert.ok(frame.includes('Heap') && frame.includes('Session'), 'charts and table are kept');
		assert.ok(!frame.includes('LIVE'));
	});
}

test('while attaching: the header says so and the charts wait for samples', async () => {
	const frame = await show(initialState(), {columns: 80, rows: 24}, f => f.includes('attaching'), 'the attaching frame');
	assert.ok(frame.includes('waiting for'), frame);
});

test('status line: capture progress, parsing, gate, frozen flag and the last notice', async () => {
	const base = busyState(30);
	const cases: Array<[Action[], string[]]> = [
		[[{type: 'snapshotJobChanged', job: {phase: 'capturing', done: 42, total: 100}}], ['capturing 42%']],
		[[{type: 'snapshotJobChanged', job: {phase: 'parsing', bytes: 120 * 1024 * 1024}}], ['parsing 120 MB']],
		[[{type: 'snapshotPlanChanged', plan: {gateMessage: 'heap within 10% of its limit'}}], ['snapshot held: heap within 10% of its limit']],
		[[{type: 'freezeToggled'}, {type: 'notice', level: 'warn', text: 'snapshot took 2.1 s'}], ['FROZEN', 'view frozen', 'snapshot took 2.1 s']],
	];
	for (const [actions, texts] of cases) {
		const frame = await show(run(base, ...actions), {columns: 100, rows: 30}, f => texts.every(t => f.includes(t)), texts.join(', '));
		assert.ok(frame.includes('Heap'));
	}
});

test('a resize re-lays the frame out to the new size', async () => {
	const app = mount(busyState(), {columns: 80, rows: 24});
	try {
		await app.term.waitFor(f => f.includes('GC pause'));
		app.term.resize(120, 40);
		const frame = await app.term.waitFor(f => f.split('\n').length === 39, 3000, 'a 39-line frame');
		assert.deepEqual(frameProblems(frame, {columns: 120, rows: 40}), []);
		assert.ok(frame.split('\n').some(line => Array.from(line.trimEnd()).length > 100), frame);
		// the app reports the new size to the store (page sizes depend on it) right after rendering
		await app.term.waitFor(() => app.store.getState().viewport.rows === 40, 3000, 'the resized action');
		assert.deepEqual(app.store.getState().viewport, {columns: 120, rows: 40});
	} finally {
		app.unmount();
	}
});

test('a target that is not Node: RSS is n/a, nothing crashes', async () => {
	const notNode = {...target, nodeVersion: null, isNode: false};
	const state = run(initialState(), {type: 'attached', target: notNode}, ...samples(10).map(s => ({type: 'sampleReceived' as const, sample: {...s, rss: null, external: null, arrayBuffers: null}})));
	const frame = await show(state, {columns: 80, rows: 24}, f => f.includes('RSS n/a'), 'RSS n/a');
	assert.ok(frame.includes('not Node'), frame);
});

test('the RSS rate waits for a judgeable trend: no "MB/min" from start-up samples', async () => {
	const size = {columns: 100, rows: 30};
	const early = run(busyState(), {type: 'trendUpdated', trend: {shape: 'unknown', heapBytesPerSec: 0, rssBytesPerSec: 2_000_000, fit: 0, secondsToHeapLimit: null, label: 'not enough data yet'}});
	const rssLine = (frame: string) => frame.split('\n').find(line => line.startsWith('RSS ')) ?? '';
	const frame = await show(early, size, f => f.includes('GC pause'), 'the overview');
	assert.doesNotMatch(rssLine(frame), /MB\/min/, frame);
	const judged = run(early, {type: 'trendUpdated', trend: {shape: 'growing', heapBytesPerSec: 50_000, rssBytesPerSec: 2_000_000, fit: 0.9, secondsToHeapLimit: null, label: 'growing +2.9 MB/min'}});
	assert.match(rssLine(await show(judged, size, f => f.includes('GC pause'), 'the overview')), /\+114 MB\/min/);
});
