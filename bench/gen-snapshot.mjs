#!/usr/bin/env node
// Generates realistic heap snapshots for the parse benchmarks, from a real Node heap
// (v8.writeHeapSnapshot), shaped like the ones perf-anchors.md measured memlab and DevTools on.
//
//   node bench/gen-snapshot.mjs --size 50|250|1000|2000 [--out FILE]
//       one snapshot of about SIZE MB (1 MB = 10^6 bytes); default FILE bench/.cache/sSIZE.heapsnapshot
//   node bench/gen-snapshot.mjs --series DIR [--size 90]
//       three snapshots of one process with a growing leak: DIR/series-baseline, -target, -final
//       (.heapsnapshot); baseline ≈ SIZE MB with 4,000 leaked sessions, target adds 4,000 sessions and
//       1,000 transient users, final frees the transient users and adds 4,000 more sessions.
//
// Each "unit" is one `User`: name/email/bio strings, a tags Array, a `UserProfile`, a closure and its
// context, and 3 `Order`s, each with a `Date`, 2–3 `LineItem`s pointing into a shared `Product`
// catalogue and a HeapNumber total. Every unit also gets Map index entries; some get a `CacheEntry`,
// an event-bus listener closure, and concatenated or sliced strings. The leak is a module-level Map,
// `leakedSessions`, of `LeakedSession` objects (history Array, buffer Array, payload string, closure),
// one per 5 units, reachable as global → __heaptopBench → leakedSessions. A unit is ≈ 4.5 KB of snapshot.
//
// Big sizes need a bigger V8 heap: the script re-executes itself with --max-old-space-size. Writing a
// snapshot costs the process several times the heap in RSS (1 GB file: ~5 GB RSS, ~1 min).
import {writeHeapSnapshot} from 'node:v8';
import {spawnSync} from 'node:child_process';
import {mkdirSync, statSync, renameSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {EventEmitter} from 'node:events';

export const CACHE_DIR = fileURLToPath(new URL('./.cache/', import.meta.url));
/**
 * Snapshot bytes of an otherwise empty process, and per unit. A unit costs slightly more as ids and
 * string-table indexes get more digits: measured ≈4,660 B/unit at 10 k units and ≈4,800 at 53 k, fitted
 * as a + b·log10(units).
 */
const BASE_BYTES = 5_500_000;
const bytesPerUnit = units => 3937 + 182 * Math.log10(Math.max(10, units));
const BYTES_PER_UNIT = 4600; // for rough arithmetic only
const UNITS_PER_LEAKED_SESSION = 5;

const {values} = parseArgs({
	options: {
		size: {type: 'string'},
		out: {type: 'string'},
		series: {type: 'string'},
		quiet: {type: 'boolean', default: false},
	},
});

const sizeMb = Number(values.size ?? (values.series ? 90 : NaN));
if (!Number.isFinite(sizeMb) || sizeMb <= 0) {
	process.stderr.write('usage: node bench/gen-snapshot.mjs --size MB [--out FILE] | --series DIR [--size MB]\n');
	process.exit(2);
}

// Re-exec with a heap limit that fits: the JS heap is ~0.6× the snapshot size, plus headroom.
const wantHeapMb = Math.max(4096, Math.ceil(sizeMb * 2));
if (sizeMb >= 500 && !process.env.HEAPTOP_GEN_REEXEC) {
	const r = spawnSync(process.execPath, [`--max-old-space-size=${wantHeapMb}`, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: {...process.env, HEAPTOP_GEN_REEXEC: '1'},
	});
	process.exit(r.status ?? 1);
}

const log = msg => values.quiet || process.stderr.write(msg + '\n');

// ---- the application model -------------------------------------------------------------------------
class Product {
	constructor(i) {
		this.sku = `SKU-${100000 + i}`;
		this.title = `Product number ${i} in the catalogue`;
		this.price = 1.5 + (i % 400) * 0.25;
	}
}
class UserProfile {
	constructor(i) {
		this.avatarUrl = `https://cdn.example.com/avatars/${i}.png`;
		this.locale = i % 3 ? 'en-GB' : 'de-DE';
		this.followers = i % 1000;
		this.score = i / 7; // HeapNumber
	}
}
class LineItem {
	constructor(product, qty) {
		this.product = product;
		this.qty = qty;
		this.subtotal = product.price * qty + 0.01;
	}
}
class Order {
	constructor(id, items) {
		this.id = id;
		this.placedAt = new Date(1_700_000_000_000 + id * 1000);
		this.items = items;
		this.total = items.reduce((sum, it) => sum + it.subtotal, 0.005);
		this.status = id % 5 ? 'shipped' : 'pending';
	}
}
class User {
	constructor(i, orders) {
		this.id = i;
		this.name = `User Name ${i}`;
		this.email = `user.${i}@example.com`;
		this.bio = `Bio of user ${i}: likes ${i % 17} things and ${i % 23} other things.`;
		this.tags = [`tag-${i % 50}`, `tag-${i % 97}`, `tier-${i % 4}`];
		this.profile = new UserProfile(i);
		this.orders = orders;
		this.formatName = makeFormatter(this, i);
	}
}
class CacheEntry {
	constructor(key, value, ttl) {
		this.key = key;
		this.value = value;
		this.expiresAt = 1_700_000_000_000 + ttl;
	}
}
class LeakedSession {
	constructor(i) {
		this.id = `leaked-session-${i}`;
		this.userId = i % 10007;
		this.createdAt = 1_700_000_000_000 + i * 17;
		this.history = Array.from({length: 32}, (_, k) => i + k);
		this.buffer = [`b${i}`, i * 0.5, i, `c${i}`, i + 0.25, i * 3];
		this.payload = `payload for session ${i}; `.repeat(20);
		this.onExpire = () => this.history.length + i;
	}
}

/** A closure with its own context, like a bound formatter kept on a model object. */
function makeFormatter(user, i) {
	const prefix = i % 2 ? 'Dr. ' : 'Mx. ';
	return function formatName() {
		return prefix + user.name;
	};
}

const catalogue = Array.from({length: 2000}, (_, i) => new Product(i));
const usersById = new Map();
const usersByEmail = new Map();
const cache = new Map();
const eventBus = new EventEmitter();
eventBus.setMaxListeners(0);
const stringPool = [];
const leakedSessions = new Map();
globalThis.__heaptopBench = {catalogue, usersById, usersByEmail, cache, eventBus, stringPool, leakedSessions};

let nextOrderId = 1;
let nextSessionId = 1;
const longText = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. '.repeat(40);

function makeUser(i) {
	const orders = [];
	for (let o = 0; o < 3; o++) {
		const n = 2 + ((i + o) % 2);
		const items = [];
		for (let k = 0; k < n; k++) items.push(new LineItem(catalogue[(i * 7 + o * 13 + k) % catalogue.length], 1 + ((i + k) % 4)));
		orders.push(new Order(nextOrderId++, items));
	}
	return new User(i, orders);
}

/** One unit: a user and its indexes, and for some users the extras (and, by default, the leak). */
function addUnit(i, withLeak = true) {
	const user = makeUser(i);
	usersById.set(i, user);
	usersByEmail.set(user.email, user);
	if (i % 3 === 0) cache.set(`user:${i}`, new CacheEntry(`user:${i}`, user, i * 1000));
	if (i % 4 === 0) eventBus.on(`user-${i % 64}`, () => user.id);
	if (i % 5 === 0) stringPool.push(user.name + ' <' + user.email + '>'); // cons string
	if (i % 5 === 2) stringPool.push(longText.substring(i % 500, (i % 500) + 40)); // sliced string
	if (withLeak && i % UNITS_PER_LEAKED_SESSION === 0) leakSessions(1);
	return user;
}

function leakSessions(n) {
	for (let k = 0; k < n; k++) {
		const id = nextSessionId++;
		leakedSessions.set(`s${id}`, new LeakedSession(id));
	}
}

function unitsFor(mb) {
	let units = Math.max(1, (mb * 1e6 - BASE_BYTES) / BYTES_PER_UNIT);
	for (let k = 0; k < 5; k++) units = Math.max(1, (mb * 1e6 - BASE_BYTES) / bytesPerUnit(units));
	return Math.round(units);
}

function write(file) {
	mkdirSync(dirname(file), {recursive: true});
	const t0 = Date.now();
	const tmp = `${file}.partial`;
	writeHeapSnapshot(tmp);
	renameSync(tmp, file); // a killed run never leaves a truncated file under the final name
	const bytes = statSync(file).size;
	log(`wrote ${file}: ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s (rss ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MiB)`);
	return bytes;
}

// ---- main ------------------------------------------------------------------------------------------
if (values.series) {
	const dir = resolve(values.series);
	const SESSIONS_PER_STEP = 4000;
	// The leak grows through every step; the base is sized so baseline ≈ SIZE MB (a LeakedSession is
	// ≈ 1.5 KB of snapshot).
	const units = Math.max(1, unitsFor(sizeMb) - Math.round((SESSIONS_PER_STEP * 1500) / BYTES_PER_UNIT));
	let i = 0;
	for (; i < units; i++) addUnit(i, false);
	leakSessions(SESSIONS_PER_STEP);
	write(join(dir, 'series-baseline.heapsnapshot'));
	leakSessions(SESSIONS_PER_STEP);
	const transient = [];
	for (let k = 0; k < 1000; k++) transient.push(makeUser(i + k));
	globalThis.__heaptopBench.transient = transient;
	write(join(dir, 'series-target.heapsnapshot'));
	delete globalThis.__heaptopBench.transient;
	transient.length = 0;
	leakSessions(SESSIONS_PER_STEP);
	write(join(dir, 'series-final.heapsnapshot'));
} else {
	const out = resolve(values.out ?? join(CACHE_DIR, `s${sizeMb}.heapsnapshot`));
	const units = unitsFor(sizeMb);
	const t0 = Date.now();
	for (let i = 0; i < units; i++) addUnit(i);
	log(`built ${units} units (${leakedSessions.size} LeakedSession) in ${((Date.now() - t0) / 1000).toFixed(1)} s, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
	write(out);
}
