/**
 * What the user asked us to attach to (contract.md "target"), parsed without touching the network.
 * Pure: the CLI turns argv into a TargetSpec here, attach.ts acts on it.
 */
import {TargetSpecError} from './errors.js';

export type TargetSpec =
	/** `9229`, `HOST:PORT`, `[::1]:9229`, `http://HOST:PORT`: discover the ws URL through /json/list */
	| {kind: 'address'; host: string; port: number}
	/** a full `ws://HOST:PORT/UUID` inspector URL */
	| {kind: 'ws'; url: string; host: string; port: number}
	/** `--pid PID`: a running Node process whose inspector we may have to open */
	| {kind: 'pid'; pid: number}
	/** `-- COMMAND ARGS…`: a process we start with its inspector on a free loopback port */
	| {kind: 'command'; command: string[]}
	/** no target in the TUI: the bundled leaking demo app */
	| {kind: 'demo'};

export const DEFAULT_HOST = '127.0.0.1';

/** Parses the positional target argument: a port, HOST:PORT, [IPv6]:PORT, or an http/ws URL. */
export function parseTargetString(input: string): TargetSpec {
	const text = input.trim();
	if (text === '') throw new TargetSpecError(input, 'it is empty');

	if (/^\d+$/.test(text)) return {kind: 'address', host: DEFAULT_HOST, port: parsePort(input, text)};

	if (/^wss?:\/\//i.test(text)) {
		const url = parseUrl(input, text);
		const port = url.port === '' ? 9229 : parsePort(input, url.port);
		const host = unbracket(url.hostname);
		// A ws URL without the target's path cannot be opened; treat it as "the inspector at HOST:PORT".
		if (url.pathname === '/' || url.pathname === '') return {kind: 'address', host, port};
		return {kind: 'ws', url: url.href, host, port};
	}

	if (/^https?:\/\//i.test(text)) {
		const url = parseUrl(input, text);
		const port = url.port === '' ? 9229 : parsePort(input, url.port);
		return {kind: 'address', host: unbracket(url.hostname), port};
	}

	const bracketed = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text);
	if (bracketed) return {kind: 'address', host: bracketed[1]!, port: parsePort(input, bracketed[2]!)};

	const hostPort = /^([^:\s[\]/]+):(\d+)$/.exec(text);
	if (hostPort) return {kind: 'address', host: hostPort[1]!, port: parsePort(input, hostPort[2]!)};

	if (/^[0-9a-fA-F:]+$/.test(text) && text.includes('::')) {
		throw new TargetSpecError(input, 'an IPv6 address needs brackets and a port, e.g. [::1]:9229');
	}
	throw new TargetSpecError(input, 'it is not a port, HOST:PORT or ws:// URL');
}

/** `--pid PID` */
export function parsePid(input: string | number): TargetSpec {
	const text = String(input).trim();
	const pid = Number(text);
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(pid) || pid <= 0) {
		throw new TargetSpecError(String(input), 'a process id is a positive whole number');
	}
	return {kind: 'pid', pid};
}

/** `-- COMMAND ARGS…` */
export function commandSpec(argv: readonly string[]): TargetSpec {
	if (argv.length === 0 || argv[0] === '') throw new TargetSpecError('--', 'no command after --');
	return {kind: 'command', command: [...argv]};
}

/** Loopback hosts need no --allow-remote: attaching is code execution in the target. */
export function isLoopbackHost(host: string): boolean {
	const h = unbracket(host).toLowerCase();
	if (h === 'localhost' || h.endsWith('.localhost')) return true;
	if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
	if (h === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(h)) return true;
	const mapped = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(h);
	return mapped !== null && mapped[1]!.startsWith('127.');
}

/** How a spec reads in messages and the status line. */
export function describeTargetSpec(spec: TargetSpec): string {
	switch (spec.kind) {
		case 'address':
			return spec.host.includes(':') ? `[${spec.host}]:${spec.port}` : `${spec.host}:${spec.port}`;
		case 'ws':
			return spec.url;
		case 'pid':
			return `pid ${spec.pid}`;
		case 'command':
			return spec.command.join(' ');
		case 'demo':
			return 'the demo app';
	}
}

function parsePort(input: string, text: string): number {
	const port = Number(text);
	if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new TargetSpecError(input, `port ${text} is not between 1 and 65535`);
	return port;
}

function parseUrl(input: string, text: string): URL {
	try {
		return new URL(text);
	} catch {
		throw new TargetSpecError(input, 'it is not a valid URL');
	}
}

function unbracket(host: string): string {
	return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
