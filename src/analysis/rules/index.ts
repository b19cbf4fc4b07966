/**
 * The growth rules in the order they run. Cheap name- and size-based vetoes first, then the shape of
 * the series (consistent rise; roots whose only growth is retained bytes; levelled off), then survival
 * across generations, then the verdict.
 */
import {churnRule} from './churn.rule.js';
import {heaptopOwnRule} from './heaptop-own.rule.js';
import {minGrowthRule} from './min-growth.rule.js';
import {notRisingRule} from './not-rising.rule.js';
import {plateauRule} from './plateau.rule.js';
import {rootContainersRule} from './root-containers.rule.js';
import type {GrowthRule, RuleInput} from './rule.js';
import {sustainedGrowthRule} from './sustained-growth.rule.js';
import {v8InternalsRule} from './v8-internals.rule.js';

export const GROWTH_RULES: readonly GrowthRule[] = [
	heaptopOwnRule,
	v8InternalsRule,
	minGrowthRule,
	notRisingRule,
	rootContainersRule,
	plateauRule,
	churnRule,
	sustainedGrowthRule,
];

export interface RuleOutcome {
	decision: 'leak' | 'not-leak';
	/** the rule that decided */
	ruleId: string;
}

export function applyRules(input: RuleInput, rules: readonly GrowthRule[] = GROWTH_RULES): RuleOutcome {
	for (const rule of rules) {
		const decision = rule.decide(input);
		if (decision) return {decision, ruleId: rule.id};
	}
	return {decision: 'not-leak', ruleId: 'default'};
}
