import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {Key} from 'ink';
import type {Action, Intent} from '../../src/session/actions.js';
import {moveIndex, reducer} from '../../src/session/reducer.js';
import {
	initialState, isGap, latestSample, selectDisplay, selectedGrowthClass, visibleGrowthRows, type AppState,
} from '../../src/session/state.js';
import {createStore} from '../../src/session/store.js';
import {commandEffects, filterKeyEffects} from '../../src/ui/commands.js';
import {allocationSites, busyState, growth, retainers, samples, target} from '../ui/fixtures/app-state.js';

const run = (state: AppState, ...actions: Action[]) => actions.reduce(reducer, state);

test('attaching, sampling and the bounded history', () => {
	let state = run(initialState({historyCapacity: 5}), {type: 'attached', target});
	assert.deepEqual(state.connection, {status: 'live'});
	assert.equal(state.target?.pid, 48213);
	const eight = samples(8);
	for (const sample of eight) state = reducer(state, {type: 'sampleReceived', sample});
	assert.equal(state.history.length, 5);
	assert.equal(state.seriesVersion, 8);
	assert.deepEqual(state.history.map(e => e.t), [3000, 4000, 5000, 6000, 7000]);
	assert.equal(latestSample(state.history)?.t, 7000);
});

test('a gap is recorded once however many ticks are missed, and the history array is never mutated', () => {
	let state = run(initialState(), {type: 'sampleReceived', sample: samples(1)[0]!});
	const before = state.history;
	state = run(state, {type: 'gapMarked', t: 1000}, {type: 'gapMarked', t: 2000});
	assert.equal(state.history.length, 2);
	assert.ok(isGap(state.history[1]!));
	assert.equal(before.length, 1);
	assert.equal(state.seriesVersion, 2);
	assert.equal(latestSample(state.history)?.t, 0); // gaps are skipped
});

test('freeze keeps showing a copy while sampling continues; unfreeze shows live data', () => {
	let state = busyState(20);
	state = reducer(state, {type: 'freezeToggled'});
	const frozenLength = selectDisplay(state).history.length;
	state = run(state, {type: 'sampleReceived', sample: {...samples(1)[0]!, t: 99_000}}, {type: 'growthUpdated', candidates: [], verdict: 'no-leak'});
	assert.equal(selectDisplay(state).history.length, frozenLength);
	assert.equal(selectDisplay(state).growth.length, 30);
	assert.equal(state.history.length, frozenLength + 1);
	state = reducer(state, {type: 'freezeToggled'});
	assert.equal(state.frozen, null);
	assert.equal(selectDisplay(state).growth.length, 0);
	assert.equal(selectDisplay(state).verdict, 'no-leak');
});

test('growth selection follows the class name through re-ranking, filtering and sorting', () => {
	let state = run(busyState(5), {type: 'navigate', screen: {name: 'growth'}});
	assert.equal(selectedGrowthClass(state), 'Session');
	state = run(state, {type: 'moveSelection', direction: 'down'}, {type: 'moveSelection', direction: 'down'});
	assert.equal(selectedGrowthClass(state), 'Timeout');
	// a new ranking puts Timeout last: the selection stays on it
	const reranked = growth().map(c => (c.name === 'Timeout' ? {...c, score: -1} : c));
	state = reducer(state, {type: 'growthUpdated', candidates: reranked, verdict: 'leak'});
	assert.equal(selectedGrowthClass(state), 'Timeout');
	state = reducer(state, {type: 'moveSelection', direction: 'end'});
	assert.equal(selectedGrowthClass(state), 'Timeout');
	state = reducer(state, {type: 'moveSelection', direction: 'home'});
	assert.equal(selectedGrowthClass(state), 'Session');

	state = run(state, {type: 'filterEditStarted'}, {type: 'filterTyped', text: 'sock'});
	assert.equal(state.growthTable.editingFilter, true);
	assert.deepEqual(visibleGrowthRows(state.growth, state.growthTable).map(c => c.name), ['Socket', 'TLSSocket']);
	assert.equal(selectedGrowthClass(state), 'Socket'); // Session is filtered out: the first row is selected
	state = run(state, {type: 'filterBackspace'}, {type: 'filterCommitted'});
	assert.equal(state.growthTable.filter, 'soc');
	assert.equal(state.growthTable.editingFilter, false);
	state = run(state, {type: 'filterEditStarted'}, {type: 'filterCleared'});
	assert.equal(state.growthTable.filter, '');

	state = reducer(state, {type: 'cycleSort'});
	assert.equal(state.growthTable.sort, 'delta');
	state = run(state, {type: 'setSort', sort: 'name'});
	assert.equal(visibleGrowthRows(state.growth, state.growthTable)[0]!.name, '(closure)');
	for (let i = 0; i < 6; i++) state = reducer(state, {type: 'cycleSort'});
	assert.equal(state.growthTable.sort, 'name'); // a full cycle
});

