/** The last rule: whatever still rises consistently, has not levelled off and is not churn, leaks. */
import {growthDriver, type GrowthRule} from './rule.js';

export const sustainedGrowthRule: GrowthRule = {
	id: 'sustained-growth',
	decide(input) {
		return growthDriver(input) ? 'leak' : 'not-leak';
	},
};
