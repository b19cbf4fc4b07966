import {test} from 'node:test';
import assert from 'node:assert/strict';
import {attach} from '../../src/target/attach.js';
import {connectCdpTarget} from '../../src/target/cdp-target.js';
import {inspectorVersion} from '../../src/target/discover.js';
import {TargetClosedError, TimeoutError} from '../../src/target/errors.js';
import type {SnapshotProgress, TargetEndReason} from '../../src/target/target.js';
import {eventually, evaluateIn, rawSession, spawnTarget} from '../helpers/spawn-target.js';

const MB = 1024 * 1024;

test('metrics are plausible and the GC counter moves while the target allocates', async t => {
	const app = await spawnTarget(t, 't-alloc.js');
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	assert.equal(target.info.pid, app.pid);
	assert.equal(target.info.isNode, true);
	assert.equal(target.info.nodeVersion, process.version);
	assert.match(target.info.url, /t-alloc\.js$/);

	const first = await target.readMetrics(2000);
	assert.ok(first.heapUsed > 1 * MB, `heapUsed ${first.heapUsed}`);
	assert.ok(first.heapTotal >= first.heapUsed);
	assert.ok(first.rss !== null && first.rss >= first.heapTotal, `rss ${first.rss} heapTotal ${first.heapTotal}`);
	assert.ok(first.external !== null && first.external > 0);
	assert.ok(first.gc !== null, 'GC probe installed');

	let later = first;
	const moved = await eventually(async () => {
		later = await target.readMetrics(2000);
		return later.gc!.minor > first.gc!.minor;
	}, 5000, 200);
	assert.ok(moved, `minor GCs ${first.gc!.minor} → ${later.gc!.minor}`);
	assert.equal(later.gc!.count, later.gc!.minor + later.gc!.major);
	assert.ok(later.gc!.pauseMs > first.gc!.pauseMs);
	assert.ok(later.gc!.minorMs > 0);

	// A forced full GC (from another session) is a major GC and sets the heap floor.
	const other = await rawSession(app.webSocketUrl!);
	await other.send('HeapProfiler.collectGarbage');
	await other.close();
	let afterMajor = later;
	assert.ok(
		await eventually(async () => {
			afterMajor = await target.readMetrics(2000);
			return afterMajor.gc!.major > later.gc!.major;
		}, 3000, 100),
		'major GC counted',
	);
	assert.ok(afterMajor.gc!.majorMs > 0);
	assert.ok(afterMajor.gc!.heapAfterLastMajorGc !== null && afterMajor.gc!.heapAfterLastMajorGc > MB, `floor ${afterMajor.gc!.heapAfterLastMajorGc}`);

	assert.match((await inspectorVersion('127.0.0.1', app.port!)).browser, /^node\.js\/v/);
	const limits = await target.heapLimits(2000);
	assert.ok(limits.heapSizeLimit > 100 * MB && limits.usedHeapSize > MB && limits.totalHeapSize >= limits.usedHeapSize);
	assert.equal(app.stderr.some(line => /DEP0152|DeprecationWarning/.test(line)), false, 'no deprecation warning in the app');
});

test('close() leaves the app as it was: same globals, no PerformanceObserver, still running', async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const observers = async () => {
		const s = await rawSession(app.webSocketUrl!);
		try {
			await s.send('HeapProfiler.collectGarbage');
			const proto = await s.send('Runtime.evaluate', {expression: "process.getBuiltinModule('perf_hooks').PerformanceObserver.prototype"});
			const {objects} = await s.send('Runtime.queryObjects', {prototypeObjectId: proto.result.objectId, objectGroup: 'test'});
			const count = await s.send('Runtime.callFunctionOn', {objectId: objects.objectId, functionDeclaration: 'function () { return this.length; }', returnByValue: true});
			await s.send('Runtime.releaseObjectGroup', {objectGroup: 'test'});
			return count.result.value as number;
		} finally {
			await s.close();
		}
	};
	const globals = async () => {
		const s = await rawSession(app.webSocketUrl!);
		try {
			return await evaluateIn(s, 'JSON.stringify([Object.getOwnPropertyNames(globalThis).sort(), Object.getOwnPropertySymbols(globalThis).map(String).sort()])');
		} finally {
			await s.close();
		}
	};
	const before = await globals();
	assert.equal(await observers(), 0);

	const target = await attach({kind: 'ws', url: app.webSocketUrl!, host: '127.0.0.1', port: app.port!});
	assert.equal(target.info.attachedVia, 'ws');
	assert.match(target.info.title + target.info.url, /t-idle/);
	await target.readMetrics(2000);
	await target.startAllocationSampling(32768);
	assert.notEqual(await globals(), before, 'the probe slot is visible while attached');
	assert.equal(await observers(), 1, 'the probe observer exists while attached');

	await target.close();
	await target.close(); // idempotent
	assert.equal(await globals(), before);
	assert.equal(await observers(), 0);
	assert.equal(app.child.exitCode, null, 'the app keeps running');
	await assert.rejects(target.readMetrics(500), TargetClosedError);
});

