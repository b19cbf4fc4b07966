/**
 * The external store the UI reads with useSyncExternalStore and the session writes with dispatch.
 * Intents travel the other way: the UI emits them, the session listens (onIntent) and carries them out.
 */
import type {Action, Intent} from './actions.js';
import {reducer} from './reducer.js';
import type {AppState} from './state.js';

export interface Store {
	getState(): AppState;
	/** Called after every state change (not for actions that change nothing). Returns an unsubscribe. */
	subscribe(listener: () => void): () => void;
	dispatch(action: Action): void;
	/** UI → session requests. */
	emit(intent: Intent): void;
	/** Returns an unsubscribe. */
	onIntent(listener: (intent: Intent) => void): () => void;
}

export function createStore(initial: AppState): Store {
	let state = initial;
	const listeners = new Set<() => void>();
	const intentListeners = new Set<(intent: Intent) => void>();

	return {
		getState: () => state,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		dispatch(action) {
			const next = reducer(state, action);
			if (next === state) return;
			state = next;
			// a copy, so a listener that unsubscribes while being notified does not skip its neighbour
			for (const listener of [...listeners]) listener();
		},
		emit(intent) {
			for (const listener of [...intentListeners]) listener(intent);
		},
		onIntent(listener) {
			intentListeners.add(listener);
			return () => intentListeners.delete(listener);
		},
	};
}
