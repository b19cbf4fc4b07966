// VS Code's heap parser, @vscode/v8-heap-parser (Rust → wasm32; not a heaptop dependency), installed on
// first use into bench/.cache/vscode. lib/vscode-harness.mjs loads it from there.
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {installIntoCache} from './cache-install.mjs';

export const VSCODE_PARSER_VERSION = '0.1.0';
export const VSCODE_DIR = fileURLToPath(new URL('../.cache/vscode/', import.meta.url));
export const VSCODE_HARNESS = fileURLToPath(new URL('./vscode-harness.mjs', import.meta.url));

/** @returns {{ok: true, harness: string} | {ok: false, reason: string}} */
export function ensureVscodeParser(log) {
	const installed = installIntoCache({
		dir: VSCODE_DIR,
		specs: [`@vscode/v8-heap-parser@${VSCODE_PARSER_VERSION}`],
		marker: join(VSCODE_DIR, 'node_modules', '@vscode', 'v8-heap-parser', 'package.json'),
		log,
	});
	return installed.ok ? {ok: true, harness: VSCODE_HARNESS} : installed;
}
