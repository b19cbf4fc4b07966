#!/usr/bin/env node
// Builds dist/heaptop.mjs: heaptop and its dependencies in one file that runs with plain
// `node heaptop.mjs …` on a host that has Node ≥ 20 and nothing else (no node_modules, no npm).
import {build} from 'esbuild';
import {readFileSync, statSync} from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outfile = new URL('../dist/heaptop.mjs', import.meta.url).pathname;

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
	// react-devtools-core is an optional dev-only import of Ink; never needed at run time.
	external: ['react-devtools-core'],
	define: {'process.env.NODE_ENV': '"production"'},
	banner: {
		js: [
			'#!/usr/bin/env node',
			// some bundled CommonJS packages call require(); give them one
			"import {createRequire as __heaptopCreateRequire} from 'node:module';",
			'const require = __heaptopCreateRequire(import.meta.url);',
			'globalThis.__HEAPTOP_BUNDLE__ = true;',
			`globalThis.__HEAPTOP_VERSION__ = ${JSON.stringify(pkg.version)};`,
		].join('\n'),
	},
	logLevel: 'warning',
});
console.log(`dist/heaptop.mjs: ${(statSync(outfile).size / 1024).toFixed(0)} KB`);
