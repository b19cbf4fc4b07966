// memlab harness, copied next to the @memlab packages in bench/.cache/memlab and run from there.
//   node --max-old-space-size=4096 memlab-run.cjs parse|agg|full FILE
// parse: core.utils.getSnapshotFromFile(f, {buildNodeIdIndex: true}) (memlab's HeapParser)
// agg:   the same, then a per-class count/self-size pass over heap.nodes (a Summary view), grouping by
//        class name as DevTools does (objects and native nodes by name, the rest as "(type)")
// full:  getFullHeapFromFile(f) from @memlab/heap-analysis: parse + shortest paths, dominators, retained sizes
// The last stdout line is "MEMLAB_RESULT {json}" with figures to cross-check against other tools.
'use strict';
const [mode, file] = process.argv.slice(2);
const core = require('@memlab/core');
core.config.muteConsole = true;
// Throw instead of halting (process.exit(1) after printing to the muted console), so that a failure
// reaches main()'s catch and its reason gets printed. 2 = ErrorHandling.Throw in @memlab/core 2.0.5.
core.config.errorHandling = 2;

async function main() {
	let heap;
	if (mode === 'full') heap = await require('@memlab/heap-analysis').getFullHeapFromFile(file);
	else heap = await core.utils.getSnapshotFromFile(file, {buildNodeIdIndex: true});
	const result = {mode, nodes: heap.nodes.length, edges: heap.edges.length, leaked: 0, leakedSelf: 0, leakedRetained: 0, classes: 0, top: null};
	const byName = mode === 'agg' ? new Map() : null;
	heap.nodes.forEach(node => {
		if (byName) {
			const name = className(node);
			const agg = byName.get(name);
			if (agg) {
				agg.count++;
				agg.self += node.self_size;
			} else byName.set(name, {count: 1, self: node.self_size});
		}
		if (node.name === 'LeakedSession' && node.type === 'object') {
			result.leaked++;
			result.leakedSelf += node.self_size;
			if (mode === 'full') result.leakedRetained += node.retainedSize;
		}
	});
	if (byName) {
		result.classes = byName.size;
		for (const [name, agg] of byName) if (!result.top || agg.count > result.top.count) result.top = {name, count: agg.count};
	}
	process.stdout.write(`MEMLAB_RESULT ${JSON.stringify(result)}\n`);
}

// DevTools' rule, so that no string value ever becomes a class name (heap contents are secrets).
function className(node) {
	switch (node.type) {
		case 'object':
		case 'native':
			return node.name;
		case 'hidden':
			return '(system)';
		case 'code':
			return '(compiled code)';
		default:
			return `(${node.type})`;
	}
}

main().catch(err => {
	process.stderr.write(`memlab failed: ${err && err.message}\n`);
	process.exit(1);
});
