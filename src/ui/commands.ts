/**
 * What each keymap command does, as data: the actions to dispatch and the intents to emit. Pure, so the
 * whole key → effect mapping is testable without Ink; the input router in app.tsx only applies it.
 */
import type {Key} from 'ink';
import type {Action, Intent} from '../session/actions.js';
import {selectedGrowthClass, selectedRetainerPath, type AppState} from '../session/state.js';
import {keyName, type Command} from './keymap.js';

export interface Effects {
	actions: Action[];
	intents: Intent[];
	/** unmount the TUI after emitting the intents */
	exit: boolean;
}

const none = (): Effects => ({actions: [], intents: [], exit: false});
const act = (...actions: Action[]): Effects => ({actions, intents: [], exit: false});

export function commandEffects(state: AppState, command: Command): Effects {
	const screen = state.screen;
	switch (command) {
		case 'quit':
			return {actions: [], intents: [{type: 'quit'}], exit: true};
		case 'help':
			return act(screen.name === 'help' ? {type: 'helpClosed'} : {type: 'helpOpened'});
		case 'back':
			return act({type: 'back'});
		case 'snapshot':
			if (state.connection.status === 'ended') return act({type: 'notice', level: 'warn', text: 'the target has ended: no more snapshots'});
			return {actions: [], intents: [{type: 'requestSnapshot'}], exit: false};
		case 'freeze':
			return act({type: 'freezeToggled'});
		case 'cycleScreen':
			return act({type: 'cycleScreen'});
		case 'showOverview':
			return act({type: 'navigate', screen: {name: 'overview'}});
		case 'showGrowth':
			return act({type: 'navigate', screen: {name: 'growth'}});
		case 'showAllocations':
			return act({type: 'navigate', screen: {name: 'allocations', selected: 0}});
		case 'showRetainers':
			return openRetainers(state);
		case 'up':
		case 'down':
		case 'pageUp':
		case 'pageDown':
		case 'home':
		case 'end':
			return act({type: 'moveSelection', direction: command});
		case 'drillIn':
			return screen.name === 'retainers' ? drillIntoObject(state) : openRetainers(state);
		case 'expand':
			return act({type: 'toggleExpand'});
		case 'previousPath':
			return act({type: 'moveCluster', delta: -1});
		case 'nextPath':
			return act({type: 'moveCluster', delta: 1});
		case 'filter':
			return screen.name === 'growth'
				? act({type: 'filterEditStarted'})
				: act({type: 'navigate', screen: {name: 'growth'}}, {type: 'filterEditStarted'});
		case 'sort':
			return act({type: 'cycleSort'});
		case 'zoomIn':
			return act({type: 'zoom', delta: 1});
		case 'zoomOut':
			return act({type: 'zoom', delta: -1});
	}
}

/** Retainers of the class selected in the growth table; re-uses an answer already loaded for it. */
function openRetainers(state: AppState): Effects {
	const className = selectedGrowthClass(state);
	if (className === null) return act({type: 'notice', level: 'info', text: 'no class to inspect yet: wait for two snapshots or press s'});
	if (state.retainers?.className === className && state.retainers.data.status === 'ready') {
		return act({type: 'navigate', screen: {name: 'retainers', className, selectedPath: 0, selectedStep: Math.max(0, (state.retainers.data.value.clusters[0]?.steps.length ?? 1) - 1)}});
	}
	return {actions: [{type: 'retainersRequested', className}], intents: [{type: 'requestRetainers', className}], exit: false};
}

/** Enter on the retainers screen: ask who holds the selected object (one level up the graph). */
function drillIntoObject(state: AppState): Effects {
	const drill = state.nodeDrill[state.nodeDrill.length - 1];
	if (drill) {
		// inside a drill, Enter follows the selected path's direct holder of the drilled object
		if (drill.paths.status !== 'ready') return none();
		const path = drill.paths.value[drill.selected] ?? [];
		const holder = path[path.length - 2];
		if (!holder) return none();
		return drillEffects(holder.nodeId, holder.label);
	}
	if (state.screen.name !== 'retainers') return none();
	const step = selectedRetainerPath(state)[state.screen.selectedStep];
	if (!step) return none();
	return drillEffects(step.nodeId, step.label);
}

function drillEffects(nodeId: number, label: string): Effects {
	return {
		actions: [{type: 'nodeDrillOpened', nodeId, label}],
		intents: [{type: 'requestNodeRetainers', nodeId}],
		exit: false,
	};
}

/** Keys while the `/` filter is being typed: text goes into the filter, Enter keeps it, Esc drops it. */
export function filterKeyEffects(input: string, key: Key): Effects {
	const name = keyName(input, key);
	if (name === 'ctrl+c') return {actions: [], intents: [{type: 'quit'}], exit: true};
	if (name === 'enter') return act({type: 'filterCommitted'});
	if (name === 'esc') return act({type: 'filterCleared'});
	if (name === 'backspace') return act({type: 'filterBackspace'});
	if (key.ctrl || key.meta || key.tab || input === '') return none();
	// printable text only (a paste arrives as one string); control characters never reach the filter
	const text = input.replace(/[\u0000-\u001f\u007f]/g, '');
	return text === '' ? none() : act({type: 'filterTyped', text});
}
