/**
 * Entry of the one-file bundle (dist/heaptop.mjs, `npm run bundle`). The same file is the CLI on
 * the main thread, the snapshot engine when started as a worker (worker.ts checks its marker), and the
 * edge-parsing thread of a big file's parse (snapshot/edge-section-worker.ts, likewise).
 *
 * The bundle is meant to be copied alone onto a production host, so nothing beside it can be read:
 * the version is baked in by scripts/bundle.mjs, and so is the demo app's source, which is written
 * to a private temporary folder only when the demo is actually started (see demoAppFromBundle).
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {isMainThread} from 'node:worker_threads';
import './pipeline/worker.js';
// the second thread of a big snapshot file's parse (it checks its own marker, like the engine)
import './snapshot/edge-section-worker.js';
import {endProcess, main} from './cli.js';

interface BundleGlobals {
	/** examples/demo-app.js, put into the banner by scripts/bundle.mjs */
	__HEAPTOP_DEMO_SOURCE__?: string;
	/** consulted by target/attach.ts demoAppPath(): where the demo app can be started from */
	__HEAPTOP_DEMO_APP__?: () => string;
}

let demoPath: string | null = null;

/**
 * Writes the embedded demo app once per run into a fresh 0700 folder (mkdtemp: no other user can
 * plant or swap the file) and removes it when heaptop exits. `.mjs`: the folder has no package.json
 * saying "type": "module", and the demo is an ES module.
 */
function demoAppFromBundle(source: string): string {
	if (demoPath !== null) return demoPath;
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-demo-'));
	process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
	const path = join(dir, 'demo-app.mjs');
	writeFileSync(path, source, {mode: 0o600});
	demoPath = path;
	return path;
}

if (isMainThread) {
	const globals = globalThis as BundleGlobals;
	const source = globals.__HEAPTOP_DEMO_SOURCE__;
	if (typeof source === 'string') globals.__HEAPTOP_DEMO_APP__ = () => demoAppFromBundle(source);
	endProcess(await main(process.argv.slice(2)), process.argv.slice(2));
}
