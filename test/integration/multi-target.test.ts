/**
 * Several Node targets behind one inspector port (a proxy in front of several processes): heaptop
 * must not pick one silently — it would pause the wrong process for snapshots. It lists the
 * candidates (title, url, ws:// URL), says how to choose, and exits 2; the listed ws:// URL works.
 *
 * The shared port is simulated by a small HTTP server serving /json/list with the real entries of two
 * real inspectors. And an app with worker threads (whose targets Node exposes through the NodeWorker
 * domain, not /json/list) is still one target that check watches normally.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli} from '../helpers/run-cli.js';
import {spawnTarget} from '../helpers/spawn-target.js';

interface ListEntry {
	title: string;
	url: string;
	webSocketDebuggerUrl: string;
	type: string;
}

async function jsonList(port: number): Promise<ListEntry[]> {
	const response = await fetch(`http://127.0.0.1:${port}/json/list`);
	return (await response.json()) as ListEntry[];
}

/** An HTTP server on loopback that answers /json/list (and /json, /json/version) with `entries`. */
async function fakeInspectorList(entries: unknown[]): Promise<{port: number; close(): Promise<void>}> {
	const server = http.createServer((request, response) => {
		const path = request.url ?? '';
		const body = path === '/json/version' ? {Browser: 'node.js/v20.20.2', 'Protocol-Version': '1.1'} : path === '/json' || path === '/json/list' ? entries : null;
		response.writeHead(body ? 200 : 404, {'content-type': 'application/json'});
		response.end(body ? JSON.stringify(body) : '');
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as {port: number};
	return {port, close: () => new Promise(resolve => server.close(() => resolve()))};
}

test('two Node targets behind one port: both listed with title, url and ws:// URL, how to choose, exit 2; the listed URL then works', async t => {
	const [a, b] = await Promise.all([spawnTarget(t, 't-idle.js'), spawnTarget(t, 't-alloc.js')]);
	const entries = [...(await jsonList(a.port!)), ...(await jsonList(b.port!))];
	assert.equal(entries.length, 2);
	const list = await fakeInspectorList(entries);
	t.after(() => list.close());

	const r = await runCli(['check', String(list.port), '--duration', '2s']);
	assert.equal(r.code, 2, r.stderr);
	assert.match(r.stderr, new RegExp(`^heaptop: 2 Node targets share the inspector at 127\\.0\\.0\\.1:${list.port}; choose one by passing its ws:// URL`));
	for (const entry of entries) {
		assert.ok(r.stderr.includes(entry.webSocketDebuggerUrl), `${entry.webSocketDebuggerUrl} listed:\n${r.stderr}`);
		assert.ok(r.stderr.includes(entry.title), `${entry.title} listed:\n${r.stderr}`);
	}
	assert.match(r.stderr, /t-idle\.js[\s\S]*t-alloc\.js/);
	assert.match(r.stderr, /e\.g\. heaptop check ws:\/\//);
	assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
	// neither process was touched: both still run, nobody attached
	assert.equal(a.child.exitCode, null);
	assert.equal(b.child.exitCode, null);
	assert.ok(!a.stderr.some(line => /Debugger attached/.test(line)) && !b.stderr.some(line => /Debugger attached/.test(line)));

	// Following the advice: the second candidate's ws:// URL attaches to exactly that process.
	const chosen = entries.find(e => e.title.endsWith('t-alloc.js'))!;
	const picked = await runCli(['check', chosen.webSocketDebuggerUrl, '--duration', '2s', '--snapshot-every', '0'], {timeoutMs: 30_000});
	assert.notEqual(picked.code, 2, picked.stderr);
	assert.match(picked.stderr, new RegExp(`watching \\S*t-alloc\\.js \\(pid ${b.pid},`));
});

test('an app with worker threads is one target: check watches its main thread and takes snapshots normally', async t => {
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-workers-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const app = join(dir, 'with-workers.mjs');
	writeFileSync(app, [
		"import {Worker} from 'node:worker_threads';",
		"const code = \"const {parentPort} = require('node:worker_threads'); const keep = []; setInterval(() => { keep.push({at: Date.now()}); parentPort.postMessage(keep.length); }, 100);\";",
		'const workers = [new Worker(code, {eval: true}), new Worker(code, {eval: true})];',
		'let messages = 0;',
		"for (const w of workers) w.on('message', () => { if (++messages === 2) console.log('ready'); });",
		'const mine = [];',
		'setInterval(() => mine.push(new Array(10).fill(messages)), 100);',
	].join('\n'));
	const r = await runCli(['check', '--json', '--duration', '4s', '--snapshot-every', '1s', '--max-pause-share', '1', '--', process.execPath, app], {timeoutMs: 60_000});
	assert.notEqual(r.code, 2, r.stderr);
	const report = JSON.parse(r.stdout) as {samples: unknown[]; snapshots: unknown[]; classes: Array<{name: string}>};
	assert.ok(report.samples.length >= 2, `${report.samples.length} samples`);
	assert.ok(report.snapshots.length >= 1, r.stderr);
	assert.ok(report.classes.length > 0);
});
