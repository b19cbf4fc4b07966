#!/usr/bin/env node
// heaptop's "parse + per-class summary" job, without dominators, retained sizes or paths: the contender
// for the parse bench's --mode parse and --mode agg (in --mode full the bench runs `heaptop analyze`).
// Uses the built engine in dist/ exactly as the app does: parseSnapshotFile, then
// analyzeGraph(graph, …).summary({retained: false}) (class keys, DevTools shallow sizes, per-class sums).
//   node bench/lib/heaptop-parse.mjs FILE
// Prints one line "HEAPTOP_RESULT {json}" with figures to cross-check against memlab and VS Code: node and
// edge count, class count, the class with most instances, and the LeakedSession row of the bench heaps.
// Class names only, never string values (heap contents are secrets).
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const file = process.argv[2];
if (!file) {
	process.stderr.write('usage: node bench/lib/heaptop-parse.mjs FILE\n');
	process.exit(2);
}
const dist = new URL('../../dist/', import.meta.url);
if (!existsSync(fileURLToPath(new URL('snapshot-engine.js', dist)))) {
	process.stderr.write('heaptop-parse failed: dist/ is missing; run `npm run build` first\n');
	process.exit(2);
}
// as `heaptop analyze` does: the second parse thread starts while the rest of the engine loads
const {prestartParallelParse} = await import(new URL('edge-threads.js', dist).href);
prestartParallelParse([file]);
const {parseSnapshotFile, analyzeGraph, startShallowSizesJob} = await import(new URL('snapshot-engine.js', dist).href);

try {
	const graph = parseSnapshotFile(file);
	// as the engine host does: the parse's second thread computes shallow sizes while this one does class keys
	const summary = analyzeGraph(graph, {shallowSizesElsewhere: startShallowSizesJob}).summary({retained: false});
	let top = null;
	for (const c of summary.classes) if (!top || c.count > top.count) top = c;
	const leaked = summary.classes.find(c => c.name === 'LeakedSession');
	const result = {
		tool: 'heaptop',
		nodes: summary.nodeCount,
		edges: summary.edgeCount,
		classes: summary.classes.length,
		top: top ? {name: top.name, count: top.count} : null,
		leaked: leaked?.count ?? 0,
		leakedSelf: leaked?.selfSize ?? 0,
		leakedRetained: null,
	};
	// then exit at once, as `heaptop analyze` does once its report is written (bin/heaptop.js)
	process.stdout.write(`HEAPTOP_RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
} catch (err) {
	process.stderr.write(`heaptop-parse failed: ${err?.message ?? err}\n`);
	process.exit(1);
}
