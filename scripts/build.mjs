#!/usr/bin/env node
// Writes dist/'s JavaScript with esbuild: the entry files below plus the chunks they share, all in
// dist/ itself, whitespace and syntax minified, names kept, with source maps back to src/. `npm run
// build` runs tsc first, which checks the types and writes the declarations (--emitDeclarationOnly,
// in src/'s layout: dist/index.d.ts types dist/index.js).
//
// Why bundled into chunks rather than one file per source: every `heaptop analyze` and `heaptop check`
// loads ~45 modules (~40 of ours, meow's 6), and Node 20's ES module loader costs a fraction of a
// millisecond for each; code splitting keeps what only the live view needs (Ink, React, the TUI) in
// chunks of their own that `analyze` never loads. Measured on a 50 MB `heaptop analyze`, 20 paired
// runs: wall −4 %, peak RSS −1.5 MiB (README, Performance).
// Why minified: the sources' text is kept by V8 for as long as the process runs, and on a cold
// `heaptop analyze` of a 50 MB snapshot unminified module text was enough, with Node's own start-up,
// to make V8 double its young generation twice rather than once: ~3 MiB more at the peak.
// Names stay, so stack traces (--verbose) still read.
//
// Every file is in dist/ itself (no folders), so that code in any chunk finds the worker scripts as
// `./worker.js` and `./edge-section-worker.js`, the same relative URLs as between their sources.
import {build} from 'esbuild';
import {readFileSync, readdirSync, rmSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

/** What is loaded by path: the bin, the package's export, the two worker scripts, and what bench/ imports. */
const entryPoints = {
	cli: join(src, 'cli.tsx'),
	index: join(src, 'index.ts'),
	// the engine's worker (engine-client.ts starts './worker.js')
	worker: join(src, 'pipeline', 'worker.ts'),
	// the parse's second thread (edge-threads.ts starts './edge-section-worker.js')
	'edge-section-worker': join(src, 'snapshot', 'edge-section-worker.ts'),
	// bench/lib/heaptop-parse.mjs starts the second thread before it loads the engine, as the CLI does,
	// then loads the snapshot engine alone
	'edge-threads': join(src, 'snapshot', 'edge-threads.ts'),
	'snapshot-engine': join(src, 'snapshot', 'index.ts'),
	// bench/main-thread-lag.mjs drives the engine worker as the live view does
	'engine-client': join(src, 'pipeline', 'engine-client.ts'),
};

/** Removes the JavaScript and maps of earlier builds (not tsc's declarations, nor the one-file bundle). */
function removeOldJavaScript(dir) {
	let names;
	try {
		names = readdirSync(dir);
	} catch {
		return;
	}
	for (const name of names) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) removeOldJavaScript(path);
		else if (/\.js(\.map)?$/.test(name)) rmSync(path);
	}
}

/**
 * meow's build evaluates normalize-package-data as it is imported (and with it spdx-correct, semver,
 * hosted-git-info and more), and loads node:child_process for a promisify(execFile) whose result it
 * drops: ~3–4 ms of every heaptop run, on the thread that then parses the snapshot. meow calls
 * normalizePackageData only when it reads a package.json for a caller that asks for it (`cli.pkg`,
 * help text built from the package), which heaptop never does. So normalizePackageData becomes a
 * function that evaluates the module on its first call, and the dropped call goes: meow's import 13 →
 * 10 ms; 50 MB analyze −0.3 to −2 % wall (three series of 30 paired runs). All or nothing: a meow whose
 * build reads differently is bundled as it is, with a warning.
 */
const meowDependencies = /[\\/]meow[\\/]build[\\/]dependencies\.js$/;
const meowEdits = [
	['var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);\n', 'const normalizePackageData = (...args) => getDefaultExportFromCjs(requireNormalize())(...args);\n'],
	['promisify(execFile);\n', ''],
	["import { execFile } from 'node:child_process';\n", ''],
];
const lazyMeowDependencies = {
	name: 'lazy-meow-dependencies',
	setup(builder) {
		builder.onLoad({filter: meowDependencies}, args => {
			const source = readFileSync(args.path, 'utf8');
			if (!meowEdits.every(([from]) => source.split(from).length === 2)) {
				return {contents: source, loader: 'js', warnings: [{text: "meow's build has changed: its dependencies are bundled as they are (evaluated on import)"}]};
			}
			return {contents: meowEdits.reduce((text, [from, to]) => text.replace(from, to), source), loader: 'js'};
		});
	},
};

removeOldJavaScript(dist);
await build({
	entryPoints,
	outdir: dist,
	entryNames: '[name]',
	chunkNames: 'chunk-[hash]',
	bundle: true,
	splitting: true,
	// Ink, React and the protocol client load only in the live view, from node_modules; meow is bundled:
	// every command loads it (its own build is six modules).
	external: ['ink', 'react', 'react/*', 'chrome-remote-interface', 'asciichart'],
	format: 'esm',
	platform: 'node',
	target: 'node20',
	jsx: 'automatic',
	minifyWhitespace: true,
	minifySyntax: true,
	sourcemap: 'linked',
	plugins: [lazyMeowDependencies],
	tsconfig: join(root, 'tsconfig.json'),
	logLevel: 'warning',
});
