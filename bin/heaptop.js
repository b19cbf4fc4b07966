#!/usr/bin/env node
// Thin shim: all logic lives in dist/ (built by `npm install` through the prepare script).
import {main} from '../dist/cli.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Everything heaptop opened is closed by now; if some stray handle still holds the event loop,
// don't hang the user's shell or CI job over it.
setTimeout(() => process.exit(code), 3000).unref();
