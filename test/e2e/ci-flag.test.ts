/**
 * A CI flag in an interactive shell (CI=true is common in runner debug sessions and containers) must
 * not blank the live view: Ink draws nothing until exit when it believes it runs in CI. And heaptop
 * must not change what the watched app inherits: the app started with `-- COMMAND` still sees CI.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {hasTmux, heaptopInTmux} from '../helpers/safety-tmux.js';
import {eventually} from '../helpers/spawn-target.js';

test('with CI=true in the environment the live view still draws, and the watched app still sees CI=true', {timeout: 60_000, skip: hasTmux() ? false : 'tmux is not installed'}, async t => {
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-ci-flag-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const seen = join(dir, 'ci-seen-by-app');
	const app = `require('fs').writeFileSync(${JSON.stringify(seen)}, String(process.env.CI)); setInterval(() => {}, 1000);`;
	const ui = await heaptopInTmux(t, ['--snapshot-every', '0', '--', process.execPath, '-e', app], {CI: 'true', CONTINUOUS_INTEGRATION: '1'});
	await ui.waitForScreen(/Heap\s+used/);
	assert.ok(await eventually(() => {
		try {
			return readFileSync(seen, 'utf8') === 'true';
		} catch {
			return false;
		}
	}, 10_000, 100), 'the watched app inherited CI=true');
	ui.keys('q');
	assert.equal(await ui.waitForExit(), 0);
});