test('a target that ends while attached is reported as exited, and really exits', async t => {
	const app = await spawnTarget(t, 't-exit-soon.js', {args: ['700', '3']});
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	const ended = new Promise<TargetEndReason>(resolve => target.onEnd(resolve));
	const reason = await ended;
	assert.equal(reason.kind, 'exited');
	const status = await Promise.race([app.exited, new Promise(resolve => setTimeout(() => resolve('still running'), 5000))]);
	assert.deepEqual(status, {code: 3, signal: null});
	await assert.rejects(target.readMetrics(500), TargetClosedError);
	await target.close(); // after the end: still fine
});

test('a blocked target times out with TimeoutError, then answers again', async t => {
	const app = await spawnTarget(t, 't-busy.js');
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	await target.readMetrics(2000);
	app.child.kill('SIGUSR2');
	await app.waitForLine(/^blocking$/);
	// execSync's own JavaScript runs before the native wait and can still answer; let it get there.
	await new Promise(resolve => setTimeout(resolve, 250));
	await assert.rejects(target.readMetrics(300), TimeoutError);
	// The first read is still queued in the target; a second caller shares it instead of piling up.
	await assert.rejects(target.readMetrics(300), TimeoutError);
	await app.waitForLine(/^unblocked$/);
	const after = await target.readMetrics(2000);
	assert.ok(after.heapUsed > MB);
});

test('a snapshot streams chunks that concatenate to one valid snapshot', async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	const chunks: string[] = [];
	const progress: SnapshotProgress[] = [];
	await target.takeHeapSnapshot(chunk => chunks.push(chunk), p => progress.push(p));
	assert.ok(chunks.length > 1, `${chunks.length} chunks`);
	const snapshot = JSON.parse(chunks.join(''));
	assert.ok(snapshot.snapshot.node_count > 1000);
	assert.equal(snapshot.nodes.length, snapshot.snapshot.node_count * snapshot.snapshot.meta.node_fields.length);
	assert.ok(progress.length > 0 && progress.at(-1)!.finished);
	// the listeners are gone: a second snapshot does not feed the first callback
	const before = chunks.length;
	await target.takeHeapSnapshot(() => {});
	assert.equal(chunks.length, before);
	const metrics = await target.readMetrics(2000);
	assert.ok(metrics.heapUsed > MB);
});

test('allocation sampling returns a profile', async t => {
	const app = await spawnTarget(t, 't-alloc.js');
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	await target.startAllocationSampling(16384);
	await target.startAllocationSampling(16384); // idempotent
	await new Promise(resolve => setTimeout(resolve, 300));
	const profile = await target.getAllocationProfile();
	assert.equal(profile.head.callFrame.functionName, '(root)');
	const urls: string[] = [];
	const walk = (n: typeof profile.head) => {
		urls.push(n.callFrame.url);
		n.children.forEach(walk);
	};
	walk(profile.head);
	assert.ok(urls.some(u => u.endsWith('t-alloc.js')), 'the allocating script appears');
	await target.stopAllocationSampling();
	await target.stopAllocationSampling();
});

test('a target killed mid-snapshot rejects with TargetClosedError', async t => {
	const app = await spawnTarget(t, 't-big-heap.js');
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	const ended = new Promise<TargetEndReason>(resolve => target.onEnd(resolve));
	let killed = false;
	const snapshot = target.takeHeapSnapshot(
		() => {},
		() => {
			if (!killed) {
				killed = true;
				app.child.kill('SIGKILL');
			}
		},
	);
	await assert.rejects(snapshot, TargetClosedError);
	assert.ok(killed, 'killed during generation');
	assert.equal((await ended).kind, 'exited');
});

