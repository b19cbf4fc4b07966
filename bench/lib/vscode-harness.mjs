#!/usr/bin/env node
// VS Code's heap parser (@vscode/v8-heap-parser 0.1.0: Rust compiled to wasm32), called the way
// perf-anchors.md measured it. Loaded from bench/.cache/vscode, where lib/vscode.mjs installs it.
//   node bench/lib/vscode-harness.mjs full|parse|agg FILE
// full:       decode_bytes(readFileSync(f)), then get_class_groups(0, ∞, no_retained=false):
//             parse + dominators + per-class retained sizes
// parse, agg: the same with no_retained=true: parse + per-class count and self size (a Summary view)
// The last stdout line is "VSCODE_RESULT {json}" with figures to cross-check against the other tools.
// Known limit (perf-anchors): the whole file and its graph must fit in wasm32's 4 GiB linear memory, so
// it fails somewhere between 376 and 448 MB of snapshot ("RuntimeError: unreachable").
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

const [mode, file] = process.argv.slice(2);
if (!['full', 'parse', 'agg'].includes(mode) || !file) {
	process.stderr.write('usage: node bench/lib/vscode-harness.mjs full|parse|agg FILE\n');
	process.exit(2);
}
const dir = fileURLToPath(new URL('../.cache/vscode/', import.meta.url));
let parser;
try {
	parser = createRequire(`${dir}/`)('@vscode/v8-heap-parser');
} catch (err) {
	process.stderr.write(`vscode failed: cannot load @vscode/v8-heap-parser from ${dir} (${err?.message}); run the parse bench once to install it\n`);
	process.exit(2);
}

try {
	// Rust panics become a readable message on stderr instead of a bare "unreachable".
	parser.init_panic_hook();
	const graph = parser.decode_bytes(readFileSync(file));
	// end is clamped to the number of groups; all of them are wanted.
	const groups = graph.get_class_groups(0, 0x7fffffff, mode !== 'full');
	const result = {tool: 'vscode', mode, nodes: 0, classes: groups.length, top: null, leaked: 0, leakedSelf: 0, leakedRetained: null};
	for (const g of groups) {
		const count = g.children_len;
		result.nodes += count;
		if (!result.top || count > result.top.count) result.top = {name: g.name(), count};
		// Group names are class names as DevTools shows them ("(string)", "Object"), never string values.
		if (g.name() === 'LeakedSession') {
			result.leaked = count;
			result.leakedSelf = Number(g.self_size);
			if (mode === 'full') result.leakedRetained = Number(g.retained_size);
		}
	}
	process.stdout.write(`VSCODE_RESULT ${JSON.stringify(result)}\n`);
} catch (err) {
	process.stderr.write(`vscode failed: ${err?.name ?? 'Error'}: ${err?.message ?? err}\n`);
	process.exit(1);
}