test('retainers: request, stale answers ignored, load, paths and steps, drill and back', () => {
	let state = run(busyState(5), {type: 'navigate', screen: {name: 'growth'}}, {type: 'retainersRequested', className: 'Session'});
	assert.deepEqual(state.screen, {name: 'retainers', className: 'Session', selectedPath: 0, selectedStep: 0});
	assert.equal(state.retainers?.data.status, 'loading');
	state = reducer(state, {type: 'retainersLoaded', retainers: {...retainers(), className: 'Timeout'}});
	assert.equal(state.retainers?.data.status, 'loading', 'an answer for another class is ignored');
	state = reducer(state, {type: 'retainersLoaded', retainers: retainers()});
	assert.equal(state.retainers?.data.status, 'ready');
	assert.equal(state.screen.name === 'retainers' && state.screen.selectedStep, 5, 'starts on the object end');

	state = run(state, {type: 'moveSelection', direction: 'up'}, {type: 'moveSelection', direction: 'up'});
	assert.equal(state.screen.name === 'retainers' && state.screen.selectedStep, 3);
	state = reducer(state, {type: 'moveCluster', delta: 1});
	assert.ok(state.screen.name === 'retainers' && state.screen.selectedPath === 1 && state.screen.selectedStep === 2);
	state = reducer(state, {type: 'moveCluster', delta: 1});
	assert.ok(state.screen.name === 'retainers' && state.screen.selectedPath === 1, 'clamped at the last cluster');

	state = reducer(state, {type: 'nodeDrillOpened', nodeId: 61, label: 'sessionCache (Map)'});
	assert.equal(state.nodeDrill.length, 1);
	state = reducer(state, {type: 'nodeRetainersLoaded', nodeId: 999, paths: []});
	assert.equal(state.nodeDrill[0]!.paths.status, 'loading', 'an answer for another object is ignored');
	state = reducer(state, {type: 'nodeRetainersLoaded', nodeId: 61, paths: [retainers().clusters[1]!.steps.slice(0, 2), retainers().clusters[0]!.steps]});
	assert.equal(state.nodeDrill[0]!.paths.status, 'ready');
	state = reducer(state, {type: 'moveSelection', direction: 'down'});
	assert.equal(state.nodeDrill[0]!.selected, 1);
	state = run(state, {type: 'nodeDrillOpened', nodeId: 41, label: 'closure of onConfig'}, {type: 'nodeRetainersFailed', nodeId: 41, message: 'snapshot replaced'});
	assert.deepEqual(state.nodeDrill[1]!.paths, {status: 'error', message: 'snapshot replaced'});

	state = reducer(state, {type: 'back'});
	assert.equal(state.nodeDrill.length, 1);
	state = reducer(state, {type: 'back'});
	assert.equal(state.nodeDrill.length, 0);
	assert.equal(state.screen.name, 'retainers');
	state = reducer(state, {type: 'back'});
	assert.equal(state.screen.name, 'growth');
	state = reducer(state, {type: 'back'});
	assert.equal(state.screen.name, 'overview');
	assert.equal(reducer(state, {type: 'back'}), state, 'back on the overview changes nothing');

	state = run(state, {type: 'retainersRequested', className: 'Map'}, {type: 'retainersFailed', className: 'Map', message: 'no snapshot yet'});
	assert.deepEqual(state.retainers?.data, {status: 'error', message: 'no snapshot yet'});
});

