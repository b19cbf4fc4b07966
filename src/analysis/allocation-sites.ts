/**
 * Allocation sites — "who allocates what keeps growing" — from the sampling heap profiler's profile
 * (HeapProfiler.getSamplingProfile: a call tree whose nodes carry the sampled bytes still alive that
 * were allocated with that frame innermost; 0-based lines, cdp-facts §7).
 *
 * - A site is a function (name, url, 1-based line/column of its definition — that is what V8 records).
 * - Bytes allocated inside Node internals (node:…, native frames) are credited to the nearest caller
 *   in user code: "Buffer.concat inside node:internal/…" is useless; the app function that called it
 *   is the answer. Internal sites only appear when there is no user frame at all.
 * - Each site keeps the caller stack of its heaviest occurrence, innermost first, because V8 inlining
 *   moves the blame to callers (cdp-facts §7): the real culprit is often one or two frames up.
 */
import {fileURLToPath} from 'node:url';
import {isAbsolute, relative, sep} from 'node:path';
import type {AllocationFrame, AllocationSite, SourceLocation} from '../model/types.js';
import type {SamplingProfile, SamplingProfileNode} from '../target/target.js';
import {correlation} from './stats.js';

export interface AllocationSiteOptions {
	/**
	 * the previous profile, for growthBytes; omit on the first profile. Its sites work too, but only
	 * the ones it kept: a site outside them counts as new (its growth is all of its bytes).
	 */
	previous?: SamplingProfile | readonly AllocationSite[] | null;
	/** how many sites to return (default 10) */
	top?: number;
	/** callers kept per site (default 6, at least 3) */
	stackDepth?: number;
}

const DEFAULT_TOP = 10;
const DEFAULT_STACK_DEPTH = 6;
const MIN_STACK_DEPTH = 3;
const PSEUDO_FRAMES = new Set(['(root)', '(program)', '(idle)', '(garbage collector)', '(V8 API)', '(BYTECODE_COMPILER)']);

/** The profile's url as a plain path where it is a file (ESM gives file:// URLs, CJS plain paths). */
export function normalizeUrl(url: string): string {
	if (!url.startsWith('file://')) return url;
	try {
		return fileURLToPath(url);
	} catch {
		return url.slice('file://'.length);
	}
}

