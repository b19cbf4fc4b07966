/**
 * A cache that fills up and then stays full rises over the first snapshots and is flat over the last
 * ones. If the last steps (two, or one with only three snapshots) rose by less than a quarter of what
 * the robust slope predicts, the class has levelled off: stay quiet. A real leak that pauses shows up
 * again once it resumes.
 */
import {growthDriver, type GrowthRule, type RuleInput} from './rule.js';

export function levelledOff(input: RuleInput): boolean {
	const driver = growthDriver(input);
	if (!driver) return false;
	const {series, stats, thresholds} = input;
	const values = driver === 'count' ? series.counts : series.bytes;
	const slope = driver === 'count' ? stats.countSlope : stats.bytesSlope;
	const n = values.length;
	const steps = n >= 4 ? 2 : 1;
	const recentRise = values[n - 1]! - values[n - 1 - steps]!;
	const expected = slope * (series.xs[n - 1]! - series.xs[n - 1 - steps]!);
	return recentRise < thresholds.minRecentShare * expected;
}

export const plateauRule: GrowthRule = {
	id: 'plateau',
	decide(input) {
		return levelledOff(input) ? 'not-leak' : undefined;
	},
};
