/**
 * Finding an inspector's WebSocket URL: the HTTP endpoints `/json/list` and `/json/version` of an
 * inspector port (node:http only, short timeouts), and, for a local pid, its listening sockets from
 * /proc (cdp-facts §1.1). No connection to the WebSocket is made here.
 */
import http from 'node:http';
import {isIP} from 'node:net';
import {lookup} from 'node:dns/promises';
import {readFile, readdir, readlink} from 'node:fs/promises';
import {AttachError, errnoCode, formatHostPort} from './errors.js';

/** One entry of `/json/list`. */
export interface InspectorEndpoint {
	id: string;
	/** "node" for Node.js; "page", "worker", … for other runtimes */
	type: string;
	title: string;
	url: string;
	description: string;
	/** absent when another debugger holds the target (Chrome drops it then) */
	webSocketUrl: string | null;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** GET a JSON document from an inspector port. Rejects with AttachError (never a raw socket error). */
export async function fetchInspectorJson(host: string, port: number, path: string, timeoutMs: number): Promise<unknown> {
	const where = formatHostPort(host, port);
	// Node's inspector only answers /json requests whose Host header is an IP or "localhost"
	// (DNS-rebinding protection), so talk to the resolved address.
	let address = host;
	if (isIP(host) === 0 && host !== 'localhost') {
		try {
			address = (await lookup(host)).address;
		} catch (error) {
			throw new AttachError('nothing-listening', `cannot resolve ${host} (${errnoCode(error) ?? 'lookup failed'}) — check the host name`, {cause: error});
		}
	}
	return new Promise((resolve, reject) => {
		const request = http.get({host: address, port, path, timeout: timeoutMs, headers: {accept: 'application/json'}}, response => {
			const chunks: Buffer[] = [];
			let size = 0;
			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > MAX_BODY_BYTES) {
					request.destroy();
					reject(notInspector(where, `GET ${path} sent more than ${MAX_BODY_BYTES} bytes`));
					return;
				}
				chunks.push(chunk);
			});
			response.on('end', () => {
				if (response.statusCode !== 200) {
					reject(notInspector(where, `GET ${path} gave HTTP ${response.statusCode}`));
					return;
				}
				try {
					resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
				} catch (error) {
					reject(notInspector(where, `GET ${path} did not return JSON`, error));
				}
			});
			response.on('error', error => reject(notInspector(where, `GET ${path} failed`, error)));
		});
		request.on('timeout', () => {
			request.destroy();
			reject(
				new AttachError('not-inspector', `${where} accepts connections but did not answer an inspector request within ${timeoutMs} ms — is it really the inspector port (not the app's own)?`, {
					cause: new Error(`timeout after ${timeoutMs} ms`),
				}),
			);
		});
		request.on('error', error => reject(connectError(host, port, error)));
	});
}

/** Every inspectable target behind one inspector port. */
export async function listInspectorTargets(host: string, port: number, timeoutMs = 1500): Promise<InspectorEndpoint[]> {
	const body = await fetchInspectorJson(host, port, '/json/list', timeoutMs);
	if (!Array.isArray(body)) throw notInspector(formatHostPort(host, port), 'GET /json/list did not return a list');
	const endpoints: InspectorEndpoint[] = [];
	for (const raw of body) {
		if (raw === null || typeof raw !== 'object') continue;
		const e = raw as Record<string, unknown>;
		if (typeof e.id !== 'string' || typeof e.type !== 'string') continue;
		endpoints.push({
			id: e.id,
			type: e.type,
			title: typeof e.title === 'string' ? e.title : '',
			url: typeof e.url === 'string' ? e.url : '',
			description: typeof e.description === 'string' ? e.description : '',
			webSocketUrl: typeof e.webSocketDebuggerUrl === 'string' ? e.webSocketDebuggerUrl : null,
		});
	}
	if (endpoints.length === 0 && body.length > 0) throw notInspector(formatHostPort(host, port), 'GET /json/list returned no inspector targets');
	return endpoints;
}

/** `/json/version`, e.g. {Browser: "node.js/v20.20.2", "Protocol-Version": "1.1"}. */
export async function inspectorVersion(host: string, port: number, timeoutMs = 1500): Promise<{browser: string; protocolVersion: string}> {
	const body = (await fetchInspectorJson(host, port, '/json/version', timeoutMs)) as Record<string, unknown> | null;
	if (body === null || typeof body !== 'object' || typeof body.Browser !== 'string') {
		throw notInspector(formatHostPort(host, port), 'GET /json/version is not an inspector answer');
	}
	return {browser: body.Browser, protocolVersion: typeof body['Protocol-Version'] === 'string' ? body['Protocol-Version'] : ''};
}

export type TargetChoice =
	| {kind: 'one'; endpoint: InspectorEndpoint & {webSocketUrl: string}; note: string | null}
	| {kind: 'several'; candidates: Array<InspectorEndpoint & {webSocketUrl: string}>}
	| {kind: 'none'; reason: 'empty' | 'debugger-attached'};

/**
 * The single Node target if there is one; several Node targets are handed back for the caller to
 * choose; otherwise the first other inspectable target (a browser page, Deno…) with a note.
 */
export function chooseTarget(endpoints: readonly InspectorEndpoint[]): TargetChoice {
	const open = endpoints.filter((e): e is InspectorEndpoint & {webSocketUrl: string} => e.webSocketUrl !== null);
	if (open.length === 0) return {kind: 'none', reason: endpoints.length > 0 ? 'debugger-attached' : 'empty'};
	const node = open.filter(e => e.type === 'node');
	if (node.length === 1) return {kind: 'one', endpoint: node[0]!, note: null};
	if (node.length > 1) return {kind: 'several', candidates: node};
	const first = open[0]!;
	return {kind: 'one', endpoint: first, note: `the inspector offers no Node target; attached to the first ${first.type} target "${first.title}" — Node-only figures (RSS, GC) will be n/a`};
}

