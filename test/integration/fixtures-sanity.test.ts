/**
 * The leak fixtures in test/fixtures/leaks do what their headers promise: each leaking fixture's
 * class count rises between two heap snapshots taken ~2 s apart, and the non-leaks' key classes stay
 * flat. Counts come from real snapshots of the real processes (V8 collects garbage before each one),
 * parsed with plain JSON.parse. All fixtures run side by side so the file stays fast.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {setTimeout as sleep} from 'node:timers/promises';
import {spawnTarget, rawSession} from '../helpers/spawn-target.js';

type Session = Awaited<ReturnType<typeof rawSession>>;

/** Object-type nodes named `name` in a fresh heap snapshot of the session's target. */
async function countObjects(session: Session & {on?: unknown}, name: string): Promise<number> {
	const client = session as unknown as {
		on(event: string, fn: (p: {chunk: string}) => void): void;
		removeListener(event: string, fn: (p: {chunk: string}) => void): void;
		send(method: string, params?: object): Promise<unknown>;
	};
	const chunks: string[] = [];
	const onChunk = (p: {chunk: string}) => chunks.push(p.chunk);
	client.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
	try {
		await client.send('HeapProfiler.takeHeapSnapshot', {reportProgress: false});
	} finally {
		client.removeListener('HeapProfiler.addHeapSnapshotChunk', onChunk);
	}
	const snap = JSON.parse(chunks.join(''));
	const fields: string[] = snap.snapshot.meta.node_fields;
	const typeAt = fields.indexOf('type');
	const nameAt = fields.indexOf('name');
	const objectType = (snap.snapshot.meta.node_types[typeAt] as string[]).indexOf('object');
	const nameIndex = (snap.strings as string[]).indexOf(name);
	let count = 0;
	for (let i = 0; i < snap.nodes.length; i += fields.length) {
		if (snap.nodes[i + typeAt] === objectType && snap.nodes[i + nameAt] === nameIndex) count++;
	}
	return count;
}

const cases: Array<{file: string; cls: string; expect: 'rises' | 'plateau' | 'none'}> = [
	{file: 'listener-leak.js', cls: 'ListenerLeakPayload', expect: 'rises'},
	{file: 'cache-leak.js', cls: 'CachedSession', expect: 'rises'},
	{file: 'closure-leak.js', cls: 'ClosureLeakBlob', expect: 'rises'},
	{file: 'timer-leak.js', cls: 'TimerLeakState', expect: 'rises'},
	{file: 'stream-leak.js', cls: 'StreamLeakChunk', expect: 'rises'},
	{file: 'lru-plateau.js', cls: 'LruEntry', expect: 'plateau'},
	{file: 'garbage-heavy.js', cls: 'TempRecord', expect: 'none'},
];

describe('leak fixtures', {concurrency: true}, () => {
	for (const {file, cls, expect} of cases) {
		it(`${file}: ${cls} ${expect === 'rises' ? 'keeps rising' : expect === 'plateau' ? 'plateaus' : 'is not retained'}`, async t => {
			const target = await spawnTarget(t, `../leaks/${file}`, {ready: null});
			const session = await rawSession(target.webSocketUrl!);
			t.after(() => session.close());
			await sleep(1500); // the LRU fills its 2,000 entries in about 1 s
			const first = await countObjects(session, cls);
			await sleep(2000);
			const second = await countObjects(session, cls);
			if (expect === 'rises') {
				assert.ok(first > 0, `${cls} should exist after 1.5 s, got ${first}`);
				assert.ok(second >= first + 100, `${cls} should rise by at least 100 in 2 s: ${first} → ${second}`);
			} else if (expect === 'plateau') {
				assert.equal(first, 2000, `the LRU should be full (2,000 ${cls})`);
				assert.equal(second, 2000, `the LRU should stay at 2,000 ${cls}`);
			} else {
				assert.ok(first < 50 && second < 50, `${cls} should not be retained: ${first}, ${second}`);
			}
		});
	}
});
