#!/usr/bin/env node
// The byte-scanning floor: the least work any JavaScript snapshot parser must do. Reads the file with
// readSync into one reused 1 MiB buffer and walks every byte in local variables, tracking strings and
// escapes and counting number runs, allocating nothing. perf-anchors.md measured this at 414–474 MB/s.
//   node bench/lib/floor-scan.mjs FILE     prints "bytes numbers strings"
import {openSync, readSync, closeSync} from 'node:fs';

const file = process.argv[2];
if (!file) {
	process.stderr.write('usage: node bench/lib/floor-scan.mjs FILE\n');
	process.exit(2);
}
const fd = openSync(file, 'r');
const buf = Buffer.allocUnsafe(1 << 20);
let total = 0;
let numbers = 0;
let strings = 0;
let inString = false;
let escaped = false;
let inNumber = false;
for (;;) {
	const n = readSync(fd, buf, 0, buf.length, null);
	if (n === 0) break;
	total += n;
	for (let i = 0; i < n; i++) {
		const c = buf[i];
		if (inString) {
			if (escaped) escaped = false;
			else if (c === 92 /* \ */) escaped = true;
			else if (c === 34 /* " */) inString = false;
		} else if (c >= 48 && c <= 57) {
			if (!inNumber) {
				inNumber = true;
				numbers++;
			}
		} else {
			inNumber = false;
			if (c === 34) {
				inString = true;
				strings++;
			}
		}
	}
}
closeSync(fd);
process.stdout.write(`${total} ${numbers} ${strings}\n`);
