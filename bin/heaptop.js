#!/usr/bin/env node
// Thin shim: all logic lives in dist/ (built by `npm install` through the prepare script).
// React's development build costs several times more CPU per frame; a monitor on a production
// host must be cheap, so production mode unless the user asked otherwise.
process.env.NODE_ENV ??= 'production';
const {main, endProcess} = await import('../dist/cli.js');

endProcess(await main(process.argv.slice(2)), process.argv.slice(2));
