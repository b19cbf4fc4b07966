#!/usr/bin/env node
// Stand-in for heaptop in the overhead bench when heaptop is not built (or to measure the protocol's
// bare cost): attaches to an inspector and does what heaptop's live loop does, with nothing else.
//   node bench/lib/probe-driver.mjs WS_URL --duration S [--interval-ms 1000] [--sampling BYTES] [--snapshot-every S]
// Each tick: Runtime.getHeapUsage + one Runtime.evaluate of process.memoryUsage(). --sampling starts
// HeapProfiler sampling at that interval and reads the profile every 10 s. --snapshot-every takes a
// snapshot every S seconds, the first one S seconds after attaching, streaming and discarding the chunks.
import {parseArgs} from 'node:util';
import {setTimeout as sleep} from 'node:timers/promises';
import CDP from 'chrome-remote-interface';

const {values, positionals} = parseArgs({
	allowPositionals: true,
	options: {
		duration: {type: 'string', default: '10'},
		'interval-ms': {type: 'string', default: '1000'},
		sampling: {type: 'string', default: '0'},
		'snapshot-every': {type: 'string', default: '0'},
	},
});
const client = await CDP({target: positionals[0], local: true});
let end = Date.now() + Number(values.duration) * 1000;
process.on('SIGINT', () => (end = 0)); // stop early, like heaptop check, and still report
const sampling = Number(values.sampling);
const snapshotEveryMs = Number(values['snapshot-every']) * 1000;
let snapshotBytes = 0;
client.on('HeapProfiler.addHeapSnapshotChunk', ({chunk}) => (snapshotBytes += chunk.length));
if (sampling || snapshotEveryMs) await client.send('HeapProfiler.enable');
if (sampling) await client.send('HeapProfiler.startSampling', {samplingInterval: sampling});
let nextSnapshot = snapshotEveryMs ? Date.now() + snapshotEveryMs : Infinity; // like heaptop: one interval after attach
let snapshots = 0;
let nextProfile = Date.now() + 10_000;
while (Date.now() < end) {
	await client.send('Runtime.getHeapUsage');
	await client.send('Runtime.evaluate', {expression: 'process.memoryUsage()', returnByValue: true});
	if (Date.now() >= nextSnapshot) {
		await client.send('HeapProfiler.takeHeapSnapshot', {reportProgress: false});
		snapshots++;
		nextSnapshot += snapshotEveryMs;
	}
	if (sampling && Date.now() >= nextProfile) {
		await client.send('HeapProfiler.getSamplingProfile');
		nextProfile += 10_000;
	}
	await sleep(Math.max(0, Math.min(Number(values['interval-ms']), end - Date.now())));
}
if (sampling) await client.send('HeapProfiler.stopSampling');
await client.close();
process.stdout.write(JSON.stringify({snapshots, snapshotBytes}) + '\n');
