/**
 * Generic classes — strings, plain arrays, closures, plain objects, Node's timer and stream wrappers —
 * grow along with almost every leak, because the leaking objects hold them or sit in them. A person fixing the leak wants the app's own class
 * first ("CachedSession", not "(string)"), so generic classes rank at a discount; they stay listed,
 * and still lead when nothing more specific grows (a leak of bare strings is a leak of strings).
 */
const GENERIC_CLASSES = new Set([
	'(string)', '(array)', '(closure)', '(number)', '(regexp)', '(bigint)',
	'Array', 'Object', 'Function', 'String', 'Number', 'Boolean', 'Symbol', 'Promise',
]);

/**
 * Node's own wrappers that app objects sit in. A timer leak shows as many `Timeout`s (and their
 * lists), a stream that is never read as many `WritableState`-buffered entries; both rise exactly as
 * fast as the app's class they carry (`TimerLeakState`, `StreamLeakChunk`), which is the one to fix.
 */
const NODE_WRAPPER_CLASSES = new Set([
	'Timeout', 'Immediate', 'TimersList', 'WritableState', 'ReadableState', 'BufferList',
]);

/** Score multiplier for generic classes. */
export const GENERIC_CLASS_WEIGHT = 0.5;

export function isGenericClass(name: string): boolean {
	return GENERIC_CLASSES.has(name) || NODE_WRAPPER_CLASSES.has(name) || isShapeName(name);
}

/**
 * A plain object named by its shape (`{chunk, encoding, callback}`, as DevTools names them): generic
 * data, whoever wrote the literal — Node's stream buffer wraps each pending write in one. A leak of
 * literals alone still leads (everything else that grows with it is generic too).
 */
function isShapeName(name: string): boolean {
	return name.startsWith('{') && name.endsWith('}');
}
