import {test} from 'node:test';
import assert from 'node:assert/strict';
import {buildAllocationSites, normalizeUrl, relativeUrl, sitesForClass} from '../../src/analysis/allocation-sites.js';
import type {SamplingProfile, SamplingProfileNode} from '../../src/target/target.js';

let nextId = 1;
/** A profile node; line/column are 0-based as V8 sends them. */
function n(functionName: string, url: string, line: number, selfSize: number, children: SamplingProfileNode[] = [], column = 0): SamplingProfileNode {
	return {callFrame: {functionName, scriptId: '1', url, lineNumber: line, columnNumber: column}, selfSize, id: nextId++, children};
}
function profile(...children: SamplingProfileNode[]): SamplingProfile {
	return {head: {callFrame: {functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1}, selfSize: 0, id: nextId++, children}};
}
const APP = '/srv/app/server.js';

/** main → handle → (makeSession → Session ctor) and handle → Buffer.concat in node internals */
function appProfile(sessionBytes: number, bufferBytes: number, ctorBytes = 4000): SamplingProfile {
	return profile(
		n('', APP, 0, 0, [
			n('main', APP, 40, 100, [
				n('handle', APP, 20, 0, [
					n('makeSession', APP, 10, sessionBytes, [n('Session', APP, 2, ctorBytes, [], 13)], 21),
					n('concat', 'node:buffer', 580, bufferBytes),
				], 15),
			], 13),
		]),
		n('processTicksAndRejections', 'node:internal/process/task_queues', 68, 500),
	);
}

test('sites: self bytes per function, 1-based positions, top first, callers innermost first', () => {
	const sites = buildAllocationSites(appProfile(50_000, 20_000));
	assert.deepEqual(sites.map(s => [s.function, s.line, s.column, s.liveBytes]), [
		['makeSession', 11, 22, 50_000],
		['handle', 21, 16, 20_000], // Buffer.concat inside node:buffer is credited to its user caller
		['Session', 3, 14, 4000],
		['main', 41, 14, 100],
	]);
	assert.equal(sites[0]!.url, APP);
	assert.deepEqual(sites[0]!.stack.map(f => f.function), ['handle', 'main', '(anonymous)']);
	assert.deepEqual(sites[2]!.stack.map(f => f.function), ['makeSession', 'handle', 'main', '(anonymous)']);
	assert.equal(sites[0]!.growthBytes, null);
	// Node's own allocations without any user frame never make the top while user code has some
	assert.ok(!sites.some(s => s.url.startsWith('node:')));
});

test('the same function reached through different paths is one site; the heaviest path gives the stack', () => {
	const p = profile(
		n('routeA', APP, 1, 0, [n('alloc', APP, 50, 1000)]),
		n('routeB', APP, 2, 0, [n('alloc', APP, 50, 9000)]),
	);
	const [site] = buildAllocationSites(p);
	assert.equal(site!.liveBytes, 10_000);
	assert.equal(site!.stack[0]!.function, 'routeB');
});

test('stacks keep at least 3 callers and at most the depth asked for', () => {
	let leaf = n('leaf', APP, 99, 1000);
	for (let i = 0; i < 10; i++) leaf = n(`f${i}`, APP, i, 0, [leaf]);
	const p = profile(leaf);
	assert.equal(buildAllocationSites(p)[0]!.stack.length, 6);
	assert.equal(buildAllocationSites(p, {stackDepth: 1})[0]!.stack.length, 3);
	assert.deepEqual(buildAllocationSites(p, {stackDepth: 2})[0]!.stack.map(f => f.function), ['f0', 'f1', 'f2']);
});

test('only internal allocations: they are shown rather than nothing', () => {
	const p = profile(n('listOnTimeout', 'node:internal/timers', 500, 3000), n('(program)', '', -1, 10));
	const sites = buildAllocationSites(p);
	assert.deepEqual(sites.map(s => s.function), ['listOnTimeout', '(program)']);
});

