/**
 * Help, generated from keymap.ts: the keys that work on the screen help was opened from. Laid out in
 * as many columns as the height needs.
 */
import React from 'react';
import {Box, Text} from 'ink';
import {fit} from '../format.js';
import {helpRows} from '../keymap.js';
import {useAppState} from '../use-store.js';
import {useTheme} from '../theme.js';

const SCREEN_TITLE = {overview: 'overview', growth: 'keeps rising', retainers: 'retainers', allocations: 'allocation sites'} as const;

export function HelpScreen({width, height}: {width: number; height: number}): React.JSX.Element {
	const state = useAppState();
	const theme = useTheme();
	if (state.screen.name !== 'help') return <Box />;
	const from = state.screen.returnTo.name;
	const rows = helpRows(from);
	const available = Math.max(1, height - 1);
	const columnCount = Math.ceil(rows.length / available);
	const columnWidth = Math.floor(width / columnCount);
	const keyWidth = Math.min(14, Math.max(...rows.map(row => row.keys.length)) + 2);
	const lines: string[] = [];
	for (let line = 0; line < Math.min(available, rows.length); line++) {
		let text = '';
		for (let col = 0; col < columnCount; col++) {
			const row = rows[col * available + line];
			if (!row) continue;
			text += fit(`  ${fit(row.keys, keyWidth)}${row.description}`, columnWidth);
		}
		lines.push(text.trimEnd());
	}
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<Text wrap="truncate" bold color={theme.accent}>
				{fit(`Keys on the ${SCREEN_TITLE[from]} screen  (? or esc closes help)`, width)}
			</Text>
			{lines.map((line, i) => (
				<Text key={i} wrap="truncate">{line}</Text>
			))}
		</Box>
	);
}