// ---- /proc discovery (Linux, same host, same user) ----

export interface ListeningSocket {
	host: string;
	port: number;
}

/**
 * The TCP ports `pid` listens on: its socket inodes (readlink /proc/PID/fd/*) matched against the
 * listening rows (st 0A) of /proc/PID/net/tcp{,6}. Empty when /proc is missing or unreadable.
 */
export async function listeningSocketsOfPid(pid: number): Promise<ListeningSocket[]> {
	let fds: string[];
	try {
		fds = await readdir(`/proc/${pid}/fd`);
	} catch {
		return [];
	}
	const inodes = new Set<string>();
	await Promise.all(
		fds.map(async fd => {
			try {
				const link = await readlink(`/proc/${pid}/fd/${fd}`);
				const m = /^socket:\[(\d+)\]$/.exec(link);
				if (m) inodes.add(m[1]!);
			} catch {
				// the fd closed meanwhile
			}
		}),
	);
	if (inodes.size === 0) return [];
	const sockets: ListeningSocket[] = [];
	for (const file of ['tcp', 'tcp6'] as const) {
		let text: string;
		try {
			text = await readFile(`/proc/${pid}/net/${file}`, 'utf8');
		} catch {
			continue;
		}
		for (const row of parseProcNetTcp(text)) {
			if (row.state === '0A' && inodes.has(row.inode)) sockets.push({host: connectableHost(row.localAddress), port: row.localPort});
		}
	}
	return sockets;
}

export interface ProcNetTcpRow {
	localAddress: string;
	localPort: number;
	state: string;
	inode: string;
}

/** Parses /proc/net/tcp or tcp6 text. Addresses are decoded to their usual text form. */
export function parseProcNetTcp(text: string): ProcNetTcpRow[] {
	const rows: ProcNetTcpRow[] = [];
	for (const line of text.split('\n').slice(1)) {
		const f = line.trim().split(/\s+/);
		if (f.length < 10) continue;
		const [addrHex, portHex] = f[1]!.split(':');
		if (addrHex === undefined || portHex === undefined) continue;
		rows.push({localAddress: decodeProcAddress(addrHex), localPort: parseInt(portHex, 16), state: f[3]!.toUpperCase(), inode: f[9]!});
	}
	return rows;
}

/** /proc writes addresses as 32-bit words in host (little-endian) order. */
function decodeProcAddress(hex: string): string {
	const words: number[][] = [];
	for (let i = 0; i < hex.length; i += 8) {
		const word = hex.slice(i, i + 8);
		words.push([6, 4, 2, 0].map(j => parseInt(word.slice(j, j + 2), 16)));
	}
	const bytes = words.flat();
	if (bytes.length === 4) return bytes.join('.');
	const groups: string[] = [];
	for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
	// ::ffff:a.b.c.d (IPv4-mapped) reads better in the IPv4 form
	if (groups.slice(0, 5).every(g => g === '0') && groups[5] === 'ffff') return bytes.slice(12).join('.');
	return compressIpv6(groups);
}

function compressIpv6(groups: string[]): string {
	let best = -1;
	let bestLen = 0;
	for (let i = 0; i < groups.length; ) {
		if (groups[i] !== '0') {
			i++;
			continue;
		}
		let j = i;
		while (j < groups.length && groups[j] === '0') j++;
		if (j - i > bestLen) {
			best = i;
			bestLen = j - i;
		}
		i = j;
	}
	if (bestLen < 2) return groups.join(':');
	return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** A listener on "any address" is reached through loopback. */
function connectableHost(address: string): string {
	if (address === '0.0.0.0') return '127.0.0.1';
	if (address === '::') return '::1';
	return address;
}

/** The inspector `pid` already listens on, found through /proc, or null. */
export async function findInspectorOfPid(
	pid: number,
	timeoutMs = 800,
	/** ports known not to be the inspector (the app's own servers): not probed again */
	skipPorts: ReadonlySet<number> = new Set(),
): Promise<{host: string; port: number; endpoints: InspectorEndpoint[]} | null> {
	const sockets = (await listeningSocketsOfPid(pid)).filter(s => !skipPorts.has(s.port));
	// Probe every port at once; a port that is the app's own server simply fails the probe.
	const probes = sockets.map(s =>
		listInspectorTargets(s.host, s.port, timeoutMs).then(
			endpoints => ({...s, endpoints}),
			() => null,
		),
	);
	for (const probe of probes) {
		const found = await probe;
		if (found !== null && found.endpoints.some(e => e.type === 'node')) return found;
	}
	return null;
}

function notInspector(where: string, detail: string, cause?: unknown): AttachError {
	return new AttachError('not-inspector', `${where} answers, but not as a Node inspector (${detail}) — check the port: the app's own server is not its inspector`, {cause});
}

function connectError(host: string, port: number, error: unknown): AttachError {
	const where = formatHostPort(host, port);
	const code = errnoCode(error);
	if (code === 'ECONNREFUSED') {
		return new AttachError('nothing-listening', `nothing is listening on ${where} — start the app with --inspect, or use --pid PID / -- node app.js`, {cause: error});
	}
	if (code === 'ECONNRESET') {
		return new AttachError('not-inspector', `${where} closed the connection without answering — it does not look like a Node inspector`, {cause: error});
	}
	return new AttachError('nothing-listening', `cannot reach ${where} (${code ?? (error as Error).message}) — check the host and port`, {cause: error});
}