test('help returns to the screen it was opened from, with that screen\'s state', () => {
	let state = run(busyState(5), {type: 'navigate', screen: {name: 'allocations', selected: 3, expanded: 3}}, {type: 'helpOpened'});
	assert.equal(state.screen.name, 'help');
	assert.equal(reducer(state, {type: 'helpOpened'}), state);
	state = reducer(state, {type: 'helpClosed'});
	assert.deepEqual(state.screen, {name: 'allocations', selected: 3, expanded: 3});
	state = run(state, {type: 'helpOpened'}, {type: 'back'});
	assert.deepEqual(state.screen, {name: 'allocations', selected: 3, expanded: 3});
});

test('tab cycles overview → growth → allocations → overview, and from retainers to overview', () => {
	let state = busyState(5);
	const names: string[] = [];
	for (let i = 0; i < 4; i++) {
		state = reducer(state, {type: 'cycleScreen'});
		names.push(state.screen.name);
	}
	assert.deepEqual(names, ['growth', 'allocations', 'overview', 'growth']);
	state = run(state, {type: 'retainersRequested', className: 'Session'}, {type: 'cycleScreen'});
	assert.equal(state.screen.name, 'overview');
});

test('allocation sites are sorted by live bytes; selection and expansion', () => {
	const shuffled = allocationSites().reverse();
	let state = run(initialState({viewport: {columns: 80, rows: 24}}), {type: 'allocationSitesUpdated', sites: shuffled}, {type: 'navigate', screen: {name: 'allocations', selected: 0}});
	assert.equal(state.allocationSites[0]!.function, 'createSession');
	state = run(state, {type: 'moveSelection', direction: 'pageDown'});
	assert.ok(state.screen.name === 'allocations' && state.screen.selected === 16); // rows − 8
	state = run(state, {type: 'moveSelection', direction: 'end'}, {type: 'toggleExpand'});
	assert.deepEqual(state.screen, {name: 'allocations', selected: 24, expanded: 24});
	state = reducer(state, {type: 'toggleExpand'});
	assert.deepEqual(state.screen, {name: 'allocations', selected: 24});
});

test('the end of the target, notices, snapshot job and plan, zoom, resize', () => {
	let state = run(busyState(5), {type: 'snapshotJobChanged', job: {phase: 'capturing', done: 4, total: 10}});
	assert.deepEqual(state.snapshotJob, {phase: 'capturing', done: 4, total: 10});
	state = run(state, {type: 'targetEnded', reason: 'target exited with code 1'}, {type: 'attached', target});
	assert.deepEqual(state.connection, {status: 'ended', reason: 'target exited with code 1'});
	assert.equal(state.snapshotPlan.nextAtMs, null);
	assert.equal(state.snapshotPlan.intervalMs, 30_000);
	assert.equal(state.growth.length, 30, 'data is kept after the end');

	for (let i = 0; i < 7; i++) state = reducer(state, {type: 'notice', level: 'info', text: `n${i}`});
	assert.deepEqual(state.notices.map(n => n.text), ['n2', 'n3', 'n4', 'n5', 'n6']);

	assert.equal(state.chartWindow, 300);
	state = reducer(state, {type: 'zoom', delta: 1});
	assert.equal(state.chartWindow, 60);
	state = run(state, {type: 'zoom', delta: 1});
	assert.equal(state.chartWindow, 60);
	state = run(state, {type: 'zoom', delta: -1}, {type: 'zoom', delta: -1}, {type: 'zoom', delta: -1}, {type: 'zoom', delta: -1}, {type: 'zoom', delta: -1});
	assert.equal(state.chartWindow, 3600);

	state = reducer(state, {type: 'resized', columns: 200, rows: 50});
	assert.deepEqual(state.viewport, {columns: 200, rows: 50});
	assert.equal(reducer(state, {type: 'resized', columns: 200, rows: 50}), state);
});

test('moveIndex clamps at both ends', () => {
	assert.equal(moveIndex(0, 10, 'up', 5), 0);
	assert.equal(moveIndex(9, 10, 'down', 5), 9);
	assert.equal(moveIndex(2, 10, 'pageDown', 5), 7);
	assert.equal(moveIndex(7, 10, 'pageDown', 5), 9);
	assert.equal(moveIndex(3, 10, 'pageUp', 5), 0);
	assert.equal(moveIndex(3, 0, 'down', 5), 0);
});

