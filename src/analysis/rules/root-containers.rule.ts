/**
 * Roots and near-roots — the global object, synthetic "(GC roots)"-style nodes, `process`, the module
 * objects — retain everything the app keeps, so their retained size grows with *any* leak. When that is
 * all that grows (their own count is flat), they are where every path starts, not the finding: the
 * class that actually multiplies, or the collection holding it, is reported instead.
 */
import {growthDriver, type GrowthRule} from './rule.js';

const ROOT_CLASSES = new Set(['Window', 'process', 'Module', 'ModuleWrap', 'Environment']);

export function isRootContainer(name: string): boolean {
	return ROOT_CLASSES.has(name) || name === 'global' || name.startsWith('global /') || name.startsWith('Node / ')
		|| /^\((GC roots|Global handles|Handle scope|Stack roots|Internalized strings|Eternal handles|Builtins|Startup object cache|Strong roots|Strong root list|Bootstrapper|Relocatable|Debug|Compilation cache|Extensions|Smi roots|Thread manager|Weak collections|Write barrier|Partial snapshot cache|Unknown|root)\)$/.test(name)
		|| name === 'C++ roots' || name === 'C++ cross-thread roots';
}

export const rootContainersRule: GrowthRule = {
	id: 'root-containers',
	decide(input) {
		if (!isRootContainer(input.series.name)) return undefined;
		return growthDriver(input) === 'count' ? undefined : 'not-leak';
	},
};
