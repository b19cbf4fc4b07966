/**
 * The pure reducer: (state, action) → state. No I/O, no clocks; every figure it needs comes in the
 * action. Large arrays are replaced rather than mutated so a frozen view and React memo keys stay valid;
 * `seriesVersion` tells the charts when the history changed (the htop "reaction" idea, as a counter).
 */
import type {Action, Direction} from './actions.js';
import {
	CHART_WINDOWS,
	GROWTH_SORT_KEYS,
	MAX_NOTICES,
	type AppState,
	type HistoryEntry,
	type NodeDrill,
	type NonHelpScreen,
	latestTime,
	pageSize,
	selectDisplay,
	selectedGrowthIndex,
	snapshotDisplayData,
	sortedAllocationSites,
	visibleGrowthRows,
} from './state.js';

export function reducer(state: AppState, action: Action): AppState {
	switch (action.type) {
		// ---- data ----
		case 'attached':
			return {...state, target: action.target, connection: state.connection.status === 'ended' ? state.connection : {status: 'live'}};
		case 'sampleReceived':
			return appendHistory(state, action.sample);
		case 'gapMarked':
			// two gaps in a row draw the same hole; keep one
			if (state.history.length > 0 && 'gap' in state.history[state.history.length - 1]!) return state;
			return appendHistory(state, {gap: true, t: action.t});
		case 'trendUpdated':
			return {...state, trend: action.trend};
		case 'heapLimitsUpdated':
			return {...state, heapLimits: action.limits};
		case 'memoryLimitUpdated':
			return {...state, memoryLimit: action.limit};
		case 'snapshotJobChanged':
			return {...state, snapshotJob: action.job};
		case 'snapshotPlanChanged':
			return {...state, snapshotPlan: {...state.snapshotPlan, ...action.plan}};
		case 'snapshotCompleted':
			return {...state, snapshots: [...state.snapshots, action.summary]};
		case 'growthUpdated':
			return {...state, growth: action.candidates, verdict: action.verdict};
		case 'retainersRequested':
			return {
				...state,
				retainers: {className: action.className, data: {status: 'loading'}},
				nodeDrill: [],
				screen: {name: 'retainers', className: action.className, selectedPath: 0, selectedStep: 0},
			};
		case 'retainersLoaded': {
			if (state.retainers?.className !== action.retainers.className) return state; // stale answer
			const next = {...state, retainers: {className: action.retainers.className, data: {status: 'ready' as const, value: action.retainers}}};
			if (next.screen.name !== 'retainers' || next.screen.className !== action.retainers.className) return next;
			// start on the object end of the first path: the holder right above it is usually the interesting one
			const steps = action.retainers.clusters[0]?.steps.length ?? 0;
			return {...next, screen: {...next.screen, selectedPath: 0, selectedStep: Math.max(0, steps - 1)}};
		}
		case 'retainersFailed':
			if (state.retainers?.className !== action.className) return state;
			return {...state, retainers: {className: action.className, data: {status: 'error', message: action.message}}};
		case 'nodeRetainersLoaded':
			return updateDrill(state, action.nodeId, drill => ({...drill, paths: {status: 'ready', value: action.paths}, selected: 0}));
		case 'nodeRetainersFailed':
			return updateDrill(state, action.nodeId, drill => ({...drill, paths: {status: 'error', message: action.message}}));
		case 'allocationSitesUpdated':
			return {
				...state,
				allocationSites: sortedAllocationSites(action.sites),
				classAllocationSites: action.byClass ?? state.classAllocationSites,
			};
		case 'notice': {
			const notices = [...state.notices, {level: action.level, text: action.text, at: latestTime(state.history)}];
			return {...state, notices: notices.slice(-MAX_NOTICES)};
		}
		case 'targetEnded':
			return {
				...state,
				connection: {status: 'ended', reason: action.reason},
				snapshotPlan: {...state.snapshotPlan, nextAtMs: null},
			};

		// ---- UI ----
		case 'navigate':
			return {...state, screen: action.screen, nodeDrill: action.screen.name === 'retainers' ? state.nodeDrill : []};
		case 'cycleScreen':
			return cycleScreen(state);
		case 'moveSelection':
			return moveSelection(state, action.direction);
		case 'moveCluster':
			return moveCluster(state, action.delta);
		case 'cycleSort': {
			const at = GROWTH_SORT_KEYS.indexOf(state.growthTable.sort);
			return {...state, growthTable: {...state.growthTable, sort: GROWTH_SORT_KEYS[(at + 1) % GROWTH_SORT_KEYS.length]!}};
		}
		case 'setSort':
			return {...state, growthTable: {...state.growthTable, sort: action.sort}};
		case 'filterEditStarted':
			return {...state, growthTable: {...state.growthTable, editingFilter: true}};
		case 'filterTyped':
			return {...state, growthTable: {...state.growthTable, filter: state.growthTable.filter + action.text}};
		case 'filterBackspace':
			return {...state, growthTable: {...state.growthTable, filter: state.growthTable.filter.slice(0, -1)}};
		case 'filterCommitted':
			return {...state, growthTable: {...state.growthTable, editingFilter: false}};
		case 'filterCleared':
			return {...state, growthTable: {...state.growthTable, editingFilter: false, filter: ''}};
		case 'freezeToggled':
			return {...state, frozen: state.frozen ? null : snapshotDisplayData(state)};
		case 'helpOpened':
			return state.screen.name === 'help' ? state : {...state, screen: {name: 'help', returnTo: state.screen}};
		case 'helpClosed':
			return state.screen.name === 'help' ? {...state, screen: state.screen.returnTo} : state;
		case 'nodeDrillOpened': {
			const drill: NodeDrill = {nodeId: action.nodeId, label: action.label, paths: {status: 'loading'}, selected: 0};
			return {...state, nodeDrill: [...state.nodeDrill, drill]};
		}
		case 'back':
			return back(state);
		case 'toggleExpand': {
			if (state.screen.name !== 'allocations') return state;
			const {selected, expanded} = state.screen;
			return {...state, screen: expanded === selected ? {name: 'allocations', selected} : {name: 'allocations', selected, expanded: selected}};
		}
		case 'zoom': {
			const at = nearestWindowIndex(state.chartWindow);
			const next = Math.min(CHART_WINDOWS.length - 1, Math.max(0, at - action.delta)); // zoom in = fewer samples
			return {...state, chartWindow: CHART_WINDOWS[next]!};
		}
		case 'resized':
			if (state.viewport.columns === action.columns && state.viewport.rows === action.rows) return state;
			return {...state, viewport: {columns: action.columns, rows: action.rows}};
	}
}

