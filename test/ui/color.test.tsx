import {test} from 'node:test';
import assert from 'node:assert/strict';
// Ink colours through chalk; the test runner sets FORCE_COLOR=0, so chalk is switched on here to make the
// "no colour" assertion able to fail (chalk is Ink's own dependency, the instance Ink uses).
import chalk from 'chalk';
import {reducer} from '../../src/session/reducer.js';
import type {AppState} from '../../src/session/state.js';
import type {Action} from '../../src/session/actions.js';
import {noColorFromEnv} from '../../src/ui/theme.js';
import {KEYS} from '../helpers/render.js';
import {SECRET, busyState, retainers} from './fixtures/app-state.js';
import {mount} from './mount.js';

const run = (state: AppState, ...actions: Action[]) => actions.reduce(reducer, state);

/** SGR parameters that set a foreground or background colour. */
function colourCodes(raw: string): string[] {
	const found: string[] = [];
	for (const match of raw.matchAll(/\x1b\[([0-9;]*)m/g)) {
		const params = match[1]!.split(';').filter(Boolean).map(Number);
		for (const p of params) {
			if ((p >= 30 && p <= 39) || (p >= 40 && p <= 49) || (p >= 90 && p <= 97) || (p >= 100 && p <= 107)) found.push(match[0]);
		}
	}
	return found;
}

async function rawFrames(noColor: boolean, state: AppState, keys: string[] = []): Promise<string> {
	const level = chalk.level;
	chalk.level = 1;
	const app = mount(state, {columns: 100, rows: 30}, {noColor});
	try {
		await app.term.waitFor(f => f.includes('heaptop'));
		for (const key of keys) app.term.press(key);
		await app.term.waitFor(f => f.includes(keys.length > 0 ? 'Keeps rising' : 'GC pause'), 3000, 'the screen');
		return app.term.lastRawFrame();
	} finally {
		app.unmount();
		chalk.level = level;
	}
}

test('with colour the frame is coloured; with NO_COLOR it has no colour escape codes at all', async () => {
	const state = run(busyState(), {type: 'notice', level: 'error', text: 'snapshot failed'});
	const coloured = await rawFrames(false, state);
	assert.ok(colourCodes(coloured).length > 0, 'expected colours when colour is on');
	const plain = await rawFrames(true, state);
	assert.deepEqual(colourCodes(plain), []);
	const plainGrowth = await rawFrames(true, state, [KEYS.tab]);
	assert.deepEqual(colourCodes(plainGrowth), []);
});

test('NO_COLOR in the environment means no colour unless it is empty', () => {
	assert.equal(noColorFromEnv({NO_COLOR: '1'}), true);
	assert.equal(noColorFromEnv({NO_COLOR: ''}), false);
	assert.equal(noColorFromEnv({}), false);
});

test('a secret-looking heap string never reaches the screen, only the labels made for people', async () => {
	// the closure step's raw node name is heap text; its label is "closure of onConfig"
	const state = run(busyState(20), {type: 'retainersRequested', className: 'Session'}, {type: 'retainersLoaded', retainers: retainers()});
	const app = mount(state, {columns: 200, rows: 50});
	try {
		await app.term.waitFor(f => f.includes('closure of onConfig'), 3000, 'the path');
		app.term.press(KEYS.up);
		app.term.press(KEYS.enter);
		await app.term.waitFor(f => f.includes('Who holds closure of onConfig'), 3000, 'the drill');
		app.store.dispatch({type: 'nodeRetainersLoaded', nodeId: 41, paths: [retainers().clusters[0]!.steps]});
		await app.term.waitFor(f => f.includes("listener #3 of 'config'"), 3000, 'the drill paths');
		assert.ok(app.term.allFrames().length > 3);
		assert.ok(!app.term.allFrames().some(frame => frame.includes(SECRET)), 'the raw node name was rendered');
	} finally {
		app.unmount();
	}
});
