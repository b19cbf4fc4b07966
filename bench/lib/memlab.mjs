// memlab (not a heaptop dependency) installed on first use into bench/.cache/memlab, with
// --ignore-scripts so puppeteer does not download a browser. The harness is copied next to it so
// that require('@memlab/core') resolves from there.
import {copyFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {installIntoCache} from './cache-install.mjs';

export const MEMLAB_VERSION = '2.0.5';
export const MEMLAB_DIR = fileURLToPath(new URL('../.cache/memlab/', import.meta.url));
const HARNESS_SRC = fileURLToPath(new URL('./memlab-run.cjs', import.meta.url));

/** @returns {{ok: true, dir: string, harness: string} | {ok: false, reason: string}} */
export function ensureMemlab(log) {
	const installed = installIntoCache({
		dir: MEMLAB_DIR,
		specs: [`@memlab/core@${MEMLAB_VERSION}`, `@memlab/heap-analysis@${MEMLAB_VERSION}`],
		marker: join(MEMLAB_DIR, 'node_modules', '@memlab', 'heap-analysis', 'package.json'),
		log,
	});
	if (!installed.ok) return installed;
	const harness = join(MEMLAB_DIR, 'memlab-run.cjs');
	copyFileSync(HARNESS_SRC, harness);
	return {ok: true, dir: MEMLAB_DIR, harness};
}
