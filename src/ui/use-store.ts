/**
 * The React side of the external store: a context carrying the Store, and hooks that read it with
 * useSyncExternalStore (React 19's idiomatic bridge; tearing-free and no extra context re-renders).
 */
import {createContext, useContext, useSyncExternalStore} from 'react';
import type {AppState} from '../session/state.js';
import type {Store} from '../session/store.js';

export const StoreContext = createContext<Store | null>(null);

export function useStore(): Store {
	const store = useContext(StoreContext);
	if (!store) throw new Error('useStore: no <StoreContext.Provider> above this component');
	return store;
}

/** The whole state; re-renders on every change (Ink's maxFps bounds how often frames are written). */
export function useAppState(): AppState {
	const store = useStore();
	return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
