import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createServer} from 'node:net';
import {attach, demoAppPath} from '../../src/target/attach.js';
import {chooseTarget, parseProcNetTcp, type InspectorEndpoint} from '../../src/target/discover.js';
import {AttachError, RemoteRefusedError} from '../../src/target/errors.js';
import {commandSpec, parseTargetString} from '../../src/target/target-spec.js';
import {inspectorLaunch, isLauncherScript} from '../../src/target/spawn.js';
import {TARGETS_DIR, eventually, spawnTarget, tcpAccepts} from '../helpers/spawn-target.js';

const isAttachError = (reason: AttachError['reason'], message?: RegExp) => (e: unknown) => {
	assert.ok(e instanceof AttachError, `expected an AttachError, got ${e}`);
	assert.equal(e.reason, reason, e.message);
	if (message) assert.match(e.message, message);
	assert.equal(e.message.includes('\n'), false, 'one line');
	return true;
};

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as {port: number};
	await new Promise(resolve => server.close(resolve));
	return port;
}

const processAlive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

test('attach by port, HOST:PORT and ws:// URL', async t => {
	const app = await spawnTarget(t, 't-idle.js');
	for (const text of [String(app.port), `127.0.0.1:${app.port}`, `localhost:${app.port}`, app.webSocketUrl!]) {
		const target = await attach(parseTargetString(text));
		try {
			assert.equal(target.info.pid, app.pid, text);
			assert.equal(target.info.attachedVia, text.startsWith('ws:') ? 'ws' : 'port');
			assert.match(target.info.webSocketUrl, /^ws:\/\//);
			assert.ok((await target.readMetrics(2000)).heapUsed > 0);
		} finally {
			await target.close();
		}
	}
	assert.equal(app.child.exitCode, null);
});

test('--pid opens the inspector with SIGUSR1 and closes it again on close()', async t => {
	// --inspect-port=0 is not --inspect: nothing listens until SIGUSR1, then a random port (not 9229,
	// so this test cannot collide with anything else on the machine).
	const app = await spawnTarget(t, 't-idle.js', {inspect: false, nodeArgs: ['--inspect-port=0']});
	const lines: string[] = [];
	const target = await attach({kind: 'pid', pid: app.pid}, {log: line => lines.push(line)});
	assert.equal(target.info.pid, app.pid);
	assert.equal(target.info.attachedVia, 'pid');
	assert.ok(lines.some(l => /SIGUSR1/.test(l)));
	const port = Number(new URL(target.info.webSocketUrl).port);
	assert.ok(await tcpAccepts('127.0.0.1', port));
	assert.ok((await target.readMetrics(2000)).heapUsed > 0);

	await target.close();
	assert.ok(await eventually(async () => !(await tcpAccepts('127.0.0.1', port)), 3000), 'the inspector port is closed again');
	assert.ok(processAlive(app.pid) && app.child.exitCode === null, 'the app keeps running');
});

test('--pid on the default port 9229', async t => {
	if (await tcpAccepts('127.0.0.1', 9229)) return t.skip('127.0.0.1:9229 is in use on this machine');
	const app = await spawnTarget(t, 't-idle.js', {inspect: false});
	const target = await attach({kind: 'pid', pid: app.pid});
	assert.equal(target.info.address, '127.0.0.1:9229');
	await target.close();
	assert.ok(await eventually(async () => !(await tcpAccepts('127.0.0.1', 9229)), 3000), '9229 is closed again');
	assert.equal(app.child.exitCode, null);
});

test('--pid when 9229 belongs to another inspector: refuses, never attaches to the wrong process', async t => {
	if (await tcpAccepts('127.0.0.1', 9229)) return t.skip('127.0.0.1:9229 is in use on this machine');
	const other = await spawnTarget(t, 't-idle.js', {inspect: false, nodeArgs: ['--inspect=127.0.0.1:9229']});
	assert.ok(await tcpAccepts('127.0.0.1', 9229));
	const app = await spawnTarget(t, 't-idle.js', {inspect: false});
	await assert.rejects(attach({kind: 'pid', pid: app.pid}, {sigusr1WaitMs: 1500}), isAttachError('port-taken', /9229 is taken/));
	assert.ok(processAlive(app.pid) && processAlive(other.pid));
});

test('--pid of a process that already listens: attaches and leaves the inspector open', async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const target = await attach({kind: 'pid', pid: app.pid});
	assert.equal(target.info.pid, app.pid);
	assert.equal(Number(new URL(target.info.webSocketUrl).port), app.port);
	await target.close();
	await new Promise(resolve => setTimeout(resolve, 200));
	assert.ok(await tcpAccepts('127.0.0.1', app.port!), 'not ours to close');
});

