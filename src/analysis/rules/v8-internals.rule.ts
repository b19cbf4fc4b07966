/**
 * V8 bookkeeping classes — compiled code, object shapes, string ropes and slices, "(system)" — grow
 * and shrink with JIT activity and string operations, and a leak of app objects drags them along.
 * They only tell a story of their own when their growth is huge.
 */
import type {GrowthRule} from './rule.js';

const INTERNAL_CLASSES = new Set([
	'(system)', '(compiled code)', '(code)', '(object shape)', '(concatenated string)', '(sliced string)',
	'(number)', '(heap number)', '(hidden)', '(internal array)', '(symbol)',
]);

export function isV8InternalClass(name: string): boolean {
	return INTERNAL_CLASSES.has(name) || name.startsWith('system / ');
}

export const v8InternalsRule: GrowthRule = {
	id: 'v8-internals',
	decide({series, stats, thresholds}) {
		if (!isV8InternalClass(series.name)) return undefined;
		return stats.deltaBytes >= thresholds.hugeBytes ? undefined : 'not-leak';
	},
};
