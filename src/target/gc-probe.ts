/**
 * Source text heaptop injects into the target with Runtime.evaluate, and the client-side reading of
 * what it returns. cdp-facts §3.2 is the recipe: a PerformanceObserver('gc') kept in a
 * non-enumerable `Symbol.for('heaptop.gc')` slot of globalThis.
 *
 * Hard rules for everything here (it runs inside the user's app):
 *  - every callback body is wrapped in try/catch: an exception in an injected timer or observer
 *    callback would be an uncaught exception in the user's app;
 *  - a watchdog removes the probe when nobody has polled it for a while (heaptop died without
 *    cleaning up), and it is unref'd so it never keeps the app alive;
 *  - read `entry.detail.kind`, never `entry.kind` (the latter prints DEP0152 on the app's stderr);
 *  - modules come from `process.getBuiltinModule` (Node ≥ 20.16/22.3) or, failing that, the
 *    command-line `require`, so these are evaluated with includeCommandLineAPI: true.
 * The slot is reference counted so two heaptop sessions can share it; the last one out removes it.
 */
import type {GcTotals} from './target.js';

export const GC_PROBE_SYMBOL = 'heaptop.gc';
export const DEFAULT_WATCHDOG_MS = 30_000;

/** V8 GC kinds as perf_hooks reports them (perf_hooks.constants.NODE_PERFORMANCE_GC_*). */
const KIND_SCAVENGE = 1;
const KIND_MINOR_MARK = 2; // minor mark-sweep/compact, only with --minor-ms
const KIND_MARK_COMPACT = 4;
const KIND_INCREMENTAL = 8; // marking steps of a major cycle: one entry just before each kind 4

const LOAD_MODULE = `(id) => (typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule(id) : require(id))`;

/** Installs the probe (or joins an existing one). Returns 'installed' or 'shared'. */
export function gcProbeInstallSource(watchdogMs = DEFAULT_WATCHDOG_MS): string {
	return `(() => {
  const K = Symbol.for(${JSON.stringify(GC_PROBE_SYMBOL)});
  const existing = globalThis[K];
  if (existing) { existing.users++; existing.st.lastPoll = Date.now(); return 'shared'; }
  const load = ${LOAD_MODULE};
  const { PerformanceObserver } = load('perf_hooks');
  const v8 = load('v8');
  const st = { n: 0, byKind: {}, durByKind: {}, heapAfterMajor: null, lastPoll: Date.now() };
  const obs = new PerformanceObserver((list) => {
    try {
      let major = false;
      for (const e of list.getEntries()) {
        const k = e.detail ? e.detail.kind : 0;
        st.n++;
        st.byKind[k] = (st.byKind[k] || 0) + 1;
        st.durByKind[k] = (st.durByKind[k] || 0) + e.duration;
        if (k === ${KIND_MARK_COMPACT}) major = true;
      }
      // Entries arrive a few loop turns after the GC, so this is the floor plus a little; cheap at
      // major-GC rate (a few per minute).
      if (major) st.heapAfterMajor = v8.getHeapStatistics().used_heap_size;
    } catch {}
  });
  obs.observe({ entryTypes: ['gc'] });
  const slot = { st, obs, wd: null, users: 1 };
  slot.wd = setInterval(() => {
    try {
      if (Date.now() - st.lastPoll > ${Math.max(1000, Math.floor(watchdogMs))}) {
        obs.disconnect(); clearInterval(slot.wd); delete globalThis[K];
      }
    } catch {}
  }, ${Math.min(1000, Math.max(100, Math.floor(watchdogMs / 4)))});
  slot.wd.unref();
  Object.defineProperty(globalThis, K, { value: slot, configurable: true, enumerable: false, writable: false });
  return 'installed';
})()`;
}

/** Leaves the probe; the last user disconnects the observer and deletes the slot. */
export const GC_PROBE_REMOVE_SOURCE = `(() => {
  const K = Symbol.for(${JSON.stringify(GC_PROBE_SYMBOL)});
  const s = globalThis[K];
  if (!s) return 'none';
  s.users--;
  if (s.users > 0) return 'shared';
  s.obs.disconnect(); clearInterval(s.wd); delete globalThis[K];
  return 'removed';
})()`;

/**
 * One round trip per metrics tick: heap, RSS, external memory and the GC probe's totals (which also
 * feeds its watchdog). Returns [heapUsed, heapTotal, rss, external, arrayBuffers, gcPoll|null], or
 * null when there is no `process` (not Node).
 */
