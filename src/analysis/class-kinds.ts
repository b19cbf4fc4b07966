/**
 * Generic classes — strings, plain arrays, closures, plain objects — grow along with almost every
 * leak, because the leaking objects hold them. A person fixing the leak wants the app's own class
 * first ("CachedSession", not "(string)"), so generic classes rank at a discount; they stay listed,
 * and still lead when nothing more specific grows (a leak of bare strings is a leak of strings).
 */
const GENERIC_CLASSES = new Set([
	'(string)', '(array)', '(closure)', '(number)', '(regexp)', '(bigint)',
	'Array', 'Object', 'Function', 'String', 'Number', 'Boolean', 'Symbol', 'Promise',
]);

/** Score multiplier for generic classes. */
export const GENERIC_CLASS_WEIGHT = 0.5;

export function isGenericClass(name: string): boolean {
	return GENERIC_CLASSES.has(name) || (name.startsWith('{') && name.endsWith('}') && name.length <= 2);
}