/** For display: a path relative to the project when it lies inside it, without file://. */
export function relativeUrl(url: string, cwd: string): string {
	const path = normalizeUrl(url);
	if (!isAbsolute(path) || !cwd) return path;
	const rel = relative(cwd, path);
	return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

export function toFrame(node: SamplingProfileNode): AllocationFrame {
	const f = node.callFrame;
	return {function: f.functionName || '(anonymous)', url: normalizeUrl(f.url), line: f.lineNumber + 1, column: f.columnNumber + 1};
}

/** Node's own code, native code, and code heaptop evaluated (no url) — never the answer by choice. */
export function isInternalFrame(frame: AllocationFrame): boolean {
	return frame.url === '' || frame.url.startsWith('node:') || frame.url.startsWith('internal/') || PSEUDO_FRAMES.has(frame.function);
}

export function siteKey(frame: AllocationFrame): string {
	return `${frame.function}\u0000${frame.url}\u0000${frame.line}\u0000${frame.column}`;
}

interface SiteTotal {
	frame: AllocationFrame;
	liveBytes: number;
	/** callers of the heaviest single occurrence, innermost first */
	stack: AllocationFrame[];
	heaviest: number;
	internal: boolean;
}

/** Every site's live bytes over the whole tree (internal allocations credited to their user caller). */
export function aggregateSites(profile: SamplingProfile, stackDepth = DEFAULT_STACK_DEPTH): Map<string, SiteTotal> {
	const totals = new Map<string, SiteTotal>();
	const path: AllocationFrame[] = []; // root side first, excluding the (root) head
	const visit = (node: SamplingProfileNode): void => {
		path.push(toFrame(node));
		if (node.selfSize > 0) credit(totals, path, node.selfSize, stackDepth);
		for (const child of node.children) visit(child);
		path.pop();
	};
	for (const child of profile.head.children) visit(child);
	return totals;
}

function credit(totals: Map<string, SiteTotal>, path: readonly AllocationFrame[], bytes: number, stackDepth: number): void {
	// the innermost user frame takes the blame; with none, the innermost frame itself
	let at = path.length - 1;
	for (let i = path.length - 1; i >= 0; i--) {
		if (!isInternalFrame(path[i]!)) { at = i; break; }
	}
	const frame = path[at]!;
	const key = siteKey(frame);
	let total = totals.get(key);
	if (!total) {
		total = {frame, liveBytes: 0, stack: [], heaviest: 0, internal: isInternalFrame(frame)};
		totals.set(key, total);
	}
	total.liveBytes += bytes;
	if (bytes > total.heaviest) {
		total.heaviest = bytes;
		total.stack = path.slice(Math.max(0, at - stackDepth), at).reverse();
	}
}

function previousBytes(previous: AllocationSiteOptions['previous'], stackDepth: number): Map<string, number> | null {
	if (!previous) return null;
	const out = new Map<string, number>();
	if (Array.isArray(previous)) {
		for (const s of previous as readonly AllocationSite[]) out.set(siteKey(s), s.liveBytes);
	} else {
		for (const [key, total] of aggregateSites(previous as SamplingProfile, stackDepth)) out.set(key, total.liveBytes);
	}
	return out;
}

function toSite(total: SiteTotal, before: Map<string, number> | null): AllocationSite {
	const key = siteKey(total.frame);
	return {
		...total.frame,
		liveBytes: total.liveBytes,
		growthBytes: before ? total.liveBytes - (before.get(key) ?? 0) : null,
		stack: total.stack,
	};
}

/** The top allocation sites by live bytes, user code first (internal sites only when there is nothing else). */
export function buildAllocationSites(profile: SamplingProfile, options: AllocationSiteOptions = {}): AllocationSite[] {
	const depth = Math.max(MIN_STACK_DEPTH, options.stackDepth ?? DEFAULT_STACK_DEPTH);
	const totals = [...aggregateSites(profile, depth).values()].filter(t => t.liveBytes > 0);
	const user = totals.filter(t => !t.internal);
	const chosen = (user.length > 0 ? user : totals).sort((a, b) => b.liveBytes - a.liveBytes).slice(0, options.top ?? DEFAULT_TOP);
	const before = previousBytes(options.previous, depth);
	return chosen.map(t => toSite(t, before));
}

export interface ClassSiteOptions {
	/** where the class's constructor is defined (from the snapshot's locations), 1-based */
	classLocation?: SourceLocation | null;
	/** the previous profile, for growthBytes */
	previousProfile?: SamplingProfile | null;
	/**
	 * Fallback when the constructor never shows up as a frame (inlined, or allocates nothing itself):
	 * earlier profiles, oldest first, and the class's instance count at each of them *and* at
	 * `profile` (so classCounts.length === profiles.length + 1).
	 */
	history?: {profiles: readonly SamplingProfile[]; classCounts: readonly number[]} | null;
	top?: number;
	stackDepth?: number;
}

/** Sites whose live bytes must rise with the class at least this closely for the fallback. */
const MIN_CORRELATION = 0.8;

/**
 * The sites most likely to create instances of `className`. V8 shows a class constructor as a frame
 * named like the class; whoever calls that frame creates the instances, so its callers are the sites,
 * weighed by the bytes allocated under the constructor call. Without such frames, fall back to the
 * sites whose live bytes grew in step with the class count across `history`; without history, none.
 */
export function sitesForClass(className: string, profile: SamplingProfile, options: ClassSiteOptions = {}): AllocationSite[] {
	const depth = Math.max(MIN_STACK_DEPTH, options.stackDepth ?? DEFAULT_STACK_DEPTH);
	const top = options.top ?? DEFAULT_TOP;
	const callers = constructorCallers(profile, className, options.classLocation ?? null, depth);
	if (callers.size > 0) {
		const before = options.previousProfile ? mapBytes(constructorCallers(options.previousProfile, className, options.classLocation ?? null, depth)) : null;
		return [...callers.values()].sort((a, b) => b.liveBytes - a.liveBytes).slice(0, top).map(t => toSite(t, before));
	}
	return correlatedSites(profile, options, depth).slice(0, top);
}

function mapBytes(totals: Map<string, SiteTotal>): Map<string, number> {
	return new Map([...totals].map(([key, t]) => [key, t.liveBytes]));
}

function isConstructorFrame(node: SamplingProfileNode, className: string, location: SourceLocation | null): boolean {
	const f = node.callFrame;
	if (f.functionName === className) return true;
	return location !== null && f.lineNumber + 1 === location.line && f.columnNumber + 1 === location.column
		&& normalizeUrl(f.url) === normalizeUrl(location.url);
}

function subtreeBytes(node: SamplingProfileNode): number {
	let sum = node.selfSize;
	for (const child of node.children) sum += subtreeBytes(child);
	return sum;
}

/** Callers of the constructor frame (nearest user caller), with the bytes allocated under each call. */
function constructorCallers(profile: SamplingProfile, className: string, location: SourceLocation | null, depth: number): Map<string, SiteTotal> {
	const totals = new Map<string, SiteTotal>();
	const path: AllocationFrame[] = [];
	const visit = (node: SamplingProfileNode): void => {
		if (isConstructorFrame(node, className, location) && path.length > 0) {
			// nested constructor calls are inside this subtree already: count them once, here
			credit(totals, path, subtreeBytes(node), depth);
			return;
		}
		path.push(toFrame(node));
		for (const child of node.children) visit(child);
		path.pop();
	};
	for (const child of profile.head.children) visit(child);
	for (const [key, t] of totals) if (t.liveBytes <= 0) totals.delete(key);
	return totals;
}

function correlatedSites(profile: SamplingProfile, options: ClassSiteOptions, depth: number): AllocationSite[] {
	const history = options.history;
	if (!history || history.profiles.length < 2 || history.classCounts.length !== history.profiles.length + 1) return [];
	const past = history.profiles.map(p => aggregateSites(p, depth));
	const now = aggregateSites(profile, depth);
	const ranked: Array<{site: AllocationSite; weight: number}> = [];
	for (const [key, total] of now) {
		if (total.internal) continue;
		const series = [...past.map(m => m.get(key)?.liveBytes ?? 0), total.liveBytes];
		const growth = total.liveBytes - series[0]!;
		const r = correlation(series, history.classCounts);
		if (growth > 0 && r >= MIN_CORRELATION) {
			ranked.push({site: {...toSite(total, null), growthBytes: total.liveBytes - series[series.length - 2]!}, weight: growth * r});
		}
	}
	return ranked.sort((a, b) => b.weight - a.weight).map(r => r.site);
}
