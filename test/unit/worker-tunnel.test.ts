/**
 * The tunnel's own rules, against a scripted parent connection (the real thing is exercised in
 * test/integration/worker-target.test.ts): replies by id, protocol errors as Errors, events by name,
 * NodeRuntime to the main thread, garbage and odd event names ignored, and what detaching does.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {WorkerTunnel} from '../../src/target/worker-tunnel.js';

const WORKER = {sessionId: '7', workerId: '1', title: '[worker 1] pool', url: 'file:///app/pool.js'};

/** A parent connection that records what it is sent; the test plays the worker's part. */
class ScriptedParent extends EventEmitter {
	sent: Array<{method: string; params: any}> = [];
	closed = false;
	answer: (method: string, params: any) => unknown = () => ({});
	async send(method: string, params: any = {}): Promise<any> {
		this.sent.push({method, params});
		return this.answer(method, params);
	}
	async close(): Promise<void> {
		this.closed = true;
	}
	fromWorker(message: unknown, sessionId = WORKER.sessionId): void {
		this.emit('NodeWorker.receivedMessageFromWorker', {sessionId, message: typeof message === 'string' ? message : JSON.stringify(message)});
	}
	toWorker(): Array<{id: number; method: string; params: any}> {
		return this.sent.filter(s => s.method === 'NodeWorker.sendMessageToWorker').map(s => JSON.parse(s.params.message));
	}
}

const tick = () => new Promise(resolve => setImmediate(resolve));

test('commands travel as JSON strings; replies resolve by id, protocol errors reject with their message', async () => {
	const parent = new ScriptedParent();
	const tunnel = new WorkerTunnel(parent, WORKER);
	const a = tunnel.send('Runtime.evaluate', {expression: '1'});
	const b = tunnel.send('Bogus.method');
	await tick();
	const [first, second] = parent.toWorker();
	assert.deepEqual(first, {id: 1, method: 'Runtime.evaluate', params: {expression: '1'}});
	assert.equal(parent.sent[0]!.params.sessionId, '7');
	parent.fromWorker({id: second!.id, error: {code: -32601, message: "'Bogus.method' wasn't found"}});
	parent.fromWorker({id: first!.id, result: {result: {value: 1}}}, '8'); // another worker's reply: not ours
	parent.fromWorker({id: first!.id, result: {result: {value: 2}}});
	assert.deepEqual(await a, {result: {value: 2}});
	await assert.rejects(b, /'Bogus.method' wasn't found/);
});

test('events reach listeners by name; garbage and odd names are dropped; NodeRuntime goes to the main thread', async () => {
	const parent = new ScriptedParent();
	const tunnel = new WorkerTunnel(parent, WORKER);
	const chunks: string[] = [];
	const onChunk = ({chunk}: {chunk: string}) => chunks.push(chunk);
	tunnel.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
	let faked = 0;
	tunnel.on('disconnect', () => faked++);
	parent.fromWorker({method: 'HeapProfiler.addHeapSnapshotChunk', params: {chunk: '{"snap'}});
	parent.fromWorker('{not json');
	parent.fromWorker({method: 'error', params: {}});
	parent.fromWorker({method: 'disconnect', params: {}});
	tunnel.removeListener('HeapProfiler.addHeapSnapshotChunk', onChunk);
	parent.fromWorker({method: 'HeapProfiler.addHeapSnapshotChunk', params: {chunk: 'shot"}'}});
	assert.deepEqual(chunks, ['{"snap']);
	assert.equal(faked, 0);

	await tunnel.send('NodeRuntime.notifyWhenWaitingForDisconnect', {enabled: true});
	assert.deepEqual(parent.sent.at(-1), {method: 'NodeRuntime.notifyWhenWaitingForDisconnect', params: {enabled: true}});
	assert.equal(parent.toWorker().length, 0, 'never asked of the worker');
	let exiting = 0;
	tunnel.on('NodeRuntime.waitingForDisconnect', () => exiting++);
	parent.emit('NodeRuntime.waitingForDisconnect', {});
	assert.equal(exiting, 1);
});

test('the worker exits: calls in flight fail as a closed connection, the parent is closed, then disconnect with the reason', async () => {
	const parent = new ScriptedParent();
	const tunnel = new WorkerTunnel(parent, WORKER, {closeInspectorOnClose: true});
	const pending = tunnel.send('HeapProfiler.takeHeapSnapshot');
	const reason = new Promise<string>(resolve => tunnel.on('disconnect', resolve));
	parent.emit('NodeWorker.detachedFromWorker', {sessionId: '8'}); // another worker
	await tick();
	parent.emit('NodeWorker.detachedFromWorker', {sessionId: '7'});
	await assert.rejects(pending, /WebSocket connection closed \(worker thread 1 \(pool\) exited\)/);
	assert.equal(await reason, 'worker thread 1 (pool) exited');
	assert.ok(parent.closed);
	const methods = parent.sent.map(s => s.method);
	assert.ok(!methods.includes('NodeWorker.detach'), 'nothing to detach from');
	assert.ok(methods.includes('Runtime.evaluate'), 'the inspector heaptop opened is closed through the main thread');
	await assert.rejects(tunnel.send('Runtime.evaluate'), /WebSocket connection closed/);
	assert.equal(parent.listenerCount('NodeWorker.receivedMessageFromWorker'), 0, 'no listener left on the parent');
});

test('close(): detaches from the worker, then closes the parent; other workers attaching later are detached at once', async () => {
	const parent = new ScriptedParent();
	const tunnel = new WorkerTunnel(parent, WORKER);
	parent.emit('NodeWorker.attachedToWorker', {sessionId: '9', workerInfo: {workerId: '2', title: '[worker 2]', url: ''}});
	await tunnel.close();
	await tunnel.close();
	assert.deepEqual(parent.sent.map(s => [s.method, s.params.sessionId]), [['NodeWorker.detach', '9'], ['NodeWorker.detach', '7']]);
	assert.ok(parent.closed);
});
