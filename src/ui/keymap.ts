/**
 * The keymap as data. One table drives the input router (resolveKey), the help screen (helpRows) and the
 * README's shortcut table (keymapMarkdownTable), so they cannot drift apart.
 */
import type {Key} from 'ink';
import type {ScreenName} from '../session/state.js';

export type Command =
	| 'quit'
	| 'help'
	| 'back'
	| 'snapshot'
	| 'freeze'
	| 'cycleScreen'
	| 'showOverview'
	| 'showGrowth'
	| 'showRetainers'
	| 'showAllocations'
	| 'up'
	| 'down'
	| 'pageUp'
	| 'pageDown'
	| 'home'
	| 'end'
	| 'drillIn'
	| 'expand'
	| 'previousPath'
	| 'nextPath'
	| 'filter'
	| 'sort'
	| 'zoomIn'
	| 'zoomOut';

export interface Binding {
	command: Command;
	/** key names as resolveKey produces them: "q", "ctrl+c", "enter", "esc", "tab", "up", "pgdn", "/" … */
	keys: readonly string[];
	description: string;
	/** screens where the binding applies; 'all' includes the help screen */
	screens: readonly ScreenName[] | 'all';
}

/** every screen but help */
const MAIN: readonly ScreenName[] = ['overview', 'growth', 'retainers', 'allocations'];
/** screens with a selectable list (the overview's is the top of the "keeps rising" table) */
const LISTS = MAIN;

export const KEYMAP: readonly Binding[] = [
	{command: 'quit', keys: ['q', 'ctrl+c'], description: 'quit (detaches from the target)', screens: 'all'},
	{command: 'help', keys: ['?'], description: 'show or hide this help', screens: 'all'},
	{command: 'back', keys: ['esc'], description: 'back / close', screens: 'all'},
	{command: 'snapshot', keys: ['s'], description: 'take a heap snapshot now', screens: MAIN},
	{command: 'freeze', keys: ['f', 'p'], description: 'freeze or unfreeze the view (sampling continues)', screens: MAIN},
	{command: 'cycleScreen', keys: ['tab'], description: 'next screen: overview, keeps rising, allocations', screens: MAIN},
	{command: 'showOverview', keys: ['1'], description: 'overview (charts)', screens: MAIN},
	{command: 'showGrowth', keys: ['2'], description: '"keeps rising" table', screens: MAIN},
	{command: 'showRetainers', keys: ['3'], description: 'retainers of the selected class', screens: MAIN},
	{command: 'showAllocations', keys: ['a', '4'], description: 'allocation sites', screens: MAIN},
	{command: 'up', keys: ['k', 'up'], description: 'move up', screens: LISTS},
	{command: 'down', keys: ['j', 'down'], description: 'move down', screens: LISTS},
	{command: 'pageUp', keys: ['pgup'], description: 'page up', screens: LISTS},
	{command: 'pageDown', keys: ['pgdn'], description: 'page down', screens: LISTS},
	{command: 'home', keys: ['home'], description: 'first row', screens: LISTS},
	{command: 'end', keys: ['end'], description: 'last row', screens: LISTS},
	{command: 'drillIn', keys: ['enter', 'g'], description: 'drill in: retainers of the class / holders of the object', screens: ['overview', 'growth', 'retainers']},
	{command: 'expand', keys: ['enter'], description: 'expand or collapse the call stack', screens: ['allocations']},
	{command: 'previousPath', keys: ['h', 'left'], description: 'previous retaining path', screens: ['retainers']},
	{command: 'nextPath', keys: ['l', 'right'], description: 'next retaining path', screens: ['retainers']},
	{command: 'filter', keys: ['/'], description: 'filter classes by name (enter keeps, esc clears)', screens: ['overview', 'growth']},
	{command: 'sort', keys: ['o'], description: 'cycle the sort column', screens: ['overview', 'growth']},
	{command: 'zoomIn', keys: ['+', '='], description: 'charts: show a shorter time window', screens: ['overview']},
	{command: 'zoomOut', keys: ['-'], description: 'charts: show a longer time window', screens: ['overview']},
];

/** The name of a key press as the keymap spells it, or null for keys it never binds. */
export function keyName(input: string, key: Key): string | null {
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pgup';
	if (key.pageDown) return 'pgdn';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.return) return 'enter';
	if (key.escape) return 'esc';
	if (key.tab) return key.shift ? 'shift+tab' : 'tab';
	if (key.backspace || key.delete) return 'backspace';
	if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
	if (key.meta) return null;
	return input.length === 1 ? input : null;
}

function appliesTo(binding: Binding, screen: ScreenName): boolean {
	return binding.screens === 'all' || binding.screens.includes(screen);
}

/** The command a key press means on this screen, or null. */
export function resolveKey(input: string, key: Key, screen: ScreenName): Command | null {
	const name = keyName(input, key);
	if (name === null) return null;
	return KEYMAP.find(binding => appliesTo(binding, screen) && binding.keys.includes(name))?.command ?? null;
}

export interface HelpRow {
	keys: string;
	description: string;
}

function displayKeys(binding: Binding): string {
	return binding.keys.join(' ');
}

/** Rows for the help screen: the bindings of one screen, or all of them. */
export function helpRows(screen?: ScreenName): HelpRow[] {
	return KEYMAP.filter(binding => screen === undefined || appliesTo(binding, screen)).map(binding => ({
		keys: displayKeys(binding),
		description: binding.description,
	}));
}

function whereText(binding: Binding): string {
	if (binding.screens === 'all') return 'everywhere';
	if (binding.screens.length === MAIN.length && MAIN.every(s => binding.screens.includes(s))) return 'all screens';
	return binding.screens.join(', ');
}

/** The README's "Keyboard shortcuts" table, generated so it always matches the keymap. */
export function keymapMarkdownTable(): string {
	const lines = ['| key | action | where |', '| --- | --- | --- |'];
	for (const binding of KEYMAP) {
		const keys = binding.keys.map(k => `\`${k}\``).join(' ');
		lines.push(`| ${keys} | ${binding.description.replace(/\|/g, '\\|')} | ${whereText(binding)} |`);
	}
	return lines.join('\n');
}
