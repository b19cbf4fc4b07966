import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {transformSync} from 'esbuild';
import {SourceMapResolver} from '../../src/analysis/source-maps.js';
import type {AllocationSite} from '../../src/model/types.js';

// TypeScript whose compiled output moves the allocating function to another line and column.
const SOURCE = [
	'interface Session { id: number; tags: string[] }',
	'type Id = number;',
	'',
	'',
	'export function makeSession(id: Id): Session {',
	'  return {id, tags: []};',
	'}',
].join('\n');

function compiled(dir: string, mode: 'inline' | 'external'): {file: string; line: number; column: number} {
	const out = transformSync(SOURCE, {loader: 'ts', format: 'esm', sourcemap: mode === 'inline' ? 'inline' : 'external', sourcefile: 'session.ts'});
	const file = join(dir, `session-${mode}.js`);
	let code = out.code;
	if (mode === 'external') {
		writeFileSync(`${file}.map`, out.map);
		code += `//# sourceMappingURL=session-${mode}.js.map\n`;
	}
	writeFileSync(file, code);
	const lines = code.split('\n');
	const index = lines.findIndex(l => l.includes('function makeSession'));
	return {file, line: index + 1, column: lines[index]!.indexOf('function makeSession') + 1};
}

function site(url: string, line: number, column: number): AllocationSite {
	return {function: 'makeSession', url, line, column, liveBytes: 1000, growthBytes: null, stack: [{function: 'caller', url, line, column}]};
}

for (const mode of ['inline', 'external'] as const) {
	test(`an allocation site in compiled JS maps back to the TypeScript line (${mode} source map)`, () => {
		const dir = mkdtempSync(join(tmpdir(), 'heaptop-sm-'));
		const js = compiled(dir, mode);
		assert.notEqual(js.line, 5, 'the fixture must move the function, or the test proves nothing');
		const mapped = new SourceMapResolver().mapSite(site(js.file, js.line, js.column));
		assert.equal(mapped.url, join(dir, 'session.ts'));
		assert.equal(mapped.line, 5);
		assert.equal(mapped.stack[0]!.url, join(dir, 'session.ts'));
	});
}

test('a script without a map, a missing file and node internals stay as they are', () => {
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-sm-'));
	const plain = join(dir, 'plain.js');
	writeFileSync(plain, 'function f() { return {}; }\n');
	const resolver = new SourceMapResolver();
	for (const url of [plain, join(dir, 'missing.js'), 'node:internal/timers', '']) {
		assert.deepEqual(resolver.mapSite(site(url, 1, 1)), site(url, 1, 1));
	}
});
