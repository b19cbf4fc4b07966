/**
 * Two stand-ins for the network between heaptop and a target:
 *  - a TCP proxy in front of an inspector port, whose connections the test can cut (a dropped
 *    WebSocket: Wi-Fi gone, an SSH tunnel closed);
 *  - a hostile "inspector" speaking just enough CDP to be attached to, answering with whatever the
 *    test wants (malformed metrics, a degenerate allocation profile, garbage snapshot chunks).
 */
import {createServer as createHttpServer} from 'node:http';
import {createServer, connect, type Socket} from 'node:net';
import {createRequire} from 'node:module';

// `ws` comes with chrome-remote-interface (no types installed, not a direct dependency): the few
// members used here, typed by hand.
interface WsSocket {send(data: string): void; terminate(): void; on(event: 'message', listener: (data: unknown) => void): void}
interface WsServer {clients: Set<WsSocket>; close(): void; on(event: 'connection', listener: (socket: WsSocket) => void): void}
const {Server: WebSocketServer} = createRequire(import.meta.url)('ws') as {Server: new (options: {server: unknown}) => WsServer};

export interface CuttableProxy {
	port: number;
	/** destroys every open connection and stops accepting new ones */
	cut(): void;
	close(): Promise<void>;
}

export async function cuttableProxy(targetPort: number): Promise<CuttableProxy> {
	const sockets = new Set<Socket>();
	const server = createServer(client => {
		const upstream = connect(targetPort, '127.0.0.1');
		for (const s of [client, upstream]) {
			sockets.add(s);
			s.on('close', () => sockets.delete(s));
			s.on('error', () => {});
		}
		client.pipe(upstream).pipe(client);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as {port: number}).port;
	const cut = () => {
		server.close();
		for (const s of sockets) s.destroy();
	};
	return {port, cut, close: async () => cut()};
}

/** A CDP method handler: return the `result`, or throw to send an error reply. */
export type FakeHandler = (method: string, params: any, send: (message: object) => void) => unknown;

export interface FakeInspector {
	port: number;
	close(): Promise<void>;
}

/** An HTTP + WebSocket server that lists one "node" target and answers CDP calls with `handler`. */
export async function fakeInspector(handler: FakeHandler): Promise<FakeInspector> {
	const http = createHttpServer((request, response) => {
		const port = (http.address() as {port: number}).port;
		const body = request.url === '/json/version'
			? {Browser: 'node.js/v20.0.0', 'Protocol-Version': '1.1'}
			: [{description: 'node.js instance', id: 'fake', title: 'hostile.js', type: 'node', url: 'file:///hostile.js', webSocketDebuggerUrl: `ws://127.0.0.1:${port}/fake`}];
		response.writeHead(200, {'content-type': 'application/json'});
		response.end(JSON.stringify(body));
	});
	const wss = new WebSocketServer({server: http});
	wss.on('connection', socket => {
		const send = (message: object) => socket.send(JSON.stringify(message));
		socket.on('message', data => {
			const {id, method, params} = JSON.parse(String(data));
			try {
				const result = handler(method, params ?? {}, send);
				// a raw string is sent as-is (for replies too big or too odd for JSON.stringify)
				if (typeof result === 'string') socket.send(`{"id":${id},"result":${result}}`);
				else send({id, result: result ?? {}});
			} catch (error) {
				send({id, error: {code: -32000, message: (error as Error).message}});
			}
		});
	});
	await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
	return {
		port: (http.address() as {port: number}).port,
		close: () => new Promise<void>(resolve => {
			for (const client of wss.clients) client.terminate();
			wss.close();
			http.close(() => resolve());
		}),
	};
}

/** Runtime.evaluate result by value. */
export const byValue = (value: unknown) => ({result: {type: typeof value, value}});
