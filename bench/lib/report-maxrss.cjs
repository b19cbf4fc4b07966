// Preload for the no-GNU-time fallback: on exit, the Node process writes its own peak RSS (KiB,
// process.resourceUsage().maxRSS) to $HEAPTOP_BENCH_MAXRSS_FILE. Only the outermost process writes.
'use strict';
const file = process.env.HEAPTOP_BENCH_MAXRSS_FILE;
if (file) {
	delete process.env.HEAPTOP_BENCH_MAXRSS_FILE; // children of the measured process must not overwrite it
	process.on('exit', () => {
		try {
			require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
		} catch {}
	});
}
