// Reads node_count / edge_count from a .heapsnapshot's header (the first few KB), without parsing the file.
import {openSync, readSync, closeSync, statSync} from 'node:fs';

/** @returns {{bytes: number, nodes: number|null, edges: number|null}} */
export function readSnapshotHeader(file) {
	const fd = openSync(file, 'r');
	try {
		const buf = Buffer.alloc(64 * 1024);
		const n = readSync(fd, buf, 0, buf.length, 0);
		const head = buf.toString('latin1', 0, n);
		const num = key => {
			const m = new RegExp(`"${key}":(\\d+)`).exec(head);
			return m ? Number(m[1]) : null;
		};
		return {bytes: statSync(file).size, nodes: num('node_count'), edges: num('edge_count')};
	} finally {
		closeSync(fd);
	}
}
