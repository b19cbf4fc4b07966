import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';
import {graphFromJson} from '../helpers/reference-loader.js';
import {analyzeGraph} from '../../src/snapshot/analysis.js';
import {pathText, sampleByIdOrder} from '../../src/snapshot/paths.js';

const SECRET = 'password=hunter2';

/**
 * A miniature Node heap: global → touch() (a closure of app.js) → module Context with `cache` (a Map
 * keyed by secret strings), `bus` (an EventEmitter), and the timers module's timerListMap.
 */
function nodeLikeHeap() {
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global');
	const gcRoots = b.node('synthetic', '(GC roots)');
	const handles = b.node('synthetic', '(Global handles)');
	b.edge(b.root, gcRoots, 'element', 1).edge(b.root, global, 'shortcut', '2').edge(gcRoots, handles, 'element', 13);
	const nativeContext = b.node('hidden', 'system / NativeContext');
	b.edge(global, nativeContext, 'internal', 'native_context');
	const script = b.node('code', '/srv/app/app.js');
	const closure = (name: string, context: number, line: number) => {
		const fn = b.node('closure', name);
		const shared = b.node('code', name || '(shared function info)');
		b.edge(fn, context, 'internal', 'context').edge(fn, shared, 'internal', 'shared').edge(shared, script, 'internal', 'script_or_debug_info');
		b.location(fn, 42, line - 1, 4);
		return fn;
	};
	const moduleScope = b.node('object', 'system / Context');
	b.edge(moduleScope, nativeContext, 'internal', 'previous');
	const touch = closure('touch', moduleScope, 50);
	b.edge(global, touch, 'property', 'touch');

	// cache: Map → table → [5]=key (a secret string), [6]=value
	const map = b.node('object', 'Map');
	const table = b.node('array', '');
	b.edge(moduleScope, map, 'context', 'cache').edge(map, table, 'internal', 'table');
	const cached: number[] = [];
	for (let i = 0; i < 3; i++) {
		const key = b.node('string', `${SECRET}-${i}`);
		const value = b.node('object', 'CachedSession');
		b.edge(table, key, 'internal', String(5 + 3 * i)).edge(table, value, 'internal', String(6 + 3 * i));
		cached.push(value);
	}

	// bus: EventEmitter → _events → 'data' → Array → [i] closure → Context → leak
	const bus = b.node('object', 'EventEmitter');
	const events = b.node('object', 'Object');
	const list = b.node('object', 'Array');
	b.edge(moduleScope, bus, 'context', 'bus').edge(bus, events, 'property', '_events').edge(events, list, 'property', 'data');
	const listened: number[] = [];
	for (let i = 0; i < 2; i++) {
		const scope = b.node('object', 'system / Context');
		b.edge(scope, moduleScope, 'internal', 'previous');
		const onData = closure('onData', scope, 12);
		const req = b.node('object', 'PendingRequest');
		b.edge(list, onData, 'element', i).edge(scope, req, 'context', 'req');
		listened.push(req);
	}

	// timers: timers-module Context → timerListMap → [60000] TimersList → Timeout → _onTimeout
	const timersScope = b.node('object', 'system / Context');
	b.edge(timersScope, nativeContext, 'internal', 'previous');
	const setTimeoutFn = closure('setTimeout', timersScope, 100);
	b.edge(global, setTimeoutFn, 'property', 'setTimeout');
	const listMap = b.node('object', 'Object');
	const timersList = b.node('object', 'TimersList');
	const timeout = b.node('object', 'Timeout');
	b.edge(timersScope, listMap, 'context', 'timerListMap').edge(listMap, timersList, 'element', 60000).edge(timersList, timeout, 'property', '_idleNext');
	const tickScope = b.node('object', 'system / Context');
	b.edge(tickScope, moduleScope, 'internal', 'previous');
	const poll = closure('poll', tickScope, 7);
	const polled = b.node('object', 'PollState');
	b.edge(timeout, poll, 'property', '_onTimeout').edge(tickScope, polled, 'context', 'state');

	// Something only a system root holds.
	const handleOnly = b.node('object', 'NativeHandle');
	b.edge(handles, handleOnly, 'internal', '4');
	return {g: graphFromJson(b.toJson()), cached, listened, polled, handleOnly};
}

test('Map entries read "cache (Map) in module scope of app.js › [(string)] CachedSession", never the key text', () => {
	const {g, cached} = nodeLikeHeap();
	const analysis = analyzeGraph(g);
	const steps = analysis.pathTo(g.nodeId[cached[1]!]!)!;
	assert.equal(pathText(steps), 'global › touch() › cache (Map) in module scope of app.js › [(string)] CachedSession');
	assert.equal(steps.at(-1)!.nodeId, g.nodeId[cached[1]!]);
	assert.equal(steps.at(-1)!.node, 'CachedSession');
	assert.deepEqual(steps[2]!.location, {url: '/srv/app/app.js', line: 50, column: 5});
	assert.ok(!JSON.stringify(steps).includes('hunter2'));
});

test('listeners read "listener #i of \'data\'" and captured variables name their closure and file', () => {
	const {g, listened} = nodeLikeHeap();
	const steps = analyzeGraph(g).pathTo(g.nodeId[listened[1]!]!)!;
	assert.equal(pathText(steps), "global › touch() › bus (EventEmitter) in module scope of app.js › listener #1 of 'data' onData (app.js:12) › req (PendingRequest) in closure of onData (app.js:12)");
});

test('timers read "Node timers › setInterval(60000 ms) callback poll (app.js:7)"', () => {
	const {g, polled} = nodeLikeHeap();
	const steps = analyzeGraph(g).pathTo(g.nodeId[polled]!)!;
	assert.equal(pathText(steps), 'Node timers › setInterval(60000 ms) callback poll (app.js:7) › state (PollState) in closure of poll (app.js:7)');
});

