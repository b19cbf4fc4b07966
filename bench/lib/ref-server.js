// Reference target for the overhead bench: a plain node:http server on 127.0.0.1 (random port) that
// does a little JSON work per request, like a typical API endpoint. No leaks, steady allocation.
// Prints "listening PORT" on stdout once it accepts connections. Run it with --inspect=127.0.0.1:0
// so heaptop (or the probe driver) can attach; stop it with SIGTERM.
import http from 'node:http';

const catalogue = Array.from({length: 500}, (_, i) => ({id: i, name: `item-${i}`, price: 1 + (i % 50) * 0.5, tags: [`t${i % 7}`, `t${i % 11}`]}));
let served = 0;

const server = http.createServer((req, res) => {
	served++;
	const page = served % 20;
	const items = catalogue.slice(page * 25, page * 25 + 25).map(it => ({...it, total: it.price * (1 + (served % 3)), label: `${it.name} (${it.tags.join(',')})`}));
	const body = JSON.stringify({page, count: items.length, items, servedAt: Date.now()});
	const check = JSON.parse(body).items.length; // a round trip, as a handler that validates would do
	res.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-check': String(check)});
	res.end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
	process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
