#!/usr/bin/env node
// Sanity check of the leak fixtures in test/fixtures/leaks: start each one with its inspector on,
// take heap snapshots a few seconds apart and print how the count of its key class moved.
// A leaking fixture's class must rise; a non-leak's must stay flat (or near zero).
//
//   node bench/check-fixtures.mjs [--gap SECONDS] [--first SECONDS] [fixture.js ...]
import {parseArgs} from 'node:util';
import {fileURLToPath} from 'node:url';
import {join, basename} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {startInspected, connect, countByName} from './lib/inspect-child.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtureDir = join(root, 'test', 'fixtures', 'leaks');

/** fixture file → [class to watch, expected behaviour] */
export const FIXTURES = {
	'listener-leak.js': ['ListenerLeakPayload', 'rises'],
	'cache-leak.js': ['CachedSession', 'rises'],
	'closure-leak.js': ['ClosureLeakBlob', 'rises'],
	'timer-leak.js': ['TimerLeakState', 'rises'],
	'stream-leak.js': ['StreamLeakChunk', 'rises'],
	'lru-plateau.js': ['LruEntry', 'flat'],
	'garbage-heavy.js': ['TempRecord', 'flat'],
};

const {values, positionals} = parseArgs({
	allowPositionals: true,
	options: {gap: {type: 'string', default: '5'}, first: {type: 'string', default: '2'}, snapshots: {type: 'string', default: '3'}},
});
const files = positionals.length ? positionals.map(p => basename(p)) : Object.keys(FIXTURES);
let failures = 0;
for (const file of files) {
	const [cls, expect] = FIXTURES[file] ?? [];
	if (!cls) throw new Error(`unknown fixture ${file}`);
	const {child, wsUrl} = await startInspected(join(fixtureDir, file));
	const client = await connect(wsUrl);
	const counts = [];
	const extra = ['Timeout', 'Object', 'Buffer'];
	const extras = [];
	await sleep(Number(values.first) * 1000);
	const t0 = Date.now();
	for (let i = 0; i < Number(values.snapshots); i++) {
		if (i) await sleep(Number(values.gap) * 1000);
		const c = await countByName(client, [cls, ...extra]);
		counts.push(c.get(cls));
		extras.push(extra.filter(n => c.get(n)).map(n => `${n}=${c.get(n)}`).join(' '));
	}
	const secs = (Date.now() - t0) / 1000;
	const rss = (await client.Runtime.evaluate({expression: 'process.memoryUsage().rss', returnByValue: true})).result.value;
	await client.close();
	child.kill('SIGTERM');
	const rising = counts.every((c, i) => i === 0 || c > counts[i - 1]);
	const flat = counts.every(c => Math.abs(c - counts[0]) <= Math.max(5, counts[0] * 0.02));
	const ok = expect === 'rises' ? rising : flat;
	if (!ok) failures++;
	const rate = ((counts.at(-1) - counts[0]) / secs).toFixed(0);
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${file.padEnd(17)} ${cls.padEnd(20)} ${expect.padEnd(5)} counts=${counts.join(' → ')} (${rate}/s) rss=${(rss / 2 ** 20).toFixed(0)}MiB  [${extras.at(-1)}]`);
}
process.exit(failures ? 1 : 0);
