import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, writeFileSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createServer} from 'node:net';
import {spawn} from 'node:child_process';
import {runCli, ROOT, BIN} from '../helpers/run-cli.js';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';
import {HELP} from '../../src/help.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** A user error is one line on stderr, no stack trace. */
function assertOneLine(stderr: string, pattern: RegExp): void {
	const lines = stderr.trim().split('\n');
	assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
	assert.match(lines[0]!, pattern);
	assert.doesNotMatch(stderr, /\n\s+at /);
}

test('--help prints the help text, exit 0', async () => {
	const r = await runCli(['--help']);
	assert.equal(r.code, 0);
	assert.equal(r.stdout.trim(), HELP.trim());
});

test('the README shows the --help text verbatim', () => {
	const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
	const block = /## Usage\n+```\n([\s\S]*?)```/.exec(readme);
	assert.ok(block, 'README has a Usage code block');
	const lines = (s: string) => s.split('\n').map(l => l.trimEnd()).filter(l => l.trim() !== '');
	assert.deepEqual(lines(block[1]!), lines(HELP));
});

test('--version prints the package version', async () => {
	const r = await runCli(['--version']);
	assert.equal(r.code, 0);
	assert.equal(r.stdout.trim(), pkg.version);
});

test('an unknown flag exits 2', async () => {
	const r = await runCli(['check', '9229', '--no-such-flag']);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /no-such-flag/);
});

test('a bad duration exits 2 with one line', async () => {
	const r = await runCli(['check', '9229', '--duration', 'soon']);
	assert.equal(r.code, 2);
	assertOneLine(r.stderr, /^heaptop: --duration "soon" is not a duration/);
});

test('the live view without a terminal says to use check, exit 2', async () => {
	const r = await runCli(['9229']);
	assert.equal(r.code, 2);
	assertOneLine(r.stderr, /needs a terminal.*heaptop check/);
});

test('nothing listening: one line, exit 2', async () => {
	const port = await freePort();
	const r = await runCli(['check', String(port), '--duration', '2s']);
	assert.equal(r.code, 2);
	assertOneLine(r.stderr, new RegExp(`nothing is listening on 127\\.0\\.0\\.1:${port}`));
});

test('a dead pid: one line, exit 2', async () => {
	const r = await runCli(['check', '--pid', '999999', '--duration', '2s']);
	assert.equal(r.code, 2);
	assertOneLine(r.stderr, /999999/);
});

test('a remote host without --allow-remote is refused, exit 2', async () => {
	const r = await runCli(['check', '10.255.255.1:9229', '--duration', '2s']);
	assert.equal(r.code, 2);
	assertOneLine(r.stderr, /remote/);
});

test('analyze: missing, empty, truncated and non-snapshot files each give one line naming the file, exit 2', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-cli-'));
	const empty = join(dir, 'empty.heapsnapshot');
	writeFileSync(empty, '');
	const notJson = join(dir, 'notes.heapsnapshot');
	writeFileSync(notJson, 'hello, this is not a snapshot');
	const notSnapshot = join(dir, 'other.heapsnapshot');
	writeFileSync(notSnapshot, '{"a":[1,2,3]}');
	const truncated = join(dir, 'cut.heapsnapshot');
	writeFileSync(truncated, '{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"node_types":[["hidden","object"],"string","number","number","number"],"edge_fields":["type","name_or_index","to_node"],"edge_types":[["property"],"string_or_number","node"]},"node_count":2,"edge_count":1},"nodes":[1,0,1,0,1,1,0');
	for (const file of [join(dir, 'missing.heapsnapshot'), empty, notJson, notSnapshot, truncated]) {
		const r = await runCli(['analyze', file]);
		assert.equal(r.code, 2, `${file}: ${r.stderr}`);
		assertOneLine(r.stderr, new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	}
});

test('--verbose: the stack trace of an error points into src/ (dist/ is minified; its source maps)', async () => {
	const r = await runCli(['analyze', '--verbose', join(tmpdir(), 'heaptop-no-such-file.heapsnapshot')]);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /no such file/);
	assert.match(r.stderr, /\n\s+at checkReadable \(.*src[\\/]headless[\\/]analyze\.ts:\d+:\d+\)/);
});

test('analyze into a reader that has gone away (`| head`): no stack trace, the usual exit code', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-cli-'));
	const b = new SnapshotBuilder();
	const session = b.node('object', 'Session');
	b.edge(b.root, session, 'property', 'session');
	const file = join(dir, 'small.heapsnapshot');
	writeFileSync(file, b.toJson());
	for (const args of [['analyze', '--json', file], ['analyze', file]]) {
		const child = spawn(process.execPath, [BIN, ...args], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']});
		child.stdout.destroy(); // the reader is gone before heaptop writes a byte
		let stderr = '';
		child.stderr.on('data', d => (stderr += d));
		const code = await new Promise<number | null>(resolve => child.on('close', resolve));
		assert.equal(code, 0, `${args.join(' ')}: ${stderr}`);
		assert.doesNotMatch(stderr, /EPIPE|\n\s+at /, 'no stack trace');
	}
});

function freePort(): Promise<number> {
	return new Promise(resolve => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => resolve(port));
		});
	});
}

test('the README key table is the keymap (one source for keys, help screen and docs)', async () => {
	const {keymapMarkdownTable} = await import('../../src/ui/keymap.js');
	const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
	assert.ok(readme.includes(keymapMarkdownTable()), 'README.md must contain keymapMarkdownTable() verbatim; regenerate the Keys section');
});
