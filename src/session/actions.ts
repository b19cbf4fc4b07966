/**
 * Everything that can change AppState, as one typed union, and the intents the UI raises for the
 * session to carry out (the UI never talks to the target; it asks).
 *
 * Two families of actions:
 * - data actions, dispatched by session.ts from the sampler, the snapshot pipeline and the target;
 * - UI actions, dispatched by the input router (src/ui/app.tsx) after resolving a key through the keymap.
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
import type {GrowthSortKey, MemoryLimit, NonHelpScreen, NoticeLevel, SnapshotPlan} from './state.js';

export type DataAction =
	| {type: 'attached'; target: TargetInfo}
	| {type: 'sampleReceived'; sample: MetricsSample}
	/** a tick was missed (target paused, read timed out); t = ms since attach */
	| {type: 'gapMarked'; t: number}
	| {type: 'trendUpdated'; trend: Trend}
	| {type: 'heapLimitsUpdated'; limits: HeapLimits}
	| {type: 'memoryLimitUpdated'; limit: MemoryLimit}
	| {type: 'snapshotJobChanged'; job: SnapshotJobState}
	| {type: 'snapshotPlanChanged'; plan: Partial<SnapshotPlan>}
	| {type: 'snapshotCompleted'; summary: SnapshotSummary}
	| {type: 'growthUpdated'; candidates: GrowthCandidate[]; verdict: Verdict}
	/** the session started (or restarted, on a new snapshot) a retainers query for the class */
	| {type: 'retainersRequested'; className: string}
	| {type: 'retainersLoaded'; retainers: ClassRetainers}
	| {type: 'retainersFailed'; className: string; message: string}
	| {type: 'nodeRetainersLoaded'; nodeId: number; paths: PathStep[][]}
	| {type: 'nodeRetainersFailed'; nodeId: number; message: string}
	/** all sites, and optionally the sites attributed to each class */
	| {type: 'allocationSitesUpdated'; sites: AllocationSite[]; byClass?: Record<string, AllocationSite[]>}
	| {type: 'notice'; level: NoticeLevel; text: string}
	/** reason: one line a person reads, e.g. "target exited with code 1" */
	| {type: 'targetEnded'; reason: string};

export type Direction = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end';

export type UiAction =
	| {type: 'navigate'; screen: NonHelpScreen}
	/** tab: overview → growth → allocations → overview */
	| {type: 'cycleScreen'}
	| {type: 'moveSelection'; direction: Direction}
	/** retainers screen: previous/next retaining-path cluster */
	| {type: 'moveCluster'; delta: 1 | -1}
	| {type: 'cycleSort'}
	| {type: 'setSort'; sort: GrowthSortKey}
	| {type: 'filterEditStarted'}
	| {type: 'filterTyped'; text: string}
	| {type: 'filterBackspace'}
	/** keep the typed filter and leave typing mode */
	| {type: 'filterCommitted'}
	/** drop the filter and leave typing mode */
	| {type: 'filterCleared'}
	| {type: 'freezeToggled'}
	| {type: 'helpOpened'}
	| {type: 'helpClosed'}
	/** retainers screen: push a drill level for the object of a path step (its retainers are loading) */
	| {type: 'nodeDrillOpened'; nodeId: number; label: string}
	/** Esc: pop one level (drill, then retainers → growth, allocations/growth → overview) */
	| {type: 'back'}
	| {type: 'toggleExpand'}
	| {type: 'zoom'; delta: 1 | -1}
	| {type: 'resized'; columns: number; rows: number};

export type Action = DataAction | UiAction;

/** What the UI asks the session to do. */
export type Intent =
	| {type: 'requestSnapshot'}
	| {type: 'requestRetainers'; className: string}
	| {type: 'requestNodeRetainers'; nodeId: number}
	| {type: 'quit'};
