/**
 * What heaptop may have left behind in a target, seen through a fresh, independent CDP session (as
 * DevTools would see it): `heaptop.*` symbols on globalThis, live PerformanceObservers (after a GC),
 * and whether the isolate's sampling heap profiler is still running.
 */
import {rawSession} from './spawn-target.js';

export interface Traces {
	/** String(symbol) of every own symbol of globalThis whose description starts with "heaptop." */
	symbols: string[];
	/** live PerformanceObserver instances */
	observers: number;
	/** the sampling heap profiler is running (it is isolate-wide: any session can see it) */
	sampling: boolean;
}

export async function tracesIn(webSocketUrl: string): Promise<Traces> {
	const s = await rawSession(webSocketUrl);
	try {
		return await tracesThrough(s);
	} finally {
		await s.close();
	}
}

/**
 * The same look, inside the worker thread whose title contains `titlePart`, through the process's
 * inspector at `webSocketUrl`. The tunnel is written here from cdp-facts §9.4, independently of
 * heaptop's own, so that heaptop's code does not check itself.
 */
export async function workerTracesIn(webSocketUrl: string, titlePart: string): Promise<Traces> {
	const s = await rawSession(webSocketUrl);
	const raw = s as unknown as {on(event: string, listener: (params: any) => void): void};
	const workers: Array<{sessionId: string; title: string}> = [];
	raw.on('NodeWorker.attachedToWorker', ({sessionId, workerInfo}) => workers.push({sessionId, title: workerInfo.title}));
	const pending = new Map<number, (message: any) => void>();
	raw.on('NodeWorker.receivedMessageFromWorker', ({message}) => {
		const m = JSON.parse(message);
		if (typeof m.id === 'number') pending.get(m.id)?.(m);
	});
	try {
		await s.send('NodeWorker.enable', {waitForDebuggerOnStart: false});
		const worker = workers.find(w => w.title.includes(titlePart));
		if (!worker) throw new Error(`no worker titled *${titlePart}* among ${JSON.stringify(workers)}`);
		let id = 0;
		const inWorker = {
			send(method: string, params: object = {}): Promise<any> {
				const callId = ++id;
				return new Promise((resolve, reject) => {
					pending.set(callId, m => (m.error ? reject(new Error(m.error.message)) : resolve(m.result)));
					void s.send('NodeWorker.sendMessageToWorker', {sessionId: worker.sessionId, message: JSON.stringify({id: callId, method, params})}).catch(reject);
				});
			},
		};
		return await tracesThrough(inWorker);
	} finally {
		await s.close();
	}
}

async function tracesThrough(s: {send(method: string, params?: object): Promise<any>}): Promise<Traces> {
	await s.send('HeapProfiler.collectGarbage');
	const symbols = await value(s, "Object.getOwnPropertySymbols(globalThis).map(String).filter(d => d.startsWith('Symbol(heaptop.'))");
	const proto = await s.send('Runtime.evaluate', {
		expression: "(typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('perf_hooks') : require('perf_hooks')).PerformanceObserver.prototype",
		includeCommandLineAPI: true,
		objectGroup: 'safety',
	});
	const {objects} = await s.send('Runtime.queryObjects', {prototypeObjectId: proto.result.objectId, objectGroup: 'safety'});
	const count = await s.send('Runtime.callFunctionOn', {objectId: objects.objectId, functionDeclaration: 'function () { return this.length; }', returnByValue: true});
	await s.send('Runtime.releaseObjectGroup', {objectGroup: 'safety'});
	// getSamplingProfile answers any session while someone samples, and fails when nobody does
	const sampling = await s.send('HeapProfiler.getSamplingProfile').then(() => true, (error: Error) => {
		if (/not started/i.test(error.message)) return false;
		throw error;
	});
	return {symbols, observers: count.result.value as number, sampling};
}

export const CLEAN: Traces = {symbols: [], observers: 0, sampling: false};

async function value(s: {send(method: string, params?: object): Promise<any>}, expression: string): Promise<any> {
	const reply = await s.send('Runtime.evaluate', {expression, returnByValue: true});
	if (reply.exceptionDetails) throw new Error(`evaluate failed: ${JSON.stringify(reply.exceptionDetails)}`);
	return reply.result.value;
}

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