function appendHistory(state: AppState, entry: HistoryEntry): AppState {
	// a copy per sample keeps the reducer pure; at 3600 entries once a second it costs microseconds
	const keep = Math.max(0, state.historyCapacity - 1);
	const history = state.history.length > keep ? state.history.slice(state.history.length - keep) : state.history.slice();
	history.push(entry);
	return {...state, history, seriesVersion: state.seriesVersion + 1};
}

function updateDrill(state: AppState, nodeId: number, update: (drill: NodeDrill) => NodeDrill): AppState {
	// the innermost level with that id: the same object may be drilled into twice
	for (let i = state.nodeDrill.length - 1; i >= 0; i--) {
		if (state.nodeDrill[i]!.nodeId !== nodeId) continue;
		const nodeDrill = state.nodeDrill.slice();
		nodeDrill[i] = update(nodeDrill[i]!);
		return {...state, nodeDrill};
	}
	return state;
}

const CYCLE = ['overview', 'growth', 'allocations'] as const;

function cycleScreen(state: AppState): AppState {
	const current = state.screen.name === 'help' ? state.screen.returnTo.name : state.screen.name;
	const at = (CYCLE as readonly string[]).indexOf(current);
	const name = CYCLE[(at + 1) % CYCLE.length]!; // retainers (-1) cycles on to overview
	const screen: NonHelpScreen = name === 'allocations' ? {name, selected: 0} : {name};
	return {...state, screen, nodeDrill: []};
}

function back(state: AppState): AppState {
	const screen = state.screen;
	switch (screen.name) {
		case 'help':
			return {...state, screen: screen.returnTo};
		case 'retainers':
			if (state.nodeDrill.length > 0) return {...state, nodeDrill: state.nodeDrill.slice(0, -1)};
			return {...state, screen: {name: 'growth'}};
		case 'growth':
		case 'allocations':
			return {...state, screen: {name: 'overview'}};
		case 'overview':
			return state;
	}
}

/** New index after a move in a list of `length` rows. */
export function moveIndex(index: number, length: number, direction: Direction, page: number): number {
	if (length <= 0) return 0;
	const target =
		direction === 'up' ? index - 1
		: direction === 'down' ? index + 1
		: direction === 'pageUp' ? index - page
		: direction === 'pageDown' ? index + page
		: direction === 'home' ? 0
		: length - 1;
	return Math.min(length - 1, Math.max(0, target));
}

function moveSelection(state: AppState, direction: Direction): AppState {
	const screen = state.screen;
	const page = pageSize(state);
	switch (screen.name) {
		case 'overview':
		case 'growth': {
			const rows = visibleGrowthRows(selectDisplay(state).growth, state.growthTable);
			if (rows.length === 0) return state;
			const index = moveIndex(selectedGrowthIndex(rows, state.growthTable), rows.length, direction, page);
			return {...state, growthTable: {...state.growthTable, selectedName: rows[index]!.name}};
		}
		case 'retainers': {
			const drill = state.nodeDrill[state.nodeDrill.length - 1];
			if (drill) {
				const count = drill.paths.status === 'ready' ? drill.paths.value.length : 0;
				return updateDrillTop(state, {...drill, selected: moveIndex(drill.selected, count, direction, page)});
			}
			if (state.retainers?.data.status !== 'ready') return state;
			const steps = state.retainers.data.value.clusters[screen.selectedPath]?.steps.length ?? 0;
			return {...state, screen: {...screen, selectedStep: moveIndex(screen.selectedStep, steps, direction, page)}};
		}
		case 'allocations':
			return {...state, screen: {...screen, selected: moveIndex(screen.selected, state.allocationSites.length, direction, page)}};
		case 'help':
			return state;
	}
}

function updateDrillTop(state: AppState, drill: NodeDrill): AppState {
	return {...state, nodeDrill: [...state.nodeDrill.slice(0, -1), drill]};
}

function moveCluster(state: AppState, delta: 1 | -1): AppState {
	const screen = state.screen;
	if (screen.name !== 'retainers' || state.retainers?.data.status !== 'ready' || state.nodeDrill.length > 0) return state;
	const clusters = state.retainers.data.value.clusters;
	if (clusters.length === 0) return state;
	const selectedPath = Math.min(clusters.length - 1, Math.max(0, screen.selectedPath + delta));
	const steps = clusters[selectedPath]!.steps.length;
	return {...state, screen: {...screen, selectedPath, selectedStep: Math.max(0, steps - 1)}};
}

function nearestWindowIndex(window: number): number {
	let best = 0;
	CHART_WINDOWS.forEach((size, i) => {
		if (Math.abs(size - window) < Math.abs(CHART_WINDOWS[best]! - window)) best = i;
	});
	return best;
}