test('the store notifies on changes only and carries intents to their listeners', () => {
	const store = createStore(initialState());
	let notified = 0;
	const unsubscribe = store.subscribe(() => notified++);
	store.dispatch({type: 'attached', target});
	store.dispatch({type: 'back'}); // nothing to go back to: no change
	assert.equal(notified, 1);
	unsubscribe();
	store.dispatch({type: 'helpOpened'});
	assert.equal(notified, 1);
	assert.equal(store.getState().screen.name, 'help');

	const intents: Intent[] = [];
	const off = store.onIntent(intent => intents.push(intent));
	store.emit({type: 'requestSnapshot'});
	off();
	store.emit({type: 'quit'});
	assert.deepEqual(intents, [{type: 'requestSnapshot'}]);
});

test('commands turn into actions and intents', () => {
	let state = run(busyState(5), {type: 'navigate', screen: {name: 'growth'}}, {type: 'moveSelection', direction: 'down'});
	assert.deepEqual(commandEffects(state, 'drillIn'), {
		actions: [{type: 'retainersRequested', className: 'IncomingMessage'}],
		intents: [{type: 'requestRetainers', className: 'IncomingMessage'}],
		exit: false,
	});
	assert.deepEqual(commandEffects(state, 'quit'), {actions: [], intents: [{type: 'quit'}], exit: true});
	assert.deepEqual(commandEffects(state, 'snapshot').intents, [{type: 'requestSnapshot'}]);
	assert.deepEqual(commandEffects(state, 'filter').actions, [{type: 'filterEditStarted'}]);
	assert.deepEqual(commandEffects({...state, screen: {name: 'overview'}}, 'filter').actions.map(a => a.type), ['navigate', 'filterEditStarted']);

	state = run(state, {type: 'retainersRequested', className: 'Session'}, {type: 'retainersLoaded', retainers: retainers()}, {type: 'moveSelection', direction: 'up'});
	// the selected step is the closure (nodeId 41), one above the object
	assert.deepEqual(commandEffects(state, 'drillIn'), {
		actions: [{type: 'nodeDrillOpened', nodeId: 41, label: 'closure of onConfig'}],
		intents: [{type: 'requestNodeRetainers', nodeId: 41}],
		exit: false,
	});
	state = run(state, {type: 'nodeDrillOpened', nodeId: 41, label: 'closure of onConfig'});
	assert.deepEqual(commandEffects(state, 'drillIn').intents, [], 'nothing to follow while loading');
	state = run(state, {type: 'nodeRetainersLoaded', nodeId: 41, paths: [retainers().clusters[0]!.steps.slice(0, 5)]});
	// inside a drill, Enter follows the direct holder of the drilled object
	assert.deepEqual(commandEffects(state, 'drillIn').intents, [{type: 'requestNodeRetainers', nodeId: 31}]);

	// an already loaded answer is reused when the same class is opened again
	state = run(state, {type: 'back'}, {type: 'back'}, {type: 'moveSelection', direction: 'home'});
	assert.deepEqual(commandEffects(state, 'showRetainers').intents, []);

	const ended = reducer(state, {type: 'targetEnded', reason: 'gone'});
	assert.deepEqual(commandEffects(ended, 'snapshot').intents, []);
	assert.equal(commandEffects(ended, 'snapshot').actions[0]!.type, 'notice');
	assert.equal(commandEffects(initialState(), 'drillIn').actions[0]!.type, 'notice', 'nothing to drill into yet');
});

test('filter typing: text, backspace, enter keeps, esc clears, control characters dropped', () => {
	const key = (o: Partial<Key> = {}) => ({upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false, ...o});
	assert.deepEqual(filterKeyEffects('s', key()).actions, [{type: 'filterTyped', text: 's'}]);
	assert.deepEqual(filterKeyEffects('q', key()).actions, [{type: 'filterTyped', text: 'q'}], 'q is text while typing');
	assert.deepEqual(filterKeyEffects('Se\u0007ss', key()).actions, [{type: 'filterTyped', text: 'Sess'}]);
	assert.deepEqual(filterKeyEffects('', key({backspace: true})).actions, [{type: 'filterBackspace'}]);
	assert.deepEqual(filterKeyEffects('\r', key({return: true})).actions, [{type: 'filterCommitted'}]);
	assert.deepEqual(filterKeyEffects('', key({escape: true})).actions, [{type: 'filterCleared'}]);
	assert.equal(filterKeyEffects('c', key({ctrl: true})).exit, true);
	assert.deepEqual(filterKeyEffects('', key({upArrow: true})).actions, []);
});
