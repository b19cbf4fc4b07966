/**
 * AppState: everything the TUI shows, in one framework-free value. The reducer (reducer.ts) is the only
 * writer; the UI reads it through the store. Heavy data (samples, growth rows) is held by reference and
 * replaced, never mutated, so a frozen view is a cheap copy of a few references.
 */
import type {
	AllocationSite,
	ClassRetainers,
	GrowthCandidate,
	HeapLimits,
	MetricsSample,
	PathStep,
	SnapshotJobState,
	SnapshotSummary,
	TargetInfo,
	Trend,
	Verdict,
} from '../model/types.js';

/** A missed sampling tick (target paused by a snapshot, read timed out): drawn as a hole in the charts. */
export interface SampleGap {
	gap: true;
	/** ms since attach */
	t: number;
}

export type HistoryEntry = MetricsSample | SampleGap;

export function isGap(entry: HistoryEntry): entry is SampleGap {
	return (entry as SampleGap).gap === true;
}

export type ConnectionState =
	| {status: 'attaching'}
	| {status: 'live'}
	| {status: 'ended'; reason: string};

export type NoticeLevel = 'info' | 'warn' | 'error';

export interface Notice {
	level: NoticeLevel;
	text: string;
	/** ms since attach of the latest sample when it was posted (for ordering only) */
	at: number;
}

/** Where the next background snapshot stands, for the status line. */
export interface SnapshotPlan {
	/** effective period, null when background snapshots are off */
	intervalMs: number | null;
	/** ms since attach of the next scheduled snapshot, null when none is scheduled */
	nextAtMs: number | null;
	/** why snapshots are held back (heap too close to its limit, pause budget spent, …), null when not */
	gateMessage: string | null;
	/** the period the user asked for; the effective one is longer when pauses would exceed the budget */
	baseIntervalMs?: number | null;
	/** --max-pause-share, and the pause that sets the pace (largest recent), for the status line */
	maxPauseShare?: number;
	lastPauseMs?: number | null;
}

/** The memory cgroup limit of a local target and what its cgroup uses (bytes), for the countdown. */
export interface MemoryLimit {
	limit: number;
	usage: number;
}

export type Loadable<T> =
	| {status: 'loading'}
	| {status: 'ready'; value: T}
	| {status: 'error'; message: string};

/** One level of the "who holds this object" drill below the retainers screen. */
export interface NodeDrill {
	nodeId: number;
	/** the PathStep.label of the object drilled into */
	label: string;
	/** retaining paths of that object, root → object, as the engine answers them */
	paths: Loadable<PathStep[][]>;
	/** selected path within `paths` */
	selected: number;
}

export type GrowthSortKey = 'score' | 'delta' | 'count' | 'retained' | 'self' | 'name';
export const GROWTH_SORT_KEYS: readonly GrowthSortKey[] = ['score', 'delta', 'count', 'retained', 'self', 'name'];

export interface GrowthTableState {
	/** selection is kept by class name so it survives re-ranking when a new snapshot lands */
	selectedName: string | null;
	sort: GrowthSortKey;
	filter: string;
	/** true while `/` filter text is being typed: keys go to the filter, not to commands */
	editingFilter: boolean;
}

export type NonHelpScreen =
	| {name: 'overview'}
	| {name: 'growth'}
	| {name: 'retainers'; className: string; selectedPath: number; selectedStep: number}
	| {name: 'allocations'; selected: number; expanded?: number};

export type Screen = NonHelpScreen | {name: 'help'; returnTo: NonHelpScreen};
export type ScreenName = Screen['name'];

/** What the charts and tables draw from: the live data, or a frozen copy of it (bottom's `f`). */
export interface DisplayData {
	history: readonly HistoryEntry[];
	seriesVersion: number;
	trend: Trend | null;
	heapLimits: HeapLimits | null;
	snapshots: readonly SnapshotSummary[];
	growth: readonly GrowthCandidate[];
	verdict: Verdict | null;
}

export interface AppState extends DisplayData {
	/** null while attaching */
	target: TargetInfo | null;
	connection: ConnectionState;
	/** ring capacity of `history` */
	historyCapacity: number;
	snapshotJob: SnapshotJobState;
	snapshotPlan: SnapshotPlan;
	/** null when the target is remote or has no memory cgroup limit */
	memoryLimit: MemoryLimit | null;
	/** retaining-path clusters of the class on the retainers screen */
	retainers: {className: string; data: Loadable<ClassRetainers>} | null;
	/** second-level drill: stack of objects whose own retainers were asked for, innermost last */
	nodeDrill: NodeDrill[];
	allocationSites: readonly AllocationSite[];
	classAllocationSites: Readonly<Record<string, AllocationSite[]>>;
	notices: readonly Notice[];
	/** non-null while the view is frozen; sampling continues into the live fields */
	frozen: DisplayData | null;
	screen: Screen;
	growthTable: GrowthTableState;
	/** how many samples the charts show (zoom) */
	chartWindow: number;
	viewport: {columns: number; rows: number};
}

