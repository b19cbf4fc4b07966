/** Growth too small to matter in objects *and* in bytes is not worth anyone's attention. */
import type {GrowthRule} from './rule.js';

export const minGrowthRule: GrowthRule = {
	id: 'min-growth',
	decide({stats, thresholds}) {
		return stats.deltaCount < thresholds.minCount && stats.deltaBytes < thresholds.minBytes ? 'not-leak' : undefined;
	},
};
