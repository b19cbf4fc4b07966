/**
 * heaptop's GC probe lives in the target: one PerformanceObserver, its entry lists and gc entries
 * (PerformanceNodeEntry) in flight. Their counts move with heaptop's own activity, not the app's,
 * so a handful of them is never a finding. Thousands would be the app's, and pass on.
 */
import type {GrowthRule} from './rule.js';

const PROBE_CLASSES = new Set(['PerformanceObserver', 'PerformanceObserverEntryList', 'PerformanceNodeEntry', 'PerformanceEntry']);
/** far more than the probe ever holds at once */
const PROBE_MAX_COUNT = 64;

export const heaptopOwnRule: GrowthRule = {
	id: 'heaptop-own',
	decide({series}) {
		if (!PROBE_CLASSES.has(series.name)) return undefined;
		return Math.max(...series.counts) <= PROBE_MAX_COUNT ? 'not-leak' : undefined;
	},
};
