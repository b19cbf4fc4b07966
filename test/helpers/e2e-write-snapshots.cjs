// Preload (node -r) that makes any script write heap snapshots of itself, then exit:
//   HEAPTOP_SNAPSHOT_DIR=/tmp/x HEAPTOP_SNAPSHOT_COUNT=3 HEAPTOP_SNAPSHOT_EVERY_MS=1000 node -r this.cjs app.js
// Files: <dir>/<n>.heapsnapshot, n = 1…count (v8.writeHeapSnapshot, the format DevTools reads). The
// first is written EVERY_MS after start. Prints "snapshots written" on stdout when done.
'use strict';
const v8 = require('node:v8');
const path = require('node:path');

const dir = process.env.HEAPTOP_SNAPSHOT_DIR;
const count = Number(process.env.HEAPTOP_SNAPSHOT_COUNT || 3);
const everyMs = Number(process.env.HEAPTOP_SNAPSHOT_EVERY_MS || 1000);
if (!dir) throw new Error('HEAPTOP_SNAPSHOT_DIR is not set');

let written = 0;
const timer = setInterval(() => {
	written++;
	v8.writeHeapSnapshot(path.join(dir, `${written}.heapsnapshot`));
	if (written >= count) {
		clearInterval(timer);
		console.log('snapshots written');
		process.exit(0);
	}
}, everyMs);
