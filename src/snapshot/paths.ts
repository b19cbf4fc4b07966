/**
 * Retaining paths that people read. The shortest-path tree (traverse.ts) gives, for any node, the raw
 * hops root → … → node; this module turns them into PathStep[] with readable labels (cdp-facts §8):
 *
 * - the synthetic root and `(GC roots)` are dropped; other root categories read "[root: Global handles]";
 *   the root's user root reads "global"; a path through the `process` object starts at "process";
 * - `closure F -[context]-> Context (-[previous]-> Context)* -[context:v]-> X` becomes one step for X:
 *   "v (X) in closure of F (file:line)", "… in outer scope of F …" or "… in module scope of file";
 * - Map/Set hash tables: `cache (Map) › [(string)] Session`, `… › [member] Session`;
 * - EventEmitter `_events`: "listener #3 of 'data' onData (server.js:12)";
 * - timers: "Node timers › setInterval(60000 ms) callback poll (app.js:7)";
 * - closure locations come from graph.locations, their files from closure → shared → script;
 * - a string's value is never printed: strings read "(string)".
 *
 * For a class, up to N instances (spread over the id range) are traced and grouped by path *shape*
 * (edge names and classes, element indexes ignored), most common first, each with a cause hint.
 */
import type {CauseHint, ClassRetainers, PathStep, RetainerCluster, SourceLocation} from '../model/types.js';
import {classNameOf, type ClassKeys, type KeyColumn} from './class-key.js';
import type {HeapGraph, SizeArray} from './graph.js';
import {edgeNameText, LOCATION_COLUMN, LOCATION_FIELDS, LOCATION_LINE, LOCATION_SCRIPT, nodeNameText, nodeTypeText, ROOT_ORDINAL, typeIds} from './graph.js';
import {adviceFor, classifyHops, type HopInfo} from './hints.js';
import {locationEntryOf} from './locations.js';
import {edgeSource, type RetainersIndex} from './retainers-index.js';
import {NO_EDGE, type ShortestPathTree} from './traverse.js';

export interface ClassRetainersOptions {
	/** instances to trace at most (default 200), spread over the class's id range */
	maxInstances?: number;
	/** clusters to return at most (default 5) */
	maxClusters?: number;
}

/** One raw hop: `edge` (from `source`) leads into `node`. The first hop of a path has source = root. */
export interface Hop {
	edge: number;
	source: number;
	node: number;
}

const NUMERIC = /^\d+$/;
const SEPARATOR = ' › ';
const MAX_DIRECT_RETAINERS = 50;