export const METRICS_SOURCE = `(() => {
  if (typeof process !== 'object' || process === null || typeof process.memoryUsage !== 'function') return null;
  const m = process.memoryUsage();
  const s = globalThis[Symbol.for(${JSON.stringify(GC_PROBE_SYMBOL)})];
  let g = null;
  if (s) { s.st.lastPoll = Date.now(); g = [s.st.n, s.st.byKind, s.st.durByKind, s.st.heapAfterMajor]; }
  return [m.heapUsed, m.heapTotal, m.rss, m.external, m.arrayBuffers, g];
})()`;

/** v8.getHeapStatistics() as [heap_size_limit, total_available_size, used_heap_size, total_heap_size]. */
export const HEAP_LIMITS_SOURCE = `(() => {
  const v8 = (${LOAD_MODULE})('v8');
  const h = v8.getHeapStatistics();
  return [h.heap_size_limit, h.total_available_size, h.used_heap_size, h.total_heap_size];
})()`;

/** Identity of the target: [pid, version, argv[1]] or null when it is not Node. */
export const IDENTITY_SOURCE = `(() => {
  if (typeof process !== 'object' || process === null || typeof process.pid !== 'number') return null;
  return [process.pid, String(process.version), String((process.argv && process.argv[1]) || '')];
})()`;

/**
 * Closes the inspector heaptop opened with SIGUSR1, after the reply has been sent (closing it
 * synchronously drops the connection before the answer, cdp-facts §1.3). Disconnects every session.
 */
export const CLOSE_INSPECTOR_SOURCE = `(() => {
  const end = typeof process._debugEnd === 'function'
    ? () => process._debugEnd()
    : (() => { const i = (${LOAD_MODULE})('inspector'); return () => i.close(); })();
  setTimeout(() => { try { end(); } catch {} }, 50).unref();
  return 'closing';
})()`;

export type GcPoll = [count: number, byKind: Record<string, number>, durByKind: Record<string, number>, heapAfterMajor: number | null];

/** Turns the probe's raw per-kind tallies into minor/major totals. */
export function gcTotalsFromPoll(poll: GcPoll): GcTotals {
	const [, byKind, durByKind, heapAfterMajor] = poll;
	const n = (table: Record<string, number>, kind: number) => (typeof table[kind] === 'number' ? table[kind] : 0);
	const minor = n(byKind, KIND_SCAVENGE) + n(byKind, KIND_MINOR_MARK);
	// Count major cycles by their kind-4 entry only; the kind-8 entry of an incremental cycle is the
	// same cycle's marking, so it adds pause time but not a GC (cdp-facts §3.1).
	const major = n(byKind, KIND_MARK_COMPACT);
	const minorMs = n(durByKind, KIND_SCAVENGE) + n(durByKind, KIND_MINOR_MARK);
	const majorMs = n(durByKind, KIND_MARK_COMPACT) + n(durByKind, KIND_INCREMENTAL);
	let pauseMs = 0;
	for (const value of Object.values(durByKind)) if (typeof value === 'number') pauseMs += value;
	return {
		count: minor + major,
		pauseMs,
		minor,
		minorMs,
		major,
		majorMs,
		heapAfterLastMajorGc: typeof heapAfterMajor === 'number' ? heapAfterMajor : null,
	};
}

/**
 * Keeps GC totals cumulative across probe losses: when the watchdog removed the probe (the target was
 * blocked longer than its period, or another session removed it), what the old probe had counted is
 * carried over and added to what its replacement counts.
 */
export class GcTotalsTracker {
	private carried: GcTotals | null = null;
	private last: GcTotals | null = null;

	/** `poll` null means the probe is gone: the caller should re-install it (`lost` is true). */
	update(poll: GcPoll | null): {totals: GcTotals | null; lost: boolean} {
		if (poll === null) {
			if (this.last) this.carried = this.carried ? addGcTotals(this.carried, this.last) : this.last;
			this.last = null;
			return {totals: this.carried, lost: true};
		}
		this.last = gcTotalsFromPoll(poll);
		return {totals: this.carried ? addGcTotals(this.carried, this.last) : this.last, lost: false};
	}
}

/** Adds totals from a probe that was lost (watchdog) to those of its replacement. */
export function addGcTotals(a: GcTotals, b: GcTotals): GcTotals {
	return {
		count: a.count + b.count,
		pauseMs: a.pauseMs + b.pauseMs,
		minor: a.minor + b.minor,
		minorMs: a.minorMs + b.minorMs,
		major: a.major + b.major,
		majorMs: a.majorMs + b.majorMs,
		heapAfterLastMajorGc: b.heapAfterLastMajorGc ?? a.heapAfterLastMajorGc,
	};
}
