/**
 * Entry of the one-file bundle (dist/heaptop.mjs, `npm run bundle`). The same file is the CLI on
 * the main thread and the snapshot engine when started as a worker (worker.ts checks its marker).
 */
import {isMainThread} from 'node:worker_threads';
import './pipeline/worker.js';
import {main} from './cli.js';

if (isMainThread) {
	const code = await main(process.argv.slice(2));
	process.exitCode = code;
	setTimeout(() => process.exit(code), 3000).unref();
}