export class PathLabeler {
	private readonly nt: Record<'synthetic' | 'closure' | 'object' | 'string' | 'concatenated string' | 'sliced string' | 'number' | 'regexp' | 'hidden', number>;
	private readonly et: Record<'context' | 'element' | 'property' | 'internal' | 'hidden' | 'shortcut' | 'weak', number>;
	private readonly scriptUrls = new Map<number, string | null>();
	private readonly stringIndexes = new Map<string, number>();
	private readonly contextName: number;
	private readonly nativeContextName: number;
	constructor(
		readonly graph: HeapGraph,
		readonly keys: ClassKeys,
		readonly tree: ShortestPathTree,
		/** DevTools shallow sizes: instances with 0 are not listed by the Summary, so not sampled */
		readonly shallowSizes: SizeArray | null = null,
		/**
		 * Instances per class key, as instancesOf counts them (the summary's counts, with the shallow
		 * sizes); counted here on first use when not given: one pass for every class asked about.
		 */
		private instancesPerKey: Uint32Array | null = null,
	) {
		this.nt = typeIds(graph.nodeTypeNames, ['synthetic', 'closure', 'object', 'string', 'concatenated string', 'sliced string', 'number', 'regexp', 'hidden'] as const);
		this.et = typeIds(graph.edgeTypeNames, ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'] as const);
		this.contextName = graph.strings.indexOf('system / Context');
		this.nativeContextName = graph.strings.indexOf('system / NativeContext');
	}

	/** Raw hops root-side first (the synthetic root itself excluded), or null when unreachable. */
	hopsTo(node: number): Hop[] | null {
		const hops: Hop[] = [];
		let current = node;
		const limit = this.graph.nodeCount;
		while (current !== ROOT_ORDINAL) {
			const edge = this.tree.parentEdge[current]!;
			if (edge === NO_EDGE) return null;
			const source = edgeSource(this.graph, edge);
			hops.push({edge, source, node: current});
			current = source;
			if (hops.length > limit) throw new Error('Cycle in the shortest-path tree');
		}
		return hops.reverse();
	}

	pathTo(node: number): PathStep[] | null {
		if (node === ROOT_ORDINAL) return [];
		const hops = this.hopsTo(node);
		return hops ? this.steps(hops) : null;
	}

	// --- node facts ---------------------------------------------------------------------------------

	className(node: number): string {
		return classNameOf(this.keys, node);
	}

	private isStringNode(node: number): boolean {
		const type = this.graph.nodeType[node];
		return type === this.nt.string || type === this.nt['concatenated string'] || type === this.nt['sliced string'];
	}

	/**
	 * PathStep.node: the class for objects, the function name for closures, never a value: strings,
	 * numbers, RegExps (a snapshot names a RegExp by its source) and the like read as their class.
	 */
	private displayNode(node: number): string {
		const type = this.graph.nodeType[node];
		if (this.isStringNode(node) || type === this.nt.object || type === this.nt.regexp || type === this.nt.number) return this.className(node);
		if (type === this.nt.closure) return nodeNameText(this.graph, node) || '(anonymous)';
		return nodeNameText(this.graph, node);
	}

	private isContext(node: number): boolean {
		return this.contextName >= 0 && this.graph.nodeName[node] === this.contextName;
	}

	/** A Context whose outer scope is the NativeContext is a module's (or script's) top-level scope. */
	contextKind(node: number): 'module' | 'function' | null {
		if (!this.isContext(node)) return null;
		const target = this.findEdge(node, this.et.internal, 'previous');
		if (target < 0 || this.graph.nodeName[target] === this.nativeContextName) return 'module';
		return 'function';
	}

	/** The target of node's first edge of that type and name, or -1. */
	private stringIndex(name: string): number {
		let index = this.stringIndexes.get(name);
		if (index === undefined) {
			index = this.graph.strings.indexOf(name);
			this.stringIndexes.set(name, index);
		}
		return index;
	}

	private findEdge(node: number, type: number, name: string): number {
		const g = this.graph;
		const nameIndex = this.stringIndex(name);
		if (nameIndex < 0) return -1;
		for (let e = g.firstEdge[node]!, end = g.firstEdge[node + 1]!; e < end; e++) {
			if (g.edgeType[e] === type && g.edgeName[e] === nameIndex) return g.edgeTo[e]!;
		}
		return -1;
	}

	/**
	 * findEdge for edges of any type, element and hidden ones (named by their index) included. The
	 * name is compared as the edges hold it (an index, or a string's index: V8 writes each string
	 * once), not as text: a Map's hash table has an edge per slot, and a text per edge was a string
	 * made per edge.
	 */
	private findEdgeByText(node: number, type: number, name: string): number {
		const g = this.graph;
		const numbered = type === this.et.element || type === this.et.hidden;
		const wanted = numbered ? (String(Number(name)) === name ? Number(name) : -1) : this.stringIndex(name);
		if (wanted < 0) return -1;
		for (let e = g.firstEdge[node]!, end = g.firstEdge[node + 1]!; e < end; e++) {
			if (g.edgeType[e] === type && g.edgeName[e] === wanted) return g.edgeTo[e]!;
		}
		return -1;
	}

	/**
	 * The target of the table's edge named `name` of the same type as `valueEdge`: a hash table's key
	 * slot, which V8 writes just before the value's (looked at first; then every edge of the table).
	 */
	private keySlotBefore(table: number, valueEdge: number, name: string): number {
		const g = this.graph;
		const type = g.edgeType[valueEdge]!;
		const before = valueEdge - 1;
		if (before >= g.firstEdge[table]! && g.edgeType[before] === type && edgeNameText(g, before) === name) return g.edgeTo[before]!;
		return this.findEdgeByText(table, type, name);
	}

	/** Source location of a closure (or constructor of an object), 1-based, when V8 recorded one. */
	locationOf(node: number): SourceLocation | undefined {
		const entry = locationEntryOf(this.graph, node);
		if (entry < 0) return undefined;
		const at = entry * LOCATION_FIELDS;
		const entries = this.graph.locations!.entries;
		const url = this.scriptUrl(entries[at + LOCATION_SCRIPT]!, node);
		if (url === null) return undefined;
		return {url, line: entries[at + LOCATION_LINE]! + 1, column: entries[at + LOCATION_COLUMN]! + 1};
	}

	/** The script's URL, found from the snapshot itself: closure -[shared]-> code -[script_or_debug_info]-> script. */
	private scriptUrl(scriptId: number, closure: number): string | null {
		const known = this.scriptUrls.get(scriptId);
		if (known !== undefined) return known;
		let url: string | null = null;
		if (this.graph.nodeType[closure] === this.nt.closure) {
			const shared = this.findEdge(closure, this.et.internal, 'shared');
			if (shared >= 0) {
				let script = this.findEdge(shared, this.et.internal, 'script_or_debug_info');
				if (script < 0) script = this.findEdge(shared, this.et.internal, 'script');
				if (script >= 0) {
					const name = nodeNameText(this.graph, script);
					if (name && !name.startsWith('system / ')) url = name;
					else {
						const inner = this.findEdge(script, this.et.internal, 'script');
						if (inner >= 0 && nodeNameText(this.graph, inner)) url = nodeNameText(this.graph, inner);
					}
				}
			}
			// Only a closure can tell (an object's location does not lead to its script), and not every
			// closure can (lazily compiled ones may lack the link): remember successes only.
			if (url !== null) this.scriptUrls.set(scriptId, url);
		}
		return url;
	}

	private describeFunction(closure: number): {text: string; location?: SourceLocation} {
		const name = nodeNameText(this.graph, closure) || '(anonymous)';
		const location = this.locationOf(closure);
		return location ? {text: `${name} (${baseName(location.url)}:${location.line})`, location} : {text: name};
	}

	// --- labels -------------------------------------------------------------------------------------

	private makeStep(hop: Hop, label: string, location?: SourceLocation): PathStep {
		const g = this.graph;
		const step: PathStep = {
			node: this.displayNode(hop.node),
			type: nodeTypeText(g, hop.node),
			edge: hop.edge === NO_EDGE ? '' : edgeNameText(g, hop.edge),
			edgeType: hop.edge === NO_EDGE ? '' : g.edgeTypeNames[g.edgeType[hop.edge]!] ?? '',
			label,
			nodeId: g.nodeId[hop.node]!,
		};
		if (location) step.location = location;
		return step;
	}

	/** "name (Class)", "[3] Class", "name()" for a hop without special meaning. */
	private genericLabel(hop: Hop): string {
		const g = this.graph;
		const cls = this.className(hop.node);
		if (hop.edge === NO_EDGE) return cls;
		const type = g.edgeType[hop.edge];
		const name = edgeNameText(g, hop.edge);
		const indexed = type === this.et.element || type === this.et.hidden || NUMERIC.test(name);
		if (g.nodeType[hop.node] === this.nt.closure) {
			const fn = nodeNameText(g, hop.node);
			if (indexed) return `[${name}] ${fn || '(anonymous)'}()`;
			return fn === '' || fn === name ? `${name}()` : `${name} (${fn}())`;
		}
		return indexed ? `[${name}] ${cls}` : `${name} (${cls})`;
	}

	/** How a Map table entry reads: the key's class for values ("[(string)] Session"), "[member]" for Sets. */
	private tableEntryLabel(owner: string, table: number, hop: Hop): string {
		const cls = this.className(hop.node);
		if (owner === 'Set') return `[member] ${cls}`;
		const name = edgeNameText(this.graph, hop.edge);
		if (NUMERIC.test(name)) {
			const key = this.keySlotBefore(table, hop.edge, String(Number(name) - 1));
			if (key >= 0) {
				const keyText = this.isStringNode(key) ? '(string)'
					: this.graph.nodeType[key] === this.nt.number ? '(number)'
						: `${this.className(key)} @${this.graph.nodeId[key]}`;
				return `[${keyText}] ${cls}`;
			}
		}
		return `[entry] ${cls}`;
	}

	/** setInterval stores a number in `_repeat`; setTimeout stores null (an Oddball). */
	private timerKind(timeout: number): string {
		const repeat = this.findEdge(timeout, this.et.property, '_repeat');
		if (repeat >= 0 && nodeNameText(this.graph, repeat) === 'system / Oddball') return 'setTimeout';
		return 'setInterval';
	}

	/** Readable steps for raw hops (see the module comment for the rules). */
	steps(hops: readonly Hop[]): PathStep[] {
		const g = this.graph;
		let steps: PathStep[] = [];
		// Scope being walked: closure → Context (→ previous …)
		let scope: {closure: number; outer: number; context: number} | null = null;
		let table: {owner: string; node: number} | null = null;
		let events: {stage: 'object' | 'array'; event: string} | null = null;
		let timerMs: string | null = null;
		let lastEmitted = -1;

		for (let i = 0; i < hops.length; i++) {
			const hop = hops[i]!;
			const {node, source, edge} = hop;
			const edgeType = edge === NO_EDGE ? -1 : g.edgeType[edge]!;
			const edgeName = edge === NO_EDGE ? '' : edgeNameText(g, edge);
			const cls = this.className(node);
			const push = (label: string, location?: SourceLocation): void => {
				steps.push(this.makeStep(hop, label, location));
				lastEmitted = i;
			};

			// Roots.
			if (g.nodeType[node] === this.nt.synthetic) {
				const name = nodeNameText(g, node);
				if (name !== '(GC roots)') push(`[root: ${name.replace(/^\((.*)\)$/, '$1')}]`);
				continue;
			}
			if (source === ROOT_ORDINAL) {
				push(cls.startsWith('global') ? 'global' : cls);
				continue;
			}
			if (edgeType === this.et.internal && edgeName === 'native_context') continue;
			if (cls === 'process' && g.nodeType[node] === this.nt.object) {
				steps = [];
				scope = null;
				push('process');
				continue;
			}

			// Timers: everything before the timers module's list map is noise.
			if (edgeName === 'timerListMap') {
				steps = [];
				scope = null;
				timerMs = null;
				push('Node timers');
				continue;
			}
			if (cls === 'TimersList' && edgeType === this.et.element && i < hops.length - 1) {
				timerMs = edgeName;
				continue;
			}
			if ((edgeName === '_idlePrev' || edgeName === '_idleNext') && (cls === 'Timeout' || cls === 'TimersList')) {
				if (i < hops.length - 1) continue;
				if (cls === 'Timeout') {
					push(`${this.timerKind(node)}(${timerMs ?? '?'} ms) timer`);
					continue;
				}
			}
			if (edgeName === '_onTimeout' && edgeType === this.et.property) {
				const kind = this.timerKind(source);
				const fn = this.describeFunction(node);
				push(`${kind}(${timerMs ?? '?'} ms) callback ${fn.text}`, fn.location);
				continue;
			}

			// Scopes: closure -[context]-> Context -[previous]-> Context … -[context:v]-> X.
			if (this.isContext(node)) {
				if (edgeType === this.et.internal && edgeName === 'context' && g.nodeType[source] === this.nt.closure) {
					scope = {closure: source, outer: 0, context: node};
					if (i < hops.length - 1) continue;
				} else if (edgeType === this.et.internal && edgeName === 'previous' && scope) {
					scope = {closure: scope.closure, outer: scope.outer + 1, context: node};
					if (i < hops.length - 1) continue;
				} else if (i < hops.length - 1) {
					scope = {closure: -1, outer: 0, context: node};
					continue;
				}
			}
			if (scope && source === scope.context && (edgeType === this.et.context || edgeType === this.et.hidden)) {
				const variable = edgeType === this.et.context ? edgeName : 'captured';
				const where = this.describeScope(scope);
				push(`${variable} (${cls}) in ${where.text}`, where.location);
				scope = null;
				continue;
			}
			scope = null;

			// Map / Set hash tables.
			if (edgeType === this.et.internal && edgeName === 'table' && (this.className(source) === 'Map' || this.className(source) === 'Set') && i < hops.length - 1) {
				table = {owner: this.className(source), node};
				continue;
			}
			if (table && source === table.node) {
				push(this.tableEntryLabel(table.owner, table.node, hop));
				table = null;
				continue;
			}
			table = null;

			// EventEmitter listeners.
			if (edgeType === this.et.property && edgeName === '_events' && i < hops.length - 1) {
				events = {stage: 'object', event: ''};
				continue;
			}
			if (events?.stage === 'object' && edgeType === this.et.property) {
				if (cls === 'Array' && i < hops.length - 1) {
					events = {stage: 'array', event: edgeName};
					continue;
				}
				const fn = g.nodeType[node] === this.nt.closure ? this.describeFunction(node) : {text: cls};
				push(`listener of '${edgeName}' ${fn.text}`, 'location' in fn ? fn.location : undefined);
				events = null;
				continue;
			}
			if (events?.stage === 'array' && edgeType === this.et.element) {
				const fn = g.nodeType[node] === this.nt.closure ? this.describeFunction(node) : {text: cls};
				push(`listener #${edgeName} of '${events.event}' ${fn.text}`, 'location' in fn ? fn.location : undefined);
				events = null;
				continue;
			}
			events = null;

			if (g.nodeType[node] === this.nt.closure) {
				const location = this.locationOf(node);
				push(this.genericLabel(hop), location);
				continue;
			}
			push(this.genericLabel(hop));
		}
		// The object itself always ends the path, whatever the rules above skipped.
		const last = hops[hops.length - 1];
		if (last && lastEmitted !== hops.length - 1) steps.push(this.makeStep(last, this.genericLabel(last)));
		return steps;
	}

	private describeScope(scope: {closure: number; outer: number; context: number}): {text: string; location?: SourceLocation} {
		if (scope.closure < 0) return {text: 'a scope'};
		const fn = this.describeFunction(scope.closure);
		if (this.contextKind(scope.context) === 'module') {
			return fn.location ? {text: `module scope of ${baseName(fn.location.url)}`, location: fn.location} : {text: 'module scope'};
		}
		return {text: `${scope.outer > 0 ? 'outer scope' : 'closure'} of ${fn.text}`, location: fn.location};
	}

	// --- hints and shapes ---------------------------------------------------------------------------

	hopInfo(hops: readonly Hop[]): HopInfo[] {
		const g = this.graph;
		return hops.map(hop => ({
			edgeType: hop.edge === NO_EDGE ? '' : g.edgeTypeNames[g.edgeType[hop.edge]!] ?? '',
			edgeName: hop.edge === NO_EDGE ? '' : edgeNameText(g, hop.edge),
			nodeType: nodeTypeText(g, hop.node),
			className: this.className(hop.node),
			contextKind: this.contextKind(hop.node),
			isGlobal: hop.source === ROOT_ORDINAL && g.nodeType[hop.node] !== this.nt.synthetic,
			isRootCategory: g.nodeType[hop.node] === this.nt.synthetic,
		}));
	}

	/**
	 * The path's shape: edge names and classes, with element/slot indexes blanked and runs of the same
	 * hop (linked lists: `next`, timer lists: `_idleNext`/`_idlePrev`) counted once, so that instances
	 * held the same way fall into one cluster wherever they sit in their collection.
	 */
	shape(hops: readonly Hop[]): string {
		const g = this.graph;
		let out = '';
		let previous = '';
		for (const hop of hops) {
			const type = g.edgeType[hop.edge]!;
			let name = edgeNameText(g, hop.edge);
			if (type === this.et.element || type === this.et.hidden || NUMERIC.test(name)) name = '#';
			else if (name === '_idlePrev' || name === '_idleNext') name = '_idle';
			const token = `${g.edgeTypeNames[type]}:${name}>${this.className(hop.node)}|`;
			if (token !== previous) out += token;
			previous = token;
		}
		return out;
	}

	/** Node ordinals of one class (as the Summary lists them), in node order. */
	instancesOf(className: string): Uint32Array | null {
		const c = this.keys.classNames.indexOf(className);
		if (c < 0) return null;
		const {nodeKey, keyClass, keyCount} = this.keys;
		// One lookup per node: which keys belong to the class (same-named classes from several files).
		const wanted = new Uint8Array(keyCount);
		let found = 0;
		this.instancesPerKey ??= countInstancesPerKey(nodeKey, keyCount, this.shallowSizes, this.graph.nodeCount);
		for (let k = 0; k < keyCount; k++) {
			if (keyClass[k] !== c) continue;
			wanted[k] = 1;
			found += this.instancesPerKey[k]!;
		}
		// A typed array of the exact size, not a JS array of up to a million numbers (those cost heap and
		// GC time for a list that is only sampled), nor one grown as it fills (its garbage adds to the
		// peak of a big snapshot's analysis, which ends with these).
		return collectInstances(nodeKey, wanted, this.shallowSizes, new Uint32Array(found));
	}
}

/** Fills `out` with the nodes of the wanted keys that have a size, in node order (a small function: see record-scanners.ts). */
function collectInstances(nodeKey: KeyColumn, wanted: Uint8Array, shallow: SizeArray | null, out: Uint32Array): Uint32Array {
	const found = out.length;
	for (let n = 0, i = 0, count = nodeKey.length; n < count && i < found; n++) if (wanted[nodeKey[n]!] === 1 && !(shallow && shallow[n] === 0)) out[i++] = n;
	return out;
}

function countInstancesPerKey(nodeKey: KeyColumn, keyCount: number, shallow: SizeArray | null, nodeCount: number): Uint32Array {
	const counts = new Uint32Array(keyCount);
	for (let n = 0; n < nodeCount; n++) if (!(shallow && shallow[n] === 0)) counts[nodeKey[n]!]++;
	return counts;
}

/**
 * `max` instances spread evenly over the class in id order (ids grow with allocation time, so the
 * sample covers old and new objects), as ordinals in id order. Only the ids are sorted (a native
 * numeric sort), not the instances through a comparator: Array's 600 k instances took 150 ms that way.
 */
export function sampleByIdOrder(instances: Uint32Array, ids: Uint32Array, max: number): number[] {
	const byId = (a: number, b: number) => ids[a]! - ids[b]! || a - b;
	if (instances.length <= max) return Array.from(instances).sort(byId);
	if (instances.length <= MAX_PACKED_INSTANCES) return samplePacked(instances, ids, max);
	const sortedIds = new Uint32Array(instances.length);
	for (let i = 0; i < instances.length; i++) sortedIds[i] = ids[instances[i]!]!;
	sortedIds.sort();
	const picked = new Map<number, number>(); // id → the first ordinal found with it (ids are unique in practice)
	for (let i = 0; i < max; i++) picked.set(sortedIds[Math.floor((i * instances.length) / max)]!, -1);
	for (let i = 0; i < instances.length; i++) {
		const n = instances[i]!;
		if (picked.get(ids[n]!) === -1) picked.set(ids[n]!, n);
	}
	return [...picked.values()].sort(byId);
}

/** Up to this many instances, sampleByIdOrder packs (id, position) into one double each (samplePacked). */
const MAX_PACKED_INSTANCES = 1 << 21;

/**
 * sampleByIdOrder on numbers id × 2^21 + position (exact: ids < 2^32, positions < 2^21), which sort
 * as (id, position) does: instances are counted into ID_BUCKETS ranges of ids, and only the ranges the
 * picks fall in are gathered and sorted (a native sort of every instance took ~4 ms per 50 k; a Map
 * lookup per instance before that, more). Equal ids (none in practice) give the first instance with
 * the id, as the general path does.
 */
function samplePacked(instances: Uint32Array, ids: Uint32Array, max: number): number[] {
	const count = instances.length;
	const range = new Float64Array(2);
	idRange(instances, ids, range);
	const lo = range[0]!;
	const buckets = Math.min(ID_BUCKETS, count);
	const scale = buckets / (range[1]! - lo + 1);
	// first[b]: the rank of bucket b's first instance (counts, then their running sums)
	const first = new Uint32Array(buckets + 1);
	countBuckets(instances, ids, lo, scale, buckets, first);
	for (let b = 0; b < buckets; b++) first[b + 1] += first[b]!;
	// where the instances of each bucket a pick falls in go (-1: not gathered)
	const at = new Int32Array(buckets).fill(-1);
	let gatheredCount = 0;
	for (let i = 0, b = 0; i < max; i++) {
		const rank = Math.floor((i * count) / max);
		while (first[b + 1]! <= rank) b++;
		if (at[b]! < 0) {
			at[b] = gatheredCount;
			gatheredCount += first[b + 1]! - first[b]!;
		}
	}
	const gathered = new Float64Array(gatheredCount);
	gather(instances, ids, lo, scale, buckets, at, new Uint32Array(buckets), gathered);
	for (let b = 0; b < buckets; b++) if (at[b]! >= 0) gathered.subarray(at[b], at[b]! + first[b + 1]! - first[b]!).sort();
	const out: number[] = [];
	let lastId = -1;
	for (let i = 0, b = 0; i < max; i++) {
		const rank = Math.floor((i * count) / max);
		while (first[b + 1]! <= rank) b++;
		// equal ids share a bucket: the first of them is in the same gathered run
		const runStart = at[b]!;
		let k = runStart + rank - first[b]!;
		const id = Math.floor(gathered[k]! / PACK);
		if (id === lastId) continue;
		while (k > runStart && Math.floor(gathered[k - 1]! / PACK) === id) k--;
		out.push(instances[gathered[k]! % PACK]!);
		lastId = id;
	}
	return out;
}

const PACK = 2 ** 21;
/** samplePacked's id ranges (at most one per instance). */
const ID_BUCKETS = 4096;

function bucketOf(id: number, lo: number, scale: number, buckets: number): number {
	const b = Math.floor((id - lo) * scale);
	return b < buckets ? b : buckets - 1;
}

function idRange(instances: Uint32Array, ids: Uint32Array, range: Float64Array): void {
	let lo = 0xffff_ffff;
	let hi = 0;
	for (let i = 0; i < instances.length; i++) {
		const id = ids[instances[i]!]!;
		if (id < lo) lo = id;
		if (id > hi) hi = id;
	}
	range[0] = lo;
	range[1] = hi;
}

function countBuckets(instances: Uint32Array, ids: Uint32Array, lo: number, scale: number, buckets: number, first: Uint32Array): void {
	for (let i = 0; i < instances.length; i++) first[bucketOf(ids[instances[i]!]!, lo, scale, buckets) + 1]++;
}

function gather(instances: Uint32Array, ids: Uint32Array, lo: number, scale: number, buckets: number, at: Int32Array, filled: Uint32Array, gathered: Float64Array): void {
	for (let i = 0; i < instances.length; i++) {
		const id = ids[instances[i]!]!;
		const b = bucketOf(id, lo, scale, buckets);
		const start = at[b]!;
		if (start >= 0) gathered[start + filled[b]!++] = id * PACK + i;
	}
}

function baseName(url: string): string {
	const path = url.replace(/^file:\/\//, '');
	const slash = path.lastIndexOf('/');
	return slash >= 0 ? path.slice(slash + 1) : path;
}

export function pathText(steps: readonly PathStep[]): string {
	return steps.map(step => step.label).join(SEPARATOR);
}

/** Groups sampled instances of a class by the shape of their retaining paths, most common first. */
export function classRetainers(labeler: PathLabeler, className: string, options: ClassRetainersOptions = {}): ClassRetainers | null {
	const instances = labeler.instancesOf(className);
	if (!instances) return null;
	const maxInstances = Math.max(1, options.maxInstances ?? 200);
	const maxClusters = Math.max(1, options.maxClusters ?? 5);
	const sample = sampleByIdOrder(instances, labeler.graph.nodeId, maxInstances);

	const groups = new Map<string, {count: number; hops: Hop[] | null}>();
	for (const node of sample) {
		const hops = labeler.hopsTo(node);
		const key = hops ? labeler.shape(hops) : '(unreachable)';
		const group = groups.get(key);
		if (group) group.count++;
		else groups.set(key, {count: 1, hops});
	}
	const ranked = [...groups.values()].sort((a, b) => b.count - a.count).slice(0, maxClusters);
	const clusters: RetainerCluster[] = ranked.map(({count, hops}) => {
		if (!hops) return {count, steps: [], text: '(not reachable from the GC roots)', hint: 'other' as CauseHint};
		const steps = labeler.steps(hops);
		return {count, steps, text: pathText(steps), hint: classifyHops(labeler.hopInfo(hops))};
	});
	const hint: CauseHint = clusters.find(c => c.steps.length > 0)?.hint ?? 'other';
	return {className, examined: sample.length, clusters, hint, advice: adviceFor(hint)};
}

/**
 * One path per direct retainer of a node (strong edges first, weak ones after), each ending with the
 * hop from that retainer into the node — the drill-down "who holds this".
 */
export function directRetainerPaths(labeler: PathLabeler, retainers: RetainersIndex, node: number): PathStep[][] {
	const g = labeler.graph;
	const weak = g.edgeTypeNames.indexOf('weak');
	const slots: number[] = [];
	for (let s = retainers.firstRetainer[node]!, end = retainers.firstRetainer[node + 1]!; s < end; s++) slots.push(s);
	slots.sort((a, b) => Number(g.edgeType[retainers.retainerEdge[a]!] === weak) - Number(g.edgeType[retainers.retainerEdge[b]!] === weak));
	const out: PathStep[][] = [];
	for (const s of slots.slice(0, MAX_DIRECT_RETAINERS)) {
		const source = retainers.retainerNode[s]!;
		const edge = retainers.retainerEdge[s]!;
		// An unreachable retainer starts its own path (source -1: no known way in).
		const upstream = source === ROOT_ORDINAL ? [] : labeler.hopsTo(source) ?? [{edge: NO_EDGE, source: -1, node: source}];
		out.push(labeler.steps([...upstream, {edge, source, node}]));
	}
	return out;
}
