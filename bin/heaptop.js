#!/usr/bin/env node
// Thin shim: all logic lives in dist/ (built by `npm install` through the prepare script).
// React's development build costs several times more CPU per frame; a monitor on a production
// host must be cheap, so production mode unless the user asked otherwise.
process.env.NODE_ENV ??= 'production';
const {main} = await import('../dist/cli.js');

const code = await main(process.argv.slice(2));
process.exitCode = code;
// `heaptop analyze` is done once its report is flushed (it holds no connection, and has closed its
// files): exit now rather than wait for its worker threads to wind down (~10 ms of a 50 MB run).
if (process.argv[2] === 'analyze') process.exit(code);
// Everything heaptop opened is closed by now; if some stray handle still holds the event loop,
// don't hang the user's shell or CI job over it.
setTimeout(() => process.exit(code), 3000).unref();
