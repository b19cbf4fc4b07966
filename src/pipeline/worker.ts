/** worker_threads entry of the snapshot engine: forwards messages to an EngineHost. */
import {parentPort, workerData} from 'node:worker_threads';
import {EngineHost} from './engine-host.js';
import type {ToWorker} from './worker-protocol.js';

export function runEngineWorker(): void {
	const port = parentPort;
	if (!port) throw new Error('runEngineWorker must run inside a worker thread');
	const host = new EngineHost(message => port.postMessage(message));
	port.on('message', (message: ToWorker) => host.handle(message));
}

// Started by EngineClient with workerData {heaptopEngine: true}; in the one-file bundle this module is
// part of the same file as the CLI, which is why it checks the marker rather than just parentPort.
if (parentPort && (workerData as {heaptopEngine?: boolean} | null)?.heaptopEngine) runEngineWorker();
