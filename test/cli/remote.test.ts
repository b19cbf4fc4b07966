/**
 * Attaching to an inspector is remote code execution in that process, and its traffic (heap snapshots
 * included) is clear text. A non-loopback target is refused unless --allow-remote is given — and the
 * refusal happens before anything is sent: no DNS lookup, no TCP connect.
 *
 * To prove "nothing was sent" without sending anything, heaptop runs with a preloaded probe that
 * wraps net.Socket#connect and dns.lookup: each call is written to stderr as a marker line; loopback
 * goes through, anything else fails at once (ECONNREFUSED / ENOTFOUND) before a packet leaves. So
 * these tests never reach another host, and the allowed case can show where heaptop *would* have
 * connected.
 */
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {createServer} from 'node:http';
import {BIN, runCli} from '../helpers/run-cli.js';

const MARK = 'HEAPTOP-TEST-NETWORK';
const PROBE = `
import net from 'node:net';
import dns from 'node:dns';
const say = line => process.stderr.write('${MARK} ' + line + '\\n');
const endpoint = args => {
	const first = Array.isArray(args[0]) ? args[0][0] : args[0];
	if (first && typeof first === 'object') return first.path ? {path: first.path} : {host: first.host ?? 'localhost', port: first.port};
	return {host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first};
};
const loopback = host => host === 'localhost' || /^127\\./.test(host) || host === '::1' || host === '::ffff:127.0.0.1';
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
	const to = endpoint(args);
	if (to.path) return connect.apply(this, args);
	say('connect ' + (to.host.includes(':') ? '[' + to.host + ']' : to.host) + ':' + to.port);
	// loopback goes through (the test's own servers); anything else fails before a packet leaves
	if (loopback(to.host)) return connect.apply(this, args);
	const error = Object.assign(new Error('connect ECONNREFUSED (blocked by the test probe)'), {code: 'ECONNREFUSED', errno: -111, syscall: 'connect'});
	process.nextTick(() => this.destroy(error));
	return this;
};
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {
	say('lookup ' + host);
	const callback = rest.at(-1);
	if (loopback(host) || typeof callback !== 'function') return lookup.call(this, host, ...rest);
	process.nextTick(() => callback(Object.assign(new Error('getaddrinfo ENOTFOUND ' + host), {code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: host})));
};
`;

let dir: string;
let env: NodeJS.ProcessEnv;