test('--pid errors: dead pid, not a Node process, own SIGUSR1 handler', async t => {
	const dead = spawn(process.execPath, ['-e', '0']);
	await new Promise(resolve => dead.once('exit', resolve));
	await assert.rejects(attach({kind: 'pid', pid: dead.pid!}), isAttachError('no-such-process', /no process with pid/));

	const sleeper = spawn('sleep', ['30']);
	t.after(() => sleeper.kill('SIGKILL'));
	await new Promise(resolve => sleeper.once('spawn', resolve));
	await new Promise(resolve => setTimeout(resolve, 50));
	await assert.rejects(attach({kind: 'pid', pid: sleeper.pid!}), isAttachError('not-node', /does not look like a Node\.js process/));
	assert.ok(processAlive(sleeper.pid!), 'not signalled');

	const app = await spawnTarget(t, 't-sigusr1-handler.js', {inspect: false, nodeArgs: ['--inspect-port=0']});
	await assert.rejects(attach({kind: 'pid', pid: app.pid}, {sigusr1WaitMs: 1000}), isAttachError('sigusr1-handled', /handles SIGUSR1 itself/));
	await app.waitForLine(/app got SIGUSR1/);
	assert.equal(app.child.exitCode, null);
});

test('address errors: nothing listening, an HTTP server that is not an inspector, a remote host', async t => {
	const port = await freePort();
	await assert.rejects(attach({kind: 'address', host: '127.0.0.1', port}), isAttachError('nothing-listening', /nothing is listening on 127\.0\.0\.1:\d+ — start the app with --inspect/));
	await assert.rejects(attach(parseTargetString(`ws://127.0.0.1:${port}/abc`)), isAttachError('nothing-listening'));

	const http = await spawnTarget(t, 't-http.js', {inspect: false});
	const httpPort = Number(/PORT (\d+)/.exec(await http.waitForLine(/PORT/))![1]);
	await assert.rejects(attach({kind: 'address', host: '127.0.0.1', port: httpPort}), isAttachError('not-inspector', /not as a Node inspector/));

	await assert.rejects(attach({kind: 'address', host: '10.255.255.1', port: 9229}), (e: unknown) => e instanceof RemoteRefusedError && /ssh -L 9229:127\.0\.0\.1:9229/.test(e.message) && /--allow-remote/.test(e.message));
	await assert.rejects(attach(parseTargetString('ws://192.0.2.1:9229/x')), RemoteRefusedError);
});

test('a stale ws:// id is a clear AttachError', async t => {
	const app = await spawnTarget(t, 't-idle.js');
	await assert.rejects(attach(parseTargetString(`ws://127.0.0.1:${app.port}/00000000-0000-0000-0000-000000000000`)), isAttachError('no-target', /attach by 127\.0\.0\.1:\d+ instead/));
});

test('-- COMMAND starts the app, forwards its output, and stops it on close()', async t => {
	const output: string[] = [];
	const target = await attach(commandSpec([process.execPath, TARGETS_DIR + 't-idle.js']), {output: line => output.push(line)});
	const pid = target.info.pid!;
	t.after(() => target.close());
	assert.equal(target.info.attachedVia, 'spawn');
	assert.ok(await eventually(() => output.includes('ready')), `output: ${output.join('|')}`);
	assert.equal(output.some(l => /Debugger (listening|attached)/.test(l)), false, 'inspector chatter is not app output');
	await target.close();
	assert.equal(processAlive(pid), false, 'stopped');
});

test('-- COMMAND that is not node gets the flag through NODE_OPTIONS', async t => {
	const launch = inspectorLaunch(['npm', 'start'], {NODE_OPTIONS: '--max-old-space-size=100'});
	assert.deepEqual([launch.file, launch.args, launch.env.NODE_OPTIONS], ['npm', ['start'], '--max-old-space-size=100 --inspect=127.0.0.1:0']);
	assert.deepEqual(inspectorLaunch(['/usr/local/bin/node', 'a.js'], {}).args, ['--inspect=127.0.0.1:0', 'a.js']);

	const target = await attach(commandSpec(['sh', '-c', `exec "${process.execPath}" "${TARGETS_DIR}t-idle.js"`]));
	t.after(() => target.close());
	assert.equal(target.info.isNode, true);
	const pid = target.info.pid!;
	await target.close();
	assert.equal(processAlive(pid), false);
});

