/**
 * A leak keeps objects from every generation: what was born between snapshots 1 and 2 is still alive
 * at snapshot 5. Churn keeps almost none of them — its live objects are all young, even when more of
 * them are in flight at once (rising load). When the growth is in object counts and id history is
 * available, too few surviving generations means churn.
 * (Bytes-driven growth — a few old objects getting bigger — is exempt: those objects are old.)
 */
import {growthDriver, survivingGenerations, type GrowthRule} from './rule.js';

export const churnRule: GrowthRule = {
	id: 'churn',
	decide(input) {
		if (growthDriver(input) !== 'count') return undefined;
		const gens = survivingGenerations(input);
		if (!gens) return undefined;
		return gens.surviving / gens.total < input.thresholds.minSurvivingShare ? 'not-leak' : undefined;
	},
};