/** Counts the target's GC-probe slot and PerformanceObservers through a separate session. */
async function probeTraces(webSocketUrl: string): Promise<{slot: boolean; observers: number}> {
	const s = await rawSession(webSocketUrl);
	try {
		await s.send('HeapProfiler.collectGarbage');
		const slot = await evaluateIn(s, "Object.getOwnPropertySymbols(globalThis).includes(Symbol.for('heaptop.gc'))");
		const proto = await s.send('Runtime.evaluate', {expression: 'PerformanceObserver.prototype', objectGroup: 'test'});
		const {objects} = await s.send('Runtime.queryObjects', {prototypeObjectId: proto.result.objectId, objectGroup: 'test'});
		const count = await s.send('Runtime.callFunctionOn', {objectId: objects.objectId, functionDeclaration: 'function () { return this.length; }', returnByValue: true});
		await s.send('Runtime.releaseObjectGroup', {objectGroup: 'test'});
		return {slot, observers: count.result.value};
	} finally {
		await s.close();
	}
}

test('the GC probe removes itself when heaptop vanishes, and is re-installed when lost', async t => {
	const app = await spawnTarget(t, 't-alloc.js');
	// heaptop "dies": the socket goes without any cleanup.
	const crashed = await connectCdpTarget({webSocketUrl: app.webSocketUrl!, attachedVia: 'ws', gcWatchdogMs: 1000});
	await crashed.readMetrics(2000);
	await crashed.dropConnection();
	assert.deepEqual(await probeTraces(app.webSocketUrl!), {slot: true, observers: 1}, 'still there right after');
	assert.ok(await eventually(async () => (await probeTraces(app.webSocketUrl!)).observers === 0, 4000, 300), 'the watchdog removed it');
	assert.equal((await probeTraces(app.webSocketUrl!)).slot, false);

	// A session that stops polling for longer than the watchdog loses its probe; the next read
	// re-installs it and the totals keep counting instead of restarting from 0.
	const target = await connectCdpTarget({webSocketUrl: app.webSocketUrl!, attachedVia: 'ws', gcWatchdogMs: 1000});
	t.after(() => target.close());
	let before = (await target.readMetrics(2000)).gc!;
	assert.ok(await eventually(async () => (before = (await target.readMetrics(2000)).gc!).minor > 0, 3000, 100));
	assert.ok(await eventually(async () => !(await probeTraces(app.webSocketUrl!)).slot, 4000, 300), 'lost');
	const noticed = (await target.readMetrics(2000)).gc!; // notices, re-installs
	assert.ok(noticed.count >= before.count && noticed.minor >= before.minor, 'what the lost probe saw is kept');
	let again = before;
	assert.ok(await eventually(async () => {
		again = (await target.readMetrics(2000)).gc!;
		return again.minor > before.minor;
	}, 3000, 100));
	assert.ok(again.count >= before.count, `${before.count} → ${again.count}`);
	await target.close();
	assert.deepEqual(await probeTraces(app.webSocketUrl!), {slot: false, observers: 0});
});

test('without process.getBuiltinModule (Node < 20.16) the probe falls back to require', async t => {
	const app = await spawnTarget(t, 't-no-getbuiltin.js');
	assert.ok(app.stdout.includes('ready undefined'));
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	let metrics = await target.readMetrics(2000);
	assert.ok(metrics.gc !== null, 'probe installed');
	assert.ok(await eventually(async () => (metrics = await target.readMetrics(2000)).gc!.minor > 0, 5000, 100));
	assert.ok((await target.heapLimits(2000)).heapSizeLimit > MB);
	await target.close();
	assert.deepEqual(await probeTraces(app.webSocketUrl!), {slot: false, observers: 0});
	assert.equal(app.child.exitCode, null);
});

test('heap id renumbering is reported: never between our own snapshots, and (Node 20) after another client disconnects', async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	assert.equal((await target.takeHeapSnapshot(() => {})).idsRenumbered, false, 'the first snapshot has nothing to compare with');
	assert.equal((await target.takeHeapSnapshot(() => {})).idsRenumbered, false, 'our own snapshots keep the ids');
	const other = await rawSession(app.webSocketUrl!);
	await other.send('Runtime.evaluate', {expression: '1'});
	await other.close();
	// cdp-facts §5: on Node 20 another session's disconnect wipes the id map; on Node 22+ it does not
	const wipes = Number(process.versions.node.split('.')[0]) <= 20;
	assert.equal((await target.takeHeapSnapshot(() => {})).idsRenumbered, wipes);
	assert.equal((await target.takeHeapSnapshot(() => {})).idsRenumbered, false, 'the new epoch holds from then on');
});
