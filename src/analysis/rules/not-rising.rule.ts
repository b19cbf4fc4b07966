/**
 * Net growth alone is not a trend: a class that jumps around (load-driven counts, sawtooth churn)
 * can end higher than it started. Neither its count nor its bytes rise consistently → not a leak.
 */
import {growthDriver, type GrowthRule} from './rule.js';

export const notRisingRule: GrowthRule = {
	id: 'not-rising',
	decide(input) {
		return growthDriver(input) === null ? 'not-leak' : undefined;
	},
};
