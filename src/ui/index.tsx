/**
 * Entry point of the TUI for the CLI and the tests: renderApp mounts the app on a store.
 */
import React from 'react';
import {render, type Instance} from 'ink';
import type {Store} from '../session/store.js';
import {App} from './app.js';
import {ThemeContext, createTheme, noColorFromEnv} from './theme.js';
import {StoreContext} from './use-store.js';

export interface RenderAppOptions {
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	stderr?: NodeJS.WriteStream;
	/** no colour escape codes at all; default: the NO_COLOR environment variable */
	noColor?: boolean;
	/** frame rate cap; a monitor needs few frames (default 10) */
	maxFps?: number;
	/** unmount when the user quits (default true); the quit intent is emitted either way */
	exitOnQuit?: boolean;
	/** Ink's debug mode: every frame written in full, unthrottled (tests) */
	debug?: boolean;
}

export function appElement(store: Store, options: {noColor?: boolean; exitOnQuit?: boolean} = {}): React.JSX.Element {
	const theme = createTheme(options.noColor ?? noColorFromEnv());
	return (
		<StoreContext.Provider value={store}>
			<ThemeContext.Provider value={theme}>
				<App exitOnQuit={options.exitOnQuit ?? true} />
			</ThemeContext.Provider>
		</StoreContext.Provider>
	);
}

/**
 * Renders the TUI. Ctrl+C is handled by the app (as quit), not by Ink, so quitting always goes through
 * the same intent. The caller awaits `waitUntilExit()` and then disposes the session.
 */
export function renderApp(store: Store, options: RenderAppOptions = {}): Instance {
	const element = appElement(store, {
		...(options.noColor === undefined ? {} : {noColor: options.noColor}),
		...(options.exitOnQuit === undefined ? {} : {exitOnQuit: options.exitOnQuit}),
	});
	return render(element, {
		stdout: options.stdout ?? process.stdout,
		stdin: options.stdin ?? process.stdin,
		stderr: options.stderr ?? process.stderr,
		exitOnCtrlC: false,
		// stray console output would tear the frame; Ink reprints it below such output (not in tests)
		patchConsole: !(options.debug ?? false),
		maxFps: options.maxFps ?? 10,
		debug: options.debug ?? false,
	});
}

export {enterAlternateScreen, type AlternateScreen} from './screen.js';
export {keymapMarkdownTable} from './keymap.js';
