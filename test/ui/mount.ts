/**
 * Mounts the real app (renderApp) on a fake terminal for a prepared AppState, and records intents.
 */
import type {Instance} from 'ink';
import type {Intent} from '../../src/session/actions.js';
import type {AppState} from '../../src/session/state.js';
import {createStore, type Store} from '../../src/session/store.js';
import {renderApp} from '../../src/ui/index.js';
import {createFakeTerminal, type FakeTerminal} from '../helpers/render.js';

export interface Mounted {
	store: Store;
	term: FakeTerminal;
	ink: Instance;
	intents: Intent[];
	unmount(): void;
}

export function mount(state: AppState, size: {columns: number; rows: number}, options: {noColor?: boolean} = {}): Mounted {
	const store = createStore(state);
	const intents: Intent[] = [];
	store.onIntent(intent => intents.push(intent));
	const term = createFakeTerminal(size);
	const ink = renderApp(store, {...term.streams, debug: true, noColor: options.noColor ?? true});
	return {store, term, ink, intents, unmount: () => ink.unmount()};
}

/** Every line fits the width and the frame leaves the terminal's last row free. */
export function frameProblems(frame: string, size: {columns: number; rows: number}): string[] {
	const lines = frame.split('\n');
	const problems: string[] = [];
	if (lines.length > size.rows - 1) problems.push(`frame has ${lines.length} lines, more than rows − 1 = ${size.rows - 1}`);
	lines.forEach((line, i) => {
		const width = Array.from(line).length;
		if (width > size.columns) problems.push(`line ${i + 1} is ${width} wide: ${line}`);
	});
	return problems;
}