test('growth against the previous profile (or its sites), and top N', () => {
	const before = appProfile(50_000, 20_000);
	const after = appProfile(80_000, 20_000);
	const sites = buildAllocationSites(after, {previous: before});
	assert.equal(sites.find(s => s.function === 'makeSession')!.growthBytes, 30_000);
	assert.equal(sites.find(s => s.function === 'handle')!.growthBytes, 0);
	const fromSites = buildAllocationSites(after, {previous: buildAllocationSites(before)});
	assert.equal(fromSites[0]!.growthBytes, 30_000);
	assert.equal(buildAllocationSites(after, {top: 2}).length, 2);
});

test('urls: file:// stripped, relative to the project when inside it', () => {
	assert.equal(normalizeUrl('file:///srv/app/a%20b.mjs'), '/srv/app/a b.mjs');
	assert.equal(relativeUrl('file:///srv/app/lib/x.mjs', '/srv/app'), 'lib/x.mjs');
	assert.equal(relativeUrl('/srv/app/server.js', '/srv/app'), 'server.js');
	assert.equal(relativeUrl('/srv/other/y.js', '/srv/app'), '/srv/other/y.js');
	assert.equal(relativeUrl('node:internal/timers', '/srv/app'), 'node:internal/timers');
	const p = profile(n('f', 'file:///srv/app/m.mjs', 0, 10));
	assert.equal(buildAllocationSites(p)[0]!.url, '/srv/app/m.mjs');
});

test('sites for a class: the callers of its constructor frame, weighed by what the constructor allocated', () => {
	const p = profile(
		n('login', APP, 30, 500, [n('Session', APP, 2, 6000, [n('Map', '', 0, 0)], 13)], 15),
		n('restore', APP, 60, 0, [n('Session', APP, 2, 2000, [], 13)], 17),
		n('other', APP, 80, 90_000),
	);
	const sites = sitesForClass('Session', p);
	assert.deepEqual(sites.map(s => [s.function, s.line, s.liveBytes]), [['login', 31, 6000], ['restore', 61, 2000]]);
	assert.deepEqual(sitesForClass('Nope', p), []);
	// the constructor's location from the snapshot also identifies it (e.g. minified names)
	const byLocation = sitesForClass('Sx', p, {classLocation: {url: APP, line: 3, column: 14}});
	assert.deepEqual(byLocation.map(s => s.function), ['login', 'restore']);
	// growth against the previous profile
	const before = profile(n('login', APP, 30, 0, [n('Session', APP, 2, 1000, [], 13)], 15));
	assert.equal(sitesForClass('Session', p, {previousProfile: before})[0]!.growthBytes, 5000);
});

test('sites for a class: a constructor called from Node internals is credited to the user caller', () => {
	const p = profile(n('onRequest', APP, 5, 0, [n('emit', 'node:events', 500, 0, [n('Session', APP, 2, 3000)])]));
	assert.deepEqual(sitesForClass('Session', p).map(s => s.function), ['onRequest']);
});

test('sites for a class without constructor frames: sites that grow in step with the class count', () => {
	const mk = (leakBytes: number, steadyBytes: number, noiseBytes: number) => profile(
		n('remember', APP, 10, leakBytes), n('render', APP, 20, steadyBytes), n('tick', APP, 30, noiseBytes),
	);
	const profiles = [mk(1000, 5000, 900), mk(2000, 5100, 100), mk(3100, 4900, 700)];
	const now = mk(4000, 5000, 300);
	const sites = sitesForClass('Session', now, {history: {profiles, classCounts: [100, 200, 300, 400]}});
	assert.deepEqual(sites.map(s => s.function), ['remember']);
	assert.equal(sites[0]!.growthBytes, 900);
	// without history there is no evidence: no sites rather than a guess
	assert.deepEqual(sitesForClass('Session', now), []);
});