export const DEFAULT_HISTORY_CAPACITY = 3600;
export const MAX_NOTICES = 5;
/** chart zoom levels in samples (1 s each at the default interval) */
export const CHART_WINDOWS: readonly number[] = [60, 300, 600, 1800, 3600];
export const DEFAULT_CHART_WINDOW = 300;

export function initialState(overrides: Partial<AppState> = {}): AppState {
	return {
		target: null,
		connection: {status: 'attaching'},
		history: [],
		seriesVersion: 0,
		historyCapacity: DEFAULT_HISTORY_CAPACITY,
		trend: null,
		heapLimits: null,
		snapshotJob: {phase: 'idle'},
		snapshotPlan: {intervalMs: null, nextAtMs: null, gateMessage: null},
		memoryLimit: null,
		snapshots: [],
		growth: [],
		verdict: null,
		retainers: null,
		nodeDrill: [],
		allocationSites: [],
		classAllocationSites: {},
		notices: [],
		frozen: null,
		screen: {name: 'overview'},
		growthTable: {selectedName: null, sort: 'score', filter: '', editingFilter: false},
		chartWindow: DEFAULT_CHART_WINDOW,
		viewport: {columns: 80, rows: 24},
		...overrides,
	};
}

// ---- selectors: pure functions of state, shared by the reducer (navigation) and the UI (drawing) ----

/** The data to draw: the frozen copy when frozen, else the live fields. */
export function selectDisplay(state: AppState): DisplayData {
	return state.frozen ?? state;
}

export function snapshotDisplayData(state: AppState): DisplayData {
	return {
		history: state.history,
		seriesVersion: state.seriesVersion,
		trend: state.trend,
		heapLimits: state.heapLimits,
		snapshots: state.snapshots,
		growth: state.growth,
		verdict: state.verdict,
	};
}

/** The newest real sample (gaps skipped), or null. */
export function latestSample(history: readonly HistoryEntry[]): MetricsSample | null {
	for (let i = history.length - 1; i >= 0; i--) {
		const entry = history[i]!;
		if (!isGap(entry)) return entry;
	}
	return null;
}

/** ms since attach of the newest history entry (sample or gap); 0 before the first. */
export function latestTime(history: readonly HistoryEntry[]): number {
	return history.length === 0 ? 0 : history[history.length - 1]!.t;
}

function compareGrowth(key: GrowthSortKey): (a: GrowthCandidate, b: GrowthCandidate) => number {
	const last = (xs: number[]) => xs[xs.length - 1] ?? 0;
	switch (key) {
		case 'score': return (a, b) => b.score - a.score;
		case 'delta': return (a, b) => b.deltaCount - a.deltaCount;
		case 'count': return (a, b) => last(b.counts) - last(a.counts);
		case 'retained': return (a, b) => (b.retainedSize ?? -1) - (a.retainedSize ?? -1);
		case 'self': return (a, b) => last(b.sizes) - last(a.sizes);
		case 'name': return (a, b) => a.name.localeCompare(b.name);
	}
}

/** Growth rows as the table shows them: filtered (case-insensitive substring), then sorted; name breaks ties. */
export function visibleGrowthRows(growth: readonly GrowthCandidate[], table: GrowthTableState): GrowthCandidate[] {
	const needle = table.filter.trim().toLowerCase();
	const rows = needle === '' ? growth.slice() : growth.filter(c => c.name.toLowerCase().includes(needle));
	const compare = compareGrowth(table.sort);
	return rows.sort((a, b) => compare(a, b) || a.name.localeCompare(b.name));
}

/** Index of the selected row in `rows` (0 when nothing or something no longer listed is selected). */
export function selectedGrowthIndex(rows: readonly GrowthCandidate[], table: GrowthTableState): number {
	if (table.selectedName === null) return 0;
	const index = rows.findIndex(row => row.name === table.selectedName);
	return index < 0 ? 0 : index;
}

/** The class the growth table points at, or null when the table is empty. */
export function selectedGrowthClass(state: AppState): string | null {
	const rows = visibleGrowthRows(selectDisplay(state).growth, state.growthTable);
	return rows[selectedGrowthIndex(rows, state.growthTable)]?.name ?? null;
}

/** Rows a page-up/page-down moves by: the terminal height minus the screens' fixed chrome. */
export function pageSize(state: AppState): number {
	return Math.max(1, state.viewport.rows - 8);
}

/** The representative path of the selected cluster on the retainers screen, if loaded. */
export function selectedRetainerPath(state: AppState): PathStep[] {
	if (state.screen.name !== 'retainers' || state.retainers?.data.status !== 'ready') return [];
	return state.retainers.data.value.clusters[state.screen.selectedPath]?.steps ?? [];
}

/** Allocation sites, most live bytes first. */
export function sortedAllocationSites(sites: readonly AllocationSite[]): AllocationSite[] {
	return sites.slice().sort((a, b) => b.liveBytes - a.liveBytes || a.function.localeCompare(b.function));
}
