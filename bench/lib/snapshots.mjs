// Benchmark snapshot files: bench/.cache/s<SIZE>.heapsnapshot, generated on demand by gen-snapshot.mjs.
import {existsSync} from 'node:fs';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const CACHE_DIR = fileURLToPath(new URL('../.cache/', import.meta.url));
const GEN = fileURLToPath(new URL('../gen-snapshot.mjs', import.meta.url));

export function snapshotPath(sizeMb) {
	return join(CACHE_DIR, `s${sizeMb}.heapsnapshot`);
}

/** Path of the SIZE MB benchmark snapshot, generating it first when it is missing. */
export function ensureSnapshot(sizeMb, log = msg => process.stderr.write(msg + '\n')) {
	const file = snapshotPath(sizeMb);
	if (existsSync(file)) return file;
	log(`generating ${file} (${sizeMb} MB; takes ~${Math.max(5, Math.round(sizeMb / 15))} s)…`);
	const r = spawnSync(process.execPath, [GEN, '--size', String(sizeMb), '--out', file], {stdio: ['ignore', 'inherit', 'inherit']});
	if (r.status !== 0) throw new Error(`generating ${file} failed (exit ${r.status ?? r.signal})`);
	return file;
}
