// memlab (not a heaptop dependency) installed on first use into bench/.cache/memlab, with
// --ignore-scripts so puppeteer does not download a browser. The harness is copied next to it so
// that require('@memlab/core') resolves from there.
import {existsSync, copyFileSync, mkdirSync} from 'node:fs';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const MEMLAB_VERSION = '2.0.5';
export const MEMLAB_DIR = fileURLToPath(new URL('../.cache/memlab/', import.meta.url));
const HARNESS_SRC = fileURLToPath(new URL('./memlab-run.cjs', import.meta.url));

/** @returns {{dir: string, harness: string}} */
export function ensureMemlab(log = msg => process.stderr.write(msg + '\n')) {
	const installed = join(MEMLAB_DIR, 'node_modules', '@memlab', 'heap-analysis', 'package.json');
	if (!existsSync(installed)) {
		mkdirSync(MEMLAB_DIR, {recursive: true});
		log(`installing @memlab/core@${MEMLAB_VERSION} and @memlab/heap-analysis@${MEMLAB_VERSION} into ${MEMLAB_DIR} (first use only)…`);
		const r = spawnSync(
			'npm',
			['install', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--prefix', MEMLAB_DIR, `@memlab/core@${MEMLAB_VERSION}`, `@memlab/heap-analysis@${MEMLAB_VERSION}`],
			{stdio: ['ignore', 'inherit', 'inherit']},
		);
		if (r.status !== 0) throw new Error(`npm install of memlab failed (exit ${r.status}); run it by hand to see why, or pass --no-memlab`);
	}
	const harness = join(MEMLAB_DIR, 'memlab-run.cjs');
	copyFileSync(HARNESS_SRC, harness);
	return {dir: MEMLAB_DIR, harness};
}