before(() => {
	dir = mkdtempSync(join(tmpdir(), 'heaptop-remote-'));
	const probe = join(dir, 'network-probe.mjs');
	writeFileSync(probe, PROBE);
	env = {NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(probe).href}`.trim()};
});

after(() => {
	if (dir) rmSync(dir, {recursive: true, force: true});
});

function networkCalls(stderr: string): string[] {
	return stderr.split('\n').filter(line => line.startsWith(MARK)).map(line => line.slice(MARK.length + 1));
}

function userLines(stderr: string): string[] {
	return stderr.split('\n').filter(line => line.trim() !== '' && !line.startsWith(MARK));
}

test('the network probe itself works: a loopback target shows its connect attempt', async () => {
	// Without this, the "no traffic" assertions below could pass with a probe that never fires.
	const r = await runCli(['check', '127.0.0.1:9', '--duration', '2s'], {env});
	assert.equal(r.code, 2, r.stderr);
	assert.deepEqual(networkCalls(r.stderr), ['connect 127.0.0.1:9']);
	assert.match(userLines(r.stderr).join('\n'), /nothing is listening on 127\.0\.0\.1:9/);
});

for (const target of ['10.0.0.1:9229', 'ws://10.0.0.1:9229/6f1f2c1e-0000-4000-8000-000000000000', 'db.internal.example:9229', '[fe80::1]:9229', 'http://192.168.1.20:9229']) {
	test(`heaptop check ${target}: refused before any lookup or connect, one line with the reason and the SSH way, exit 2`, async () => {
		const r = await runCli(['check', target, '--duration', '2s'], {env});
		assert.equal(r.code, 2, r.stderr);
		assert.deepEqual(networkCalls(r.stderr), [], 'nothing may be sent to a host that was refused');
		const lines = userLines(r.stderr);
		assert.equal(lines.length, 1, r.stderr);
		assert.match(lines[0]!, /^heaptop: refusing to attach to \S+:9229: .*remote code execution.*ssh -L 9229:127\.0\.0\.1:9229 .*--allow-remote$/);
	});
}

test('the live view (in a terminal) refuses a remote target the same way, before any traffic', {skip: existsSync('/usr/bin/script') ? false : 'needs script(1) for a pseudo-terminal'}, async () => {
	const out = await new Promise<{code: number | null; text: string}>((resolve, reject) => {
		const child = spawn('/usr/bin/script', ['-qec', `'${process.execPath}' '${BIN}' 10.0.0.1:9229`, '/dev/null'], {
			env: {...process.env, ...env, NO_COLOR: '1', TERM: 'xterm'},
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let text = '';
		child.stdout.on('data', d => (text += d));
		child.stderr.on('data', d => (text += d));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`the live view did not exit:\n${text}`));
		}, 20_000);
		child.once('exit', code => {
			clearTimeout(timer);
			resolve({code, text: text.replace(/\r/g, '')});
		});
	});
	assert.equal(out.code, 2, out.text);
	assert.deepEqual(networkCalls(out.text), []);
	assert.match(out.text, /heaptop: refusing to attach to 10\.0\.0\.1:9229: .*--allow-remote/);
});

test('--allow-remote: the risk is explained once on stderr, then heaptop does try that host', async () => {
	const r = await runCli(['check', '10.0.0.1:9229', '--allow-remote', '--duration', '2s'], {env});
	assert.equal(r.code, 2, r.stderr);
	const warnings = userLines(r.stderr).filter(line => /warning/.test(line));
	assert.equal(warnings.length, 1, r.stderr);
	assert.match(warnings[0]!, /10\.0\.0\.1:9229 is another machine.*no authentication.*run any code.*clear text.*ssh -L 9229:127\.0\.0\.1:9229/);
	// the probe stopped the connect before a packet left; it shows the refusal was lifted
	assert.deepEqual(networkCalls(r.stderr), ['connect 10.0.0.1:9229']);
	assert.match(r.stderr, /cannot reach 10\.0\.0\.1:9229|nothing is listening on 10\.0\.0\.1:9229/);
});

test('loopback aliases (127.0.0.2, localhost, [::1]) need no --allow-remote and get no warning', async () => {
	for (const target of ['127.0.0.2:9', 'localhost:9', '[::1]:9']) {
		const r = await runCli(['check', target, '--allow-remote', '--duration', '2s'], {env});
		assert.equal(r.code, 2, r.stderr);
		assert.doesNotMatch(r.stderr, /refusing|warning/, target);
		assert.equal(networkCalls(r.stderr).length > 0, true, `${target}: attach was attempted`);
	}
});

test('a loopback port whose /json/list points at another host is refused too, before connecting there', async () => {
	// A proxy or a forged list decides where the WebSocket goes; the loopback rule follows it.
	const entry = {description: 'node.js instance', id: 'x', title: 'app.js', type: 'node', url: 'file:///app.js', webSocketDebuggerUrl: 'ws://10.0.0.1:9229/x'};
	const server = createServer((request, response) => {
		response.writeHead(200, {'content-type': 'application/json'});
		response.end(JSON.stringify(request.url === '/json/version' ? {Browser: 'node.js/v20.20.2'} : [entry]));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as {port: number};
	try {
		const r = await runCli(['check', String(port), '--duration', '2s'], {env});
		assert.equal(r.code, 2, r.stderr);
		assert.deepEqual(networkCalls(r.stderr), [`connect 127.0.0.1:${port}`], 'only the list was fetched');
		assert.match(userLines(r.stderr).join('\n'), /^heaptop: refusing to attach to 10\.0\.0\.1:9229: .*--allow-remote$/);
	} finally {
		await new Promise(resolve => server.close(resolve));
	}
});

test('a malformed target is one user-facing line, not an "unexpected error"', async () => {
	const r = await runCli(['check', 'not a target'], {env});
	assert.equal(r.code, 2);
	assert.deepEqual(networkCalls(r.stderr), []);
	const lines = userLines(r.stderr);
	assert.equal(lines.length, 1, r.stderr);
	assert.match(lines[0]!, /^heaptop: cannot read target "not a target": .*use a port/);
});
