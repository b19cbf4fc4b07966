/**
 * A handful of colours from the 16-colour palette every terminal has. With NO_COLOR / --no-color every
 * colour is undefined, so Ink writes no colour escape codes at all (bold and inverse still mark emphasis
 * and selection; a "›" marker makes the selection visible even without them).
 */
import {createContext, useContext} from 'react';

/** Ink colour names; `undefined` means "the terminal's default". */
export type ColorName = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'white';

export interface Theme {
	noColor: boolean;
	accent: ColorName | undefined;
	good: ColorName | undefined;
	warn: ColorName | undefined;
	bad: ColorName | undefined;
	muted: ColorName | undefined;
	heapUsed: ColorName | undefined;
	heapTotal: ColorName | undefined;
	rss: ColorName | undefined;
	gc: ColorName | undefined;
}

export function createTheme(noColor: boolean): Theme {
	if (noColor) {
		return {noColor, accent: undefined, good: undefined, warn: undefined, bad: undefined, muted: undefined, heapUsed: undefined, heapTotal: undefined, rss: undefined, gc: undefined};
	}
	return {noColor, accent: 'cyan', good: 'green', warn: 'yellow', bad: 'red', muted: 'gray', heapUsed: 'green', heapTotal: 'blue', rss: 'magenta', gc: 'yellow'};
}

/** NO_COLOR set to anything non-empty (https://no-color.org) turns colour off. */
export function noColorFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
	return env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
}

export const ThemeContext = createContext<Theme>(createTheme(false));

export function useTheme(): Theme {
	return useContext(ThemeContext);
}
