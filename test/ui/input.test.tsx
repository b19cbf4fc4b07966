import {test} from 'node:test';
import assert from 'node:assert/strict';
import {reducer} from '../../src/session/reducer.js';
import type {AppState} from '../../src/session/state.js';
import type {Action} from '../../src/session/actions.js';
import {KEYS} from '../helpers/render.js';
import {busyState, retainers} from './fixtures/app-state.js';
import {frameProblems, mount} from './mount.js';

const SIZE = {columns: 80, rows: 24};
const run = (state: AppState, ...actions: Action[]) => actions.reduce(reducer, state);

test('growth table: j moves, Enter asks for retainers, the answer shows, Esc comes back', async () => {
	const app = mount(run(busyState(20), {type: 'navigate', screen: {name: 'growth'}}), SIZE);
	try {
		await app.term.waitFor(f => f.includes('› Session'), 3000, 'Session selected');
		app.term.press('j');
		await app.term.waitFor(f => f.includes('› IncomingMessage'), 3000, 'IncomingMessage selected');
		app.term.press(KEYS.enter);
		await app.term.waitFor(f => f.includes('Retainers of IncomingMessage') && f.includes('finding retaining paths'), 3000, 'the loading retainers screen');
		assert.deepEqual(app.intents, [{type: 'requestRetainers', className: 'IncomingMessage'}]);
		// the session answers
		app.store.dispatch({type: 'retainersLoaded', retainers: {...retainers(), className: 'IncomingMessage'}});
		const frame = await app.term.waitFor(f => f.includes('Path 1 of 2'), 3000, 'the paths');
		assert.deepEqual(frameProblems(frame, SIZE), []);
		app.term.press(KEYS.escape);
		await app.term.waitFor(f => f.includes('Keeps rising') && f.includes('› IncomingMessage'), 3000, 'back on the growth table');
	} finally {
		app.unmount();
	}
});

test('retainers: up selects a step, Enter asks who holds that object and shows the answer; Esc pops the drill', async () => {
	const app = mount(run(busyState(20), {type: 'retainersRequested', className: 'Session'}, {type: 'retainersLoaded', retainers: retainers()}), SIZE);
	try {
		await app.term.waitFor(f => f.includes('›  6 ↳ Session'), 3000, 'the object step selected');
		app.term.press(KEYS.up);
		await app.term.waitFor(f => f.includes('›  5 ↳ closure of onConfig'), 3000, 'the closure step selected');
		app.term.press(KEYS.enter);
		await app.term.waitFor(f => f.includes('Who holds closure of onConfig') && f.includes('looking up'), 3000, 'the drill');
		assert.deepEqual(app.intents, [{type: 'requestNodeRetainers', nodeId: 41}]);
		app.store.dispatch({type: 'nodeRetainersLoaded', nodeId: 41, paths: [retainers().clusters[0]!.steps.slice(0, 5)]});
		await app.term.waitFor(f => f.includes("› listener #3 of 'config'"), 3000, 'the direct holder');
		app.term.press(KEYS.escape);
		await app.term.waitFor(f => f.includes('Path 1 of 2') && !f.includes('Who holds'), 3000, 'the path again');
		app.term.press(KEYS.right);
		await app.term.waitFor(f => f.includes('Path 2 of 2') && f.includes('sessionCache (Map)'), 3000, 'the second path');
	} finally {
		app.unmount();
	}
});

test('? opens help and closes it again; tab cycles the screens; a opens allocation sites', async () => {
	const app = mount(busyState(20), SIZE);
	try {
		await app.term.waitFor(f => f.includes('GC pause'));
		app.term.press('?');
		await app.term.waitFor(f => f.includes('Keys on the overview screen'), 3000, 'help');
		app.term.press('?');
		await app.term.waitFor(f => f.includes('GC pause'), 3000, 'the overview again');
		app.term.press(KEYS.tab);
		await app.term.waitFor(f => f.includes('Keeps rising'), 3000, 'the growth screen');
		app.term.press('?');
		await app.term.waitFor(f => f.includes('Keys on the keeps rising screen'), 3000, 'help for growth');
		app.term.press(KEYS.escape);
		await app.term.waitFor(f => f.includes('Keeps rising'), 3000, 'the growth screen again');
		app.term.press('a');
		await app.term.waitFor(f => f.includes('Allocation sites'), 3000, 'allocations');
		app.term.press('j');
		app.term.press(KEYS.enter);
		await app.term.waitFor(f => f.includes('at handleRequest') && f.includes('› ') && f.includes('handler1'), 3000, 'the expanded stack');
		assert.deepEqual(app.intents, []);
	} finally {
		app.unmount();
	}
});

test('/ filters the table as you type (q is text there), Enter keeps the filter', async () => {
	const app = mount(busyState(20), SIZE);
	try {
		await app.term.waitFor(f => f.includes('GC pause'));
		app.term.press('/');
		await app.term.waitFor(f => f.includes('filter: ▌'), 3000, 'the filter prompt');
		for (const ch of 'sockq') app.term.press(ch);
		await app.term.waitFor(f => f.includes('filter: sockq▌') && f.includes('No class matches'), 3000, 'no match');
		assert.deepEqual(app.intents, [], 'q did not quit while typing');
		app.term.press(KEYS.backspace);
		await app.term.waitFor(f => f.includes('2 of 30 classes') && f.includes('TLSSocket'), 3000, 'two matches');
		app.term.press(KEYS.enter);
		await app.term.waitFor(f => f.includes('filter: sock ') && !f.includes('▌'), 3000, 'the kept filter');
	} finally {
		app.unmount();
	}
});

test('s asks for a snapshot, f freezes the view while data keeps coming', async () => {
	const app = mount(busyState(20), SIZE);
	try {
		await app.term.waitFor(f => f.includes('LIVE'));
		app.term.press('s');
		app.term.press('f');
		await app.term.waitFor(f => f.includes('FROZEN'), 3000, 'frozen');
		assert.deepEqual(app.intents, [{type: 'requestSnapshot'}]);
		app.store.dispatch({type: 'growthUpdated', candidates: [], verdict: 'no-leak'});
		app.store.dispatch({type: 'notice', level: 'info', text: 'snapshot 5 done'});
		const frame = await app.term.waitFor(f => f.includes('snapshot 5 done'), 3000, 'the notice');
		assert.ok(frame.includes('Session'), 'the frozen table still shows');
		app.term.press('f');
		await app.term.waitFor(f => f.includes('LIVE') && !f.includes('Session'), 3000, 'live data without the table');
	} finally {
		app.unmount();
	}
});

test('q emits quit and unmounts; so does ctrl+c', async () => {
	for (const key of ['q', KEYS.ctrlC]) {
		const app = mount(busyState(5), SIZE);
		await app.term.waitFor(f => f.includes('LIVE'));
		app.term.press(key);
		await app.ink.waitUntilExit();
		assert.deepEqual(app.intents, [{type: 'quit'}]);
	}
});

test('after the target ended, q still quits and s explains why nothing happens', async () => {
	const app = mount(run(busyState(5), {type: 'targetEnded', reason: 'connection lost'}), SIZE);
	await app.term.waitFor(f => f.includes('target ended: connection lost'));
	app.term.press('s');
	await app.term.waitFor(f => f.includes('the target has ended'), 3000, 'the notice');
	app.term.press('q');
	await app.ink.waitUntilExit();
	assert.deepEqual(app.intents, [{type: 'quit'}]);
});
