#!/usr/bin/env node
// heaptop demo app — THIS PROGRAM LEAKS MEMORY ON PURPOSE.
//
// It is a tiny "order service": an HTTP server on 127.0.0.1 (random port) plus a built-in client
// that sends it ~50 requests per second over keep-alive connections. Every request makes ordinary
// short-lived garbage (JSON bodies, strings, arrays), which the GC reclaims, so the heap saw-tooths.
// Two bugs make some of it stay:
//
//   1. The main leak: POST /login creates a `Session` and stores it in `sessions`, a module-level
//      Map used as a cache that nothing ever evicts. ~1 in 3 requests is a login, so `Session` (and
//      its `SessionPreferences` and `Array` history) grows by ~17 objects/s, ≈ 2 MB/min of heap.
//   2. A smaller listener leak: GET /orders subscribes to `configBus` ('config' events) to hear about
//      config reloads and never unsubscribes; each listener closure keeps its `RequestContext` alive.
//
// How heaptop should find it: the heap chart climbs within seconds; background snapshots show
// `Session` (and `RequestContext`) counts rising snapshot after snapshot; the retaining path of a
// `Session` runs through the module variable `sessions` (a Map: hint "cache"), and that of a
// `RequestContext` through `configBus` → _events → 'config' (hint "listener").
//
// So that it can run for hours without hurting the machine, it empties both leaks when the heap
// passes HEAP_CAP_BYTES (300 MB) and starts leaking again. Plain JavaScript, no dependencies, Node 20+.
// Usage: node examples/demo-app.js        (stop with Ctrl-C)
import http from 'node:http';
import {EventEmitter} from 'node:events';

const REQUESTS_PER_SECOND = 50;
const HEAP_CAP_BYTES = 300 * 1024 * 1024;

class Session {
	constructor(id, user, agent) {
		this.id = id;
		this.user = user;
		this.userAgent = agent;
		this.createdAt = new Date();
		this.lastSeen = Date.now();
		this.preferences = new SessionPreferences(user.length);
		this.history = [];
		for (let i = 0; i < 8; i++) this.history.push({path: '/login', at: this.lastSeen + i});
		this.csrfToken = `csrf-${id}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
	}
}

class SessionPreferences {
	constructor(seed) {
		this.theme = seed % 2 ? 'dark' : 'light';
		this.language = 'en';
		this.pageSize = 20 + (seed % 5) * 10;
		this.favourites = [seed, seed + 1, seed + 2, seed + 3];
	}
}

class RequestContext {
	constructor(method, url, headers) {
		this.method = method;
		this.url = url;
		this.startedAt = process.hrtime.bigint();
		this.headerNames = Object.keys(headers);
		this.traceId = Math.random().toString(16).slice(2);
	}
}

/** The cache that never evicts (leak 1). */
const sessions = new Map();
/** Config-reload notifications; every GET /orders subscribes and never unsubscribes (leak 2). */
const configBus = new EventEmitter();
configBus.setMaxListeners(0); // the bug would print a MaxListenersExceededWarning; keep stderr quiet

const catalogue = Array.from({length: 200}, (_, i) => ({sku: `SKU-${1000 + i}`, price: 5 + (i % 40) * 2.5}));
let nextSessionId = 1;

function readBody(req) {
	return new Promise((resolve, reject) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', chunk => (body += chunk));
		req.on('end', () => resolve(body));
		req.on('error', reject);
	});
}

async function handle(req, res) {
	const ctx = new RequestContext(req.method, req.url, req.headers);
	if (req.method === 'POST' && req.url === '/login') {
		const {user} = JSON.parse(await readBody(req));
		const id = nextSessionId++;
		sessions.set(`sess-${id}`, new Session(id, user, req.headers['user-agent'] ?? 'unknown'));
		return send(res, 200, {session: id});
	}
	if (req.url.startsWith('/orders')) {
		configBus.on('config', function onConfigReload(config) {
			ctx.pageSize = config.pageSize;
		});
		const items = catalogue
			.filter((_, i) => (i + ctx.traceId.length) % 7 === 0)
			.map(p => ({...p, qty: 1 + (p.price % 3), line: `${p.sku} x ${1 + (p.price % 3)}`}));
		const total = items.reduce((sum, it) => sum + it.price * it.qty, 0);
		return send(res, 200, {items, total, count: items.length});
	}
	return send(res, 200, {ok: true, sessions: sessions.size, at: new Date().toISOString()});
}

function send(res, status, payload) {
	const body = JSON.stringify(payload);
	res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)});
	res.end(body);
}

const server = http.createServer((req, res) => {
	handle(req, res).catch(() => send(res, 500, {error: 'internal'}));
});

/** The built-in client: one request every 20 ms, mixed like real traffic. */
function startTraffic(port) {
	const agent = new http.Agent({keepAlive: true, maxSockets: 4});
	let n = 0;
	const fire = () => {
		n++;
		// a third are logins (leak 1), a sixth are order listings (leak 2), the rest health checks
		const kind = n % 3 === 0 ? 'login' : n % 6 === 1 ? 'orders' : 'health';
		const path = kind === 'login' ? '/login' : kind === 'orders' ? `/orders?page=${n % 10}` : '/health';
		const body = kind === 'login' ? JSON.stringify({user: `user${n % 5000}@example.com`, password: 'x'.repeat(12)}) : '';
		const req = http.request(
			{port, host: '127.0.0.1', path, method: kind === 'login' ? 'POST' : 'GET', agent, headers: {'user-agent': 'demo-client/1.0', 'content-type': 'application/json'}},
			res => {
				res.resume(); // read and drop the body: this is the client, not the leak
			},
		);
		req.on('error', () => {});
		req.end(body);
	};
	setInterval(fire, 1000 / REQUESTS_PER_SECOND);
}

/** Guard rail so the demo never exhausts memory: drop everything and start leaking again. */
function startHeapCap() {
	setInterval(() => {
		if (process.memoryUsage().heapUsed > HEAP_CAP_BYTES) {
			sessions.clear();
			configBus.removeAllListeners('config');
		}
	}, 10_000).unref();
	// A config reload now and then, so the listeners are not pure dead weight.
	setInterval(() => configBus.emit('config', {pageSize: 20 + Math.floor(Math.random() * 3) * 10}), 60_000).unref();
}

server.listen(0, '127.0.0.1', () => {
	const {port} = server.address();
	process.stderr.write(
		`heaptop demo app (pid ${process.pid}): order service on http://127.0.0.1:${port}, ~${REQUESTS_PER_SECOND} requests/s; ` +
			`leaks Session objects into a cache (~2 MB/min) and 'config' listeners on purpose.\n`,
	);
	startTraffic(port);
	startHeapCap();
});