test('root categories read "[root: …]" and (GC roots) is dropped', () => {
	const {g, handleOnly} = nodeLikeHeap();
	const steps = analyzeGraph(g).pathTo(g.nodeId[handleOnly]!)!;
	assert.equal(pathText(steps), '[root: Global handles] › [4] NativeHandle');
});

test('class retainers cluster instances by path shape (indexes ignored) and carry a hint and advice', () => {
	const {g} = nodeLikeHeap();
	const analysis = analyzeGraph(g);
	const cache = analysis.classRetainers('CachedSession')!;
	assert.equal(cache.examined, 3);
	assert.equal(cache.clusters.length, 1);
	assert.equal(cache.clusters[0]!.count, 3);
	assert.equal(cache.hint, 'cache');
	assert.match(cache.advice, /LRU/);
	assert.equal(analysis.classRetainers('PendingRequest')!.hint, 'listener');
	assert.equal(analysis.classRetainers('PollState')!.hint, 'timer');
	assert.equal(analysis.classRetainers('NoSuchClass'), null);
	const sampled = analysis.classRetainers('CachedSession', {maxInstances: 2})!;
	assert.equal(sampled.examined, 2);
	assert.ok(!JSON.stringify(analysis.classRetainers('(string)')).includes('hunter2'), 'string values never show');
});

test('nodeRetainers lists one path per direct retainer; retainedSizeOf answers by id', () => {
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global', {selfSize: 8});
	const a = b.node('object', 'A', {selfSize: 8});
	const c = b.node('object', 'C', {selfSize: 8});
	const shared = b.node('object', 'Shared', {selfSize: 100});
	const weakHolder = b.node('object', 'W', {selfSize: 8});
	b.edge(b.root, global, 'shortcut', 'global').edge(global, a, 'property', 'a').edge(global, c, 'property', 'c').edge(global, weakHolder, 'property', 'w');
	b.edge(weakHolder, shared, 'weak', 'ref').edge(a, shared, 'property', 'x').edge(c, shared, 'property', 'y');
	const g = graphFromJson(b.toJson());
	const analysis = analyzeGraph(g);
	const paths = analysis.nodeRetainers(g.nodeId[shared]!);
	assert.deepEqual(paths.map(pathText), ['global › a (A) › x (Shared)', 'global › c (C) › y (Shared)', 'global › w (W) › ref (Shared)'], 'strong retainers first');
	assert.equal(analysis.retainedSizeOf(g.nodeId[shared]!), 100);
	assert.equal(analysis.retainedSizeOf(g.nodeId[global]!), 8 * 4 + 100);
	assert.equal(analysis.retainedSizeOf(123456), null);
	assert.deepEqual(analysis.nodeRetainers(123456), []);
});

test('sampleByIdOrder picks the same evenly spread instances as sorting them all by id', () => {
	// ids in shuffled order (a heap's ids are not in node order), instances a subset of the nodes
	let seed = 7;
	const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
	const ids = new Uint32Array(5000);
	for (let n = 0; n < ids.length; n++) ids[n] = n * 2 + 1;
	for (let n = ids.length - 1; n > 0; n--) {
		const m = Math.floor(random() * (n + 1));
		[ids[n], ids[m]] = [ids[m]!, ids[n]!];
	}
	const instances = Uint32Array.from({length: ids.length}, (_, n) => n).filter(() => random() < 0.6);
	for (const max of [1, 7, 200, instances.length - 1, instances.length, instances.length + 5]) {
		const all = Array.from(instances).sort((a, b) => ids[a]! - ids[b]!);
		const expected = all.length <= max ? all : Array.from({length: max}, (_, i) => all[Math.floor((i * all.length) / max)]!);
		assert.deepEqual(sampleByIdOrder(instances, ids, max), expected, `max ${max}`);
	}
});

test('sampleByIdOrder with equal ids: one pick per id, the first instance that has it', () => {
	// (V8's ids are unique; a tool-written snapshot may repeat them)
	const ids = Uint32Array.from({length: 1000}, (_, n) => 1 + 2 * Math.floor(n / 3)); // each id thrice
	const instances = Uint32Array.from({length: 1000}, (_, n) => n);
	const sample = sampleByIdOrder(instances, ids, 100);
	assert.equal(new Set(sample.map(n => ids[n])).size, sample.length, 'no id twice');
	assert.ok(sample.every(n => n % 3 === 0), 'the first instance of each id');
	assert.deepEqual(sample, [...sample].sort((a, b) => a - b), 'in id order');
	assert.equal(sample.length, 100);
});

test('a class with thousands of instances: every instance with a size is examined, in node order', () => {
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global', {selfSize: 16});
	b.edge(b.root, global, 'shortcut', 'global');
	const list = b.node('array', '(object elements)', {selfSize: 16});
	b.edge(global, list, 'property', 'items');
	for (let i = 0; i < 2500; i++) {
		// every tenth with no size of its own: not listed by the Summary, so not sampled either
		const item = b.node('object', 'Item', {selfSize: i % 10 === 0 ? 0 : 24});
		b.edge(list, item, 'element', i);
	}
	const analysis = analyzeGraph(graphFromJson(b.toJson()));
	const all = analysis.classRetainers('Item', {maxInstances: 10_000})!;
	assert.equal(all.examined, 2250);
	assert.equal(all.clusters[0]!.count, 2250);
	assert.equal(analysis.classRetainers('Item', {maxInstances: 100})!.examined, 100);
});