test('-- npm start: the inspector of npm itself is skipped, the app behind it is attached, and it stops with heaptop', async t => {
	assert.equal(isLauncherScript('file:///usr/lib/node_modules/npm/bin/npm-cli.js'), true);
	assert.equal(isLauncherScript('/home/u/.npm/_npx/1/node_modules/tsx/dist/cli.mjs'), true);
	assert.equal(isLauncherScript('file:///srv/app/server.js'), false);
	assert.equal(isLauncherScript('file:///srv/npm-mirror/app.js'), false);

	const dir = mkdtempSync(join(tmpdir(), 'heaptop-npm-start-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	writeFileSync(join(dir, 'package.json'), JSON.stringify({name: 'npm-start-app', version: '1.0.0', private: true, scripts: {start: 'node app.js'}}));
	writeFileSync(join(dir, 'app.js'), "console.log('app ready'); setInterval(() => {}, 1000);\n");
	const log: string[] = [];
	const target = await attach(commandSpec(['sh', '-c', `cd '${dir}' && exec npm start --silent`]), {log: line => log.push(line)});
	t.after(() => target.close());
	assert.match(target.info.url, /app\.js$/, `attached to ${target.info.url}; log: ${log.join(' | ')}`);
	assert.ok(log.some(l => /skipped the inspector of npm-cli\.js/.test(l)), log.join(' | '));
	const appPid = target.info.pid!;
	await target.close();
	assert.ok(await eventually(() => !processAlive(appPid), 5000), 'the app behind npm is stopped too');
});

test('-- COMMAND failures are AttachErrors', async () => {
	await assert.rejects(attach(commandSpec(['heaptop-no-such-command-xyz'])), isAttachError('spawn-failed', /command not found/));
	await assert.rejects(attach(commandSpec(['sh', '-c', 'echo boom >&2; exit 4'])), isAttachError('spawn-failed', /exited with code 4 before its inspector opened: boom/));
});

test('the demo app is found relative to the package and can be attached', async t => {
	assert.ok(existsSync(demoAppPath()), demoAppPath());
	const target = await attach({kind: 'demo'}, {output: () => {}});
	t.after(() => target.close());
	assert.equal(target.info.attachedVia, 'demo');
	assert.match(target.info.url, /demo-app\.js$/);
	const pid = target.info.pid!;
	await target.close();
	assert.equal(processAlive(pid), false);
});

test('choosing among /json/list entries', () => {
	const e = (id: string, type: string, ws = true): InspectorEndpoint => ({id, type, title: id, url: `file:///${id}`, description: '', webSocketUrl: ws ? `ws://127.0.0.1:1/${id}` : null});
	assert.deepEqual(chooseTarget([e('a', 'node')]), {kind: 'one', endpoint: e('a', 'node'), note: null});
	const several = chooseTarget([e('a', 'node'), e('b', 'node')]);
	assert.equal(several.kind, 'several');
	const page = chooseTarget([e('p', 'page'), e('q', 'page')]);
	assert.ok(page.kind === 'one' && page.endpoint.id === 'p' && /no Node target/.test(page.note!));
	assert.deepEqual(chooseTarget([e('a', 'node', false)]), {kind: 'none', reason: 'debugger-attached'});
	assert.deepEqual(chooseTarget([]), {kind: 'none', reason: 'empty'});
});

test('reading /proc/net/tcp rows', () => {
	const tcp = [
		'  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
		'   0: 0100007F:240D 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0',
		'   1: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4243 1 0000000000000000 100 0 0 10 0',
		'   2: 0100007F:A1B2 0100007F:240D 01 00000000:00000000 00:00000000 00000000  1000        0 4244 1 0000000000000000 100 0 0 10 0',
	].join('\n');
	assert.deepEqual(parseProcNetTcp(tcp), [
		{localAddress: '127.0.0.1', localPort: 9229, state: '0A', inode: '4242'},
		{localAddress: '0.0.0.0', localPort: 8080, state: '0A', inode: '4243'},
		{localAddress: '127.0.0.1', localPort: 0xa1b2, state: '01', inode: '4244'},
	]);
	const tcp6 = 'header\n   0: 00000000000000000000000001000000:240D 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 77 1\n';
	assert.deepEqual(parseProcNetTcp(tcp6), [{localAddress: '::1', localPort: 9229, state: '0A', inode: '77'}]);
});
