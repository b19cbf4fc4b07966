/**
 * Plain data that crosses module boundaries: protocol layer → collectors → store → UI / reports,
 * and engine worker → main thread. Everything here is structured-clone-able (no classes, no graphs).
 * All byte figures are bytes, all times are milliseconds unless the name says otherwise.
 */

/** Who we are attached to. */
export interface TargetInfo {
	pid: number | null;
	/** e.g. "v20.20.2", or null when the target is not Node */
	nodeVersion: string | null;
	/** inspector title (usually the script name) */
	title: string;
	/** the script URL the inspector reports */
	url: string;
	/** ws:// address we are connected to */
	webSocketUrl: string;
	/** host:port of the inspector */
	address: string;
	/** how we got here */
	attachedVia: 'port' | 'ws' | 'pid' | 'spawn' | 'demo';
	/** the target is another runtime (Chrome tab, Deno, …): some metrics are n/a */
	isNode: boolean;
}

/** One metrics reading. Cumulative GC figures count since attach. */
export interface MetricsSample {
	/** ms since attach */
	t: number;
	heapUsed: number;
	heapTotal: number;
	/** null when the target cannot report it (not Node) */
	rss: number | null;
	external: number | null;
	arrayBuffers: number | null;
	gcCount: number;
	gcPauseMs: number;
	/** scavenges (minor GCs) since attach */
	gcMinor: number;
	/** mark-compacts (major GCs, incl. incremental finalisation) since attach */
	gcMajor: number;
	/** heapUsed right after the most recent major GC, when known (the "heap floor") */
	heapAfterLastMajorGc: number | null;
}

/** The V8 heap limits, for the snapshot gate and the countdown. */
export interface HeapLimits {
	heapSizeLimit: number;
	totalAvailableSize: number;
	usedHeapSize: number;
	totalHeapSize: number;
}

export type TrendShape = 'growing' | 'plateau' | 'stable' | 'unknown';

export interface Trend {
	shape: TrendShape;
	/** least-squares slope of the chosen series (heap floor when available), bytes per second */
	heapBytesPerSec: number;
	rssBytesPerSec: number | null;
	/** coefficient of determination of the linear fit, 0…1 */
	fit: number;
	/** seconds until the V8 heap limit at the current slope, or null when not growing / unknown */
	secondsToHeapLimit: number | null;
	/** a short human label, e.g. "growing +3.1 MB/min" */
	label: string;
}

/** Per-class figures of one snapshot. Keyed by `name`, a durable string (never a string-table index). */
export interface ClassSummary {
	/** constructor / class name as DevTools' Summary shows it (e.g. "Session", "(closure)", "(string)") */
	name: string;
	count: number;
	/** DevTools shallow size (internal arrays attributed to their owner) */
	selfSize: number;
	/** sum of retained sizes, DevTools rule (nested instances counted once); null if not computed */
	retainedSize: number | null;
	minId: number;
	maxId: number;
	/**
	 * Live instances of this class per id generation: entry g counts objects whose id lies in
	 * (boundaries[g-1], boundaries[g]] of the snapshot's `generationBoundaries` (boundaries[-1] = 0);
	 * the last entry counts ids above the last boundary (born since the previous snapshot).
	 */
	countsByGeneration: number[];
}

export interface SnapshotSummary {
	/** 0-based position in the session's series */
	seq: number;
	/** ms since attach when the capture started (null for files) */
	t: number | null;
	/** where it was saved, if it was */
	file: string | null;
	nodeCount: number;
	edgeCount: number;
	/** sum of all self sizes */
	totalSize: number;
	maxNodeId: number;
	/** the max node ids of earlier snapshots used to bucket countsByGeneration */
	generationBoundaries: number[];
	/** every class, largest retained (else self) size first */
	classes: ClassSummary[];
	/** how long the target was paused capturing it (live only), and how long parsing took here */
	captureMs: number | null;
	parseMs: number;
}

/** One hop of a retaining path, root side first. */
export interface PathStep {
	/** node name as the snapshot has it (class name for objects; never a string's value) */
	node: string;
	/** V8 node type ("object", "closure", "array", …) */
	type: string;
	/** the edge that leads *into* this node from the previous step ("" for the first step) */
	edge: string;
	edgeType: string;
	/** what a person reads: "sessionCache (Map)", "closure of onConfig (listener.js:14)", "listener #3 of 'data'" */
	label: string;
	/** source location of a closure on the path, when V8 records one */
	location?: SourceLocation;
	nodeId: number;
}

export interface SourceLocation {
	url: string;
	/** 1-based */
	line: number;
	/** 1-based */
	column: number;
}

export type CauseHint = 'listener' | 'cache' | 'closure' | 'timer' | 'stream' | 'other';

export interface RetainerCluster {
	/** how many sampled instances share this path shape */
	count: number;
	/** one representative path, root → object */
	steps: PathStep[];
	/** the path in one line of readable labels joined with " › " */
	text: string;
	hint: CauseHint;
}

export interface ClassRetainers {
	className: string;
	/** instances examined (sampled when there are many) */
	examined: number;
	clusters: RetainerCluster[];
	hint: CauseHint;
	/** one line: the usual cause and its fix */
	advice: string;
}

export interface GrowthCandidate {
	name: string;
	/** count per snapshot, oldest first (0 where the class was absent) */
	counts: number[];
	/** self bytes per snapshot */
	sizes: number[];
	retainedSize: number | null;
	/** instances born before the latest snapshot's previous one that are still alive (id-range survivors) */
	survivors: number;
	/** count growth since the first snapshot */
	deltaCount: number;
	/** ranking score, higher = more suspicious */
	score: number;
	/** why it was flagged, in a few words */
	reason: string;
}

export type Verdict = 'leak' | 'no-leak' | 'inconclusive';

export interface AllocationFrame {
	function: string;
	url: string;
	/** 1-based */
	line: number;
	/** 1-based */
	column: number;
}

export interface AllocationSite extends AllocationFrame {
	/** sampled bytes still alive allocated here (self, this frame the innermost) */
	liveBytes: number;
	/** change since the previous profile (bytes), null on the first */
	growthBytes: number | null;
	/** callers, innermost first (the site itself is not repeated) */
	stack: AllocationFrame[];
}

/** Progress of the background snapshot job, mirrored into the status line. */
export type SnapshotJobState =
	| {phase: 'idle'}
	| {phase: 'gated'; reason: string}
	| {phase: 'capturing'; done: number; total: number}
	| {phase: 'parsing'; bytes: number}
	| {phase: 'analysing'}
	| {phase: 'failed'; reason: string};
