// Start a Node script with its inspector on a free loopback port and connect to it with
// chrome-remote-interface. Used by the fixture check and the overhead bench; kept tiny on purpose.
import {spawn} from 'node:child_process';
import CDP from 'chrome-remote-interface';

const LISTENING = /Debugger listening on (ws:\/\/([^:/]+):(\d+)\/\S+)/;

/**
 * @param {string} script path of the script to run
 * @param {{args?: string[], nodeArgs?: string[], env?: NodeJS.ProcessEnv, timeoutMs?: number}} [opts]
 * @returns {Promise<{child: import('node:child_process').ChildProcess, wsUrl: string, port: number}>}
 */
export function startInspected(script, opts = {}) {
	const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', ...(opts.nodeArgs ?? []), script, ...(opts.args ?? [])], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: opts.env ?? process.env,
	});
	return new Promise((resolve, reject) => {
		let stderr = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${script}: no inspector banner within ${opts.timeoutMs ?? 10000} ms; stderr: ${stderr}`));
		}, opts.timeoutMs ?? 10000);
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', chunk => {
			stderr += chunk;
			const m = LISTENING.exec(stderr);
			if (m) {
				clearTimeout(timer);
				resolve({child, wsUrl: m[1], port: Number(m[3])});
			}
		});
		child.on('exit', code => {
			clearTimeout(timer);
			reject(new Error(`${script} exited (${code}) before its inspector was up; stderr: ${stderr}`));
		});
	});
}

/** Connect a CRI client to a ws:// inspector URL. */
export function connect(wsUrl) {
	return CDP({target: wsUrl, local: true});
}

/**
 * Take a heap snapshot over CDP (V8 runs a full GC first) and count nodes per name, for the given names,
 * counting only nodes of the given V8 node types (default: plain objects, so a class's own constructor
 * function is not counted). JSON.parse is fine here: fixture heaps are a few MB.
 * @returns {Promise<Map<string, number>>}
 */
export async function countByName(client, names, types = ['object']) {
	const chunks = [];
	const onChunk = ({chunk}) => chunks.push(chunk);
	client.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
	try {
		await client.send('HeapProfiler.takeHeapSnapshot', {reportProgress: false});
	} finally {
		client.removeListener('HeapProfiler.addHeapSnapshotChunk', onChunk);
	}
	const snap = JSON.parse(chunks.join(''));
	const fields = snap.snapshot.meta.node_fields;
	const stride = fields.length;
	const nameAt = fields.indexOf('name');
	const typeAt = fields.indexOf('type');
	const typeNames = snap.snapshot.meta.node_types[typeAt];
	const typeOk = typeNames.map(t => types.includes(t));
	const wanted = new Map(names.map(n => [n, 0]));
	const {nodes, strings} = snap;
	for (let i = 0; i < nodes.length; i += stride) {
		if (!typeOk[nodes[i + typeAt]]) continue;
		const name = strings[nodes[i + nameAt]];
		if (wanted.has(name)) wanted.set(name, wanted.get(name) + 1);
	}
	return wanted;
}
