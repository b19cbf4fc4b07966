#!/usr/bin/env node
// Thin shim: all logic lives in dist/ (built by `npm install` through the prepare script).
// React's development build costs several times more CPU per frame; a monitor on a production
// host must be cheap, so production mode unless the user asked otherwise.
process.env.NODE_ENV ??= 'production';
// dist/ is minified (long lines): a --verbose stack trace points into src/ through the source maps
// where they are (a checkout; the package leaves them out), which Node reads only for modules loaded
// after this (and costs nothing without --verbose).
if (process.argv.includes('--verbose')) process.setSourceMapsEnabled(true);
const {main, endProcess} = await import('../dist/cli.js');

endProcess(await main(process.argv.slice(2)), process.argv.slice(2));
