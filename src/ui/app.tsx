/**
 * The root of the TUI: the frame layout (header, optional ended banner, the current screen, status and
 * hints) and the one input router. No other component calls useInput: every key is resolved here through
 * the keymap (scoped by screen) and turned into actions and intents by commands.ts.
 */
import React, {useCallback, useEffect} from 'react';
import {Box, useApp, useInput, type Key} from 'ink';
import type {ScreenName} from '../session/state.js';
import {commandEffects, filterKeyEffects, type Effects} from './commands.js';
import {EndedBanner, Header, Hints, StatusLine} from './components/status-bar.js';
import {resolveKey} from './keymap.js';
import {AllocationsScreen} from './screens/allocations.js';
import {GrowthScreen} from './screens/growth.js';
import {HelpScreen} from './screens/help.js';
import {OverviewScreen} from './screens/overview.js';
import {RetainersScreen} from './screens/retainers.js';
import {useAppState, useStore} from './use-store.js';
import {useTerminalSize} from './use-terminal-size.js';

export interface AppProps {
	/** unmount Ink when the user quits (after the quit intent was emitted); default true */
	exitOnQuit?: boolean;
}

export function App({exitOnQuit = true}: AppProps): React.JSX.Element {
	const store = useStore();
	const state = useAppState();
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();

	useEffect(() => {
		store.dispatch({type: 'resized', columns, rows});
	}, [store, columns, rows]);

	const route = useCallback(
		(input: string, key: Key) => {
			const current = store.getState();
			const effects: Effects = current.growthTable.editingFilter
				? filterKeyEffects(input, key)
				: (() => {
					const command = resolveKey(input, key, current.screen.name);
					return command === null ? null : commandEffects(current, command);
				})() ?? {actions: [], intents: [], exit: false};
			for (const action of effects.actions) store.dispatch(action);
			for (const intent of effects.intents) store.emit(intent);
			if (effects.exit && exitOnQuit) exit();
		},
		[store, exit, exitOnQuit],
	);
	useInput(route);

	// the frame stays one line shorter than the terminal: a full-height frame makes Ink 6 clear and
	// rewrite the whole screen on every update (flicker, lost scrollback)
	const height = Math.max(3, rows - 1);
	const ended = state.connection.status === 'ended' ? state.connection.reason : null;
	// help brings its own "how to close" line, so it gets the status and hint lines too
	const chrome = state.screen.name === 'help' ? 1 : 3;
	const bodyHeight = Math.max(1, height - chrome - (ended === null ? 0 : 1));
	return (
		<Box flexDirection="column" width={columns} height={height} overflow="hidden">
			<Header width={columns} />
			{ended !== null && <EndedBanner reason={ended} width={columns} />}
			<Box height={bodyHeight} flexDirection="column" overflow="hidden">
				<ScreenBody screen={state.screen.name} width={columns} height={bodyHeight} />
			</Box>
			{chrome === 3 && <StatusLine width={columns} />}
			{chrome === 3 && <Hints screen={state.screen.name} width={columns} editingFilter={state.growthTable.editingFilter} />}
		</Box>
	);
}

// Screens read the store themselves: passing AppState down as a prop would make React's development
// build diff the whole history on every frame (its performance tracks compare changed props deeply).
function ScreenBody({screen, width, height}: {screen: ScreenName; width: number; height: number}): React.JSX.Element {
	switch (screen) {
		case 'overview':
			return <OverviewScreen width={width} height={height} />;
		case 'growth':
			return <GrowthScreen width={width} height={height} />;
		case 'retainers':
			return <RetainersScreen width={width} height={height} />;
		case 'allocations':
			return <AllocationsScreen width={width} height={height} />;
		case 'help':
			return <HelpScreen width={width} height={height} />;
	}
}
