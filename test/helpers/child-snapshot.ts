/** Real heap snapshots for tests: a child Node process runs some code and writes its own heap. */
import {execFileSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/**
 * Runs `code` (it receives the snapshot's path as process.argv[1] and must write it, e.g. with
 * `require('v8').writeHeapSnapshot(process.argv[1])`) in a child Node process; the snapshot lands as
 * `name` in a fresh temp folder, which the caller removes.
 */
export function writeChildSnapshot(code: string, prefix: string, name: string): {dir: string; file: string} {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	const file = join(dir, name);
	execFileSync(process.execPath, ['-e', code, file], {stdio: 'ignore', timeout: 60_000});
	return {dir, file};
}
