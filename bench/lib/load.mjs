#!/usr/bin/env node
// Load generator for the overhead bench: N keep-alive connections to a loopback port, each sending the
// next GET as soon as the previous response has been read, for D seconds. Loopback only, bounded in time
// and concurrency. Prints one JSON line: {"requests":…, "seconds":…, "rps":…, "errors":…}.
//   node bench/lib/load.mjs --port P [--connections 8] [--duration 10] [--path /]
import http from 'node:http';
import {parseArgs} from 'node:util';

const {values} = parseArgs({
	options: {
		port: {type: 'string'},
		host: {type: 'string', default: '127.0.0.1'},
		connections: {type: 'string', default: '8'},
		duration: {type: 'string', default: '10'},
		path: {type: 'string', default: '/'},
	},
});
const port = Number(values.port);
const connections = Math.min(64, Math.max(1, Number(values.connections)));
const seconds = Math.min(600, Math.max(1, Number(values.duration)));
if (!port) throw new Error('--port is required');
if (!['127.0.0.1', 'localhost', '::1'].includes(values.host)) throw new Error('load.mjs only talks to loopback addresses');

const agent = new http.Agent({keepAlive: true, maxSockets: connections});
const started = performance.now();
const deadline = started + seconds * 1000;
let requests = 0;
let errors = 0;

function loop() {
	return new Promise(resolve => {
		const next = () => {
			if (performance.now() >= deadline) return resolve();
			const req = http.get({host: values.host, port, path: values.path, agent}, res => {
				res.on('data', () => {});
				res.on('end', () => {
					if (res.statusCode === 200) requests++;
					else errors++;
					next();
				});
			});
			req.on('error', () => {
				errors++;
				setTimeout(next, 10);
			});
		};
		next();
	});
}

await Promise.all(Array.from({length: connections}, loop));
const elapsed = (performance.now() - started) / 1000;
agent.destroy();
process.stdout.write(JSON.stringify({requests, seconds: elapsed, rps: requests / elapsed, errors}) + '\n');
