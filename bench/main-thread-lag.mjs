#!/usr/bin/env node
// Does parsing freeze the UI? Parses a snapshot through the engine worker exactly as the live view
// does, while measuring the main thread's event-loop delay (perf_hooks, 10 ms resolution), and prints
// the worst stall. The live view's bar: never blocked more than 50 ms at a time.
//
//   node bench/main-thread-lag.mjs FILE.heapsnapshot
import {monitorEventLoopDelay} from 'node:perf_hooks';
import {EngineClient} from '../dist/engine-client.js';

const file = process.argv[2];
if (!file) {
	console.error('usage: node bench/main-thread-lag.mjs FILE.heapsnapshot');
	process.exit(2);
}
const histogram = monitorEventLoopDelay({resolution: 10});
const engine = new EngineClient();
histogram.enable();
const started = performance.now();
const {summary} = await engine.parseFile(file, {generationBoundaries: [], retained: true});
const found = await engine.classRetainers(summary.classes[0].name);
const elapsed = performance.now() - started;
histogram.disable();
await engine.close();
const ms = ns => (ns / 1e6).toFixed(1);
console.log(`${file}: parse + analysis + paths of ${summary.classes[0].name} (${found?.clusters.length ?? 0} clusters) in ${(elapsed / 1000).toFixed(1)} s`);
console.log(`main-thread event-loop delay: max ${ms(histogram.max)} ms, p99 ${ms(histogram.percentile(99))} ms, mean ${ms(histogram.mean)} ms`);
