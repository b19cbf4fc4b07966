import {test} from 'node:test';
import assert from 'node:assert/strict';
import {commandSpec, describeTargetSpec, isLoopbackHost, parsePid, parseTargetString} from '../../src/target/target-spec.js';
import {TargetSpecError} from '../../src/target/errors.js';

test('a bare number is a port on 127.0.0.1', () => {
	assert.deepEqual(parseTargetString('9229'), {kind: 'address', host: '127.0.0.1', port: 9229});
	assert.deepEqual(parseTargetString(' 40123 '), {kind: 'address', host: '127.0.0.1', port: 40123});
});

test('HOST:PORT, [IPv6]:PORT and http URLs are addresses', () => {
	assert.deepEqual(parseTargetString('localhost:9230'), {kind: 'address', host: 'localhost', port: 9230});
	assert.deepEqual(parseTargetString('10.1.2.3:9229'), {kind: 'address', host: '10.1.2.3', port: 9229});
	assert.deepEqual(parseTargetString('[::1]:9229'), {kind: 'address', host: '::1', port: 9229});
	assert.deepEqual(parseTargetString('http://127.0.0.1:9333/json/list'), {kind: 'address', host: '127.0.0.1', port: 9333});
});

test('a ws URL with a path is used as is; without one it is an address', () => {
	const url = 'ws://127.0.0.1:39581/d4ef25e2-0829-455a-bcb9-9e03b099cceb';
	assert.deepEqual(parseTargetString(url), {kind: 'ws', url, host: '127.0.0.1', port: 39581});
	assert.deepEqual(parseTargetString('ws://[::1]:9229/abc'), {kind: 'ws', url: 'ws://[::1]:9229/abc', host: '::1', port: 9229});
	assert.deepEqual(parseTargetString('ws://127.0.0.1:9229'), {kind: 'address', host: '127.0.0.1', port: 9229});
});

test('bad target strings are TargetSpecErrors with a hint', () => {
	for (const bad of ['', '0', '70000', 'abc', '::1:9229', 'host:', 'ws://', '1.2.3.4:x']) {
		assert.throws(() => parseTargetString(bad), (e: unknown) => e instanceof TargetSpecError && /use a port/.test(e.message), bad);
	}
	assert.throws(() => parseTargetString('::1'), /brackets/);
});

test('pids and commands', () => {
	assert.deepEqual(parsePid('1234'), {kind: 'pid', pid: 1234});
	assert.deepEqual(parsePid(77), {kind: 'pid', pid: 77});
	for (const bad of ['0', '-3', '12a', '', '1.5']) assert.throws(() => parsePid(bad), TargetSpecError, bad);
	assert.deepEqual(commandSpec(['node', 'app.js', '--x']), {kind: 'command', command: ['node', 'app.js', '--x']});
	assert.throws(() => commandSpec([]), TargetSpecError);
});

test('loopback detection', () => {
	for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(h), true, h);
	for (const h of ['10.0.0.1', '0.0.0.0', 'example.com', '::', '::ffff:10.0.0.1', '128.0.0.1', 'localhost.example.com']) assert.equal(isLoopbackHost(h), false, h);
});

test('descriptions', () => {
	assert.equal(describeTargetSpec({kind: 'address', host: '::1', port: 9229}), '[::1]:9229');
	assert.equal(describeTargetSpec({kind: 'pid', pid: 5}), 'pid 5');
	assert.equal(describeTargetSpec({kind: 'command', command: ['node', 'a.js']}), 'node a.js');
});
