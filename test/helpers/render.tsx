/**
 * A fake terminal for Ink tests, with the size under the test's control (ink-testing-library fixes
 * 100 columns, and heaptop's layout depends on both columns and rows).
 *
 *   const term = createFakeTerminal({columns: 80, rows: 24});
 *   const ink = renderApp(store, {...term.streams, debug: true});
 *   await term.waitFor(frame => frame.includes('Heap'));
 *   term.press('?');
 *
 * Ink runs in debug mode, so every render writes the whole frame and `lastFrame()` is exactly what a
 * user would see. Waiting polls the frame until a predicate holds, with a deadline; a timeout fails with
 * the last frame in the message. No fixed sleeps.
 */
import {EventEmitter} from 'node:events';
import type {ReactNode} from 'react';
import {render, type Instance} from 'ink';

/** ANSI escape sequences (CSI and OSC), for comparing text. */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*(\x07|\x1b\\)/g;

export function stripAnsi(text: string): string {
	return text.replace(ANSI, '');
}

class FakeStdout extends EventEmitter {
	readonly frames: string[] = [];
	isTTY = true;
	constructor(public columns: number, public rows: number) {
		super();
	}
	write = (data: string): boolean => {
		this.frames.push(data);
		return true;
	};
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write = (data: string): void => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	read = (): string | null => {
		const {data} = this;
		this.data = null;
		return data;
	};
	setEncoding(): void {}
	setRawMode(): void {}
	resume(): void {}
	pause(): void {}
	ref(): void {}
	unref(): void {}
}

/** Key sequences as a terminal sends them. */
export const KEYS = {
	enter: '\r',
	escape: '\x1b',
	tab: '\t',
	up: '\x1b[A',
	down: '\x1b[B',
	right: '\x1b[C',
	left: '\x1b[D',
	pageUp: '\x1b[5~',
	pageDown: '\x1b[6~',
	backspace: '\x7f',
	ctrlC: '\x03',
} as const;

export interface FakeTerminal {
	streams: {stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream; stderr: NodeJS.WriteStream};
	/** the newest frame, raw (with escape codes) */
	lastRawFrame(): string;
	/** the newest frame with escape codes removed */
	lastFrame(): string;
	frameCount(): number;
	/** every frame written so far, raw */
	allFrames(): readonly string[];
	press(sequence: string): void;
	resize(columns: number, rows: number): void;
	/** Resolves with the frame once `predicate(frame)` holds; rejects after `timeoutMs` showing the last frame. */
	waitFor(predicate: (frame: string) => boolean, timeoutMs?: number, what?: string): Promise<string>;
	/** Waits until a frame newer than the current one has been written and `predicate` holds. */
	waitForNext(predicate: (frame: string) => boolean, timeoutMs?: number, what?: string): Promise<string>;
}

export function createFakeTerminal({columns, rows}: {columns: number; rows: number}): FakeTerminal {
	const stdout = new FakeStdout(columns, rows);
	const stderr = new FakeStdout(columns, rows);
	const stdin = new FakeStdin();
	const lastRawFrame = () => stdout.frames[stdout.frames.length - 1] ?? '';
	const lastFrame = () => stripAnsi(lastRawFrame());

	const poll = (predicate: (frame: string) => boolean, minCount: number, timeoutMs: number, what: string) =>
		new Promise<string>((resolve, reject) => {
			const deadline = Date.now() + timeoutMs;
			const check = () => {
				const frame = lastFrame();
				if (stdout.frames.length >= minCount && predicate(frame)) return resolve(frame);
				if (Date.now() > deadline) {
					return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last frame:\n${frame}`));
				}
				setTimeout(check, 5);
			};
			check();
		});

	return {
		streams: {
			stdout: stdout as unknown as NodeJS.WriteStream,
			stdin: stdin as unknown as NodeJS.ReadStream,
			stderr: stderr as unknown as NodeJS.WriteStream,
		},
		lastRawFrame,
		lastFrame,
		frameCount: () => stdout.frames.length,
		allFrames: () => stdout.frames,
		press: sequence => stdin.write(sequence),
		resize(newColumns, newRows) {
			stdout.columns = newColumns;
			stdout.rows = newRows;
			stdout.emit('resize');
		},
		waitFor: (predicate, timeoutMs = 3000, what = 'the frame') => poll(predicate, 1, timeoutMs, what),
		waitForNext: (predicate, timeoutMs = 3000, what = 'the next frame') => poll(predicate, stdout.frames.length + 1, timeoutMs, what),
	};
}

/** Renders any element on a fake terminal (for component tests). */
export function renderOnTerminal(node: ReactNode, size: {columns: number; rows: number}): {term: FakeTerminal; instance: Instance} {
	const term = createFakeTerminal(size);
	const instance = render(node, {...term.streams, debug: true, exitOnCtrlC: false, patchConsole: false});
	return {term, instance};
}
