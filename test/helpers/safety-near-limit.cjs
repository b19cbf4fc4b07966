// A target whose V8 heap sits just above 90 % of its limit (start it with --max-old-space-size=64
// --max-semi-space-size=1): the snapshot gate must refuse, since a snapshot's own allocations could
// push it into an out-of-memory crash. Then it idles (no more allocation) so it stays alive.
const v8 = require('node:v8');
const keep = [];
globalThis.__keep = keep;
for (let i = 0; ; i++) {
	keep.push(new Array(1000).fill(i));
	const h = v8.getHeapStatistics();
	if (h.used_heap_size > 0.915 * h.heap_size_limit) break;
}
setInterval(() => {}, 1000);
console.log('ready');
