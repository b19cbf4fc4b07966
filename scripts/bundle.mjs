#!/usr/bin/env node
// Builds dist/heaptop.mjs: heaptop and its dependencies in one file that runs with plain
// `node heaptop.mjs …` on a host that has Node ≥ 20 and nothing else (no node_modules, no npm).
import {build} from 'esbuild';
import {readFileSync, statSync} from 'node:fs';
import {relative, resolve} from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
/**
 * Ink imports react-devtools-core (an optional package we do not ship) only when DEV=true, through a
 * dynamic import that esbuild inlines. Left external, it would become a static import at the top of
 * the bundle and fail on every start on a host without node_modules, so it resolves to a stub that
 * fails the way a missing package does (never reached: isDev is false in the bundle, see below).
 */
const stubDevtools = {
	name: 'stub-react-devtools-core',
	setup(b) {
		// DEV=true is Ink's devtools switch (ink/build/utils.js isDev). In the bundle it would also make
		// Ink read its package.json next to the bundle file, and DEV=true is a common variable on hosts:
		// the bundle has no devtools mode, so isDev is false there.
		b.onLoad({filter: /[\\/]ink[\\/]build[\\/]utils\.js$/}, () => ({contents: 'export const isDev = () => false;\n', loader: 'js'}));
		b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'heaptop-stub'}));
		b.onLoad({filter: /.*/, namespace: 'heaptop-stub'}, () => ({
			contents: "const e = new Error('react-devtools-core is not part of the heaptop bundle'); e.code = 'ERR_MODULE_NOT_FOUND'; throw e;",
			loader: 'js',
		}));
	},
};

// The demo app cannot be a file beside a one-file bundle: its source travels inside the bundle and
// src/bundle-main.ts writes it to a private temp folder when the live view starts without a target.
const demoSource = readFileSync(new URL('../examples/demo-app.js', import.meta.url), 'utf8');

// `--outfile PATH` builds elsewhere (the bundle test builds straight into an empty temp folder).
const outAt = process.argv.indexOf('--outfile');
const outfile = outAt > 0 && process.argv[outAt + 1] ? resolve(process.argv[outAt + 1]) : new URL('../dist/heaptop.mjs', import.meta.url).pathname;

await build({
	entryPoints: [new URL('../src/bundle-main.ts', import.meta.url).pathname],
	outfile,
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'esm',
	jsx: 'automatic',
	minify: false,
	legalComments: 'none',
	plugins: [stubDevtools],
	define: {'process.env.NODE_ENV': '"production"'},
	banner: {
		js: [
			'#!/usr/bin/env node',
			// some bundled CommonJS packages call require(); give them one
			"import {createRequire as __heaptopCreateRequire} from 'node:module';",
			'const require = __heaptopCreateRequire(import.meta.url);',
			'globalThis.__HEAPTOP_BUNDLE__ = true;',
			`globalThis.__HEAPTOP_VERSION__ = ${JSON.stringify(pkg.version)};`,
			`globalThis.__HEAPTOP_DEMO_SOURCE__ = ${JSON.stringify(demoSource)};`,
		].join('\n'),
	},
	logLevel: 'warning',
});
console.log(`${relative(process.cwd(), outfile)}: ${(statSync(outfile).size / 1024).toFixed(0)} KB`);
