/**
 * "Keeps rising": every growth candidate, sortable and filterable, with the selected row's reason.
 * Enter opens the retainers of the selected class.
 */
import React, {useMemo} from 'react';
import {Box, Text} from 'ink';
import {selectDisplay, selectedGrowthIndex, visibleGrowthRows} from '../../session/state.js';
import {GrowthTable} from '../components/growth-table.js';
import {Line, clipSegments, type Segment} from '../components/line.js';
import {formatCount} from '../format.js';
import {useAppState} from '../use-store.js';
import {useTheme} from '../theme.js';

const VERDICT_TEXT = {leak: 'leak suspected', 'no-leak': 'no leak found', inconclusive: 'inconclusive'} as const;

export function GrowthScreen({width, height}: {width: number; height: number}): React.JSX.Element {
	const state = useAppState();
	const theme = useTheme();
	const display = selectDisplay(state);
	const table = state.growthTable;
	const rows = useMemo(() => visibleGrowthRows(display.growth, table), [display.growth, table]);
	const selectedIndex = selectedGrowthIndex(rows, table);
	const selected = rows[selectedIndex];
	const topSuspect = display.growth.length === 0 ? null : display.growth.reduce((a, b) => (b.score > a.score ? b : a)).name;

	const title: Segment[] = [
		{text: 'Keeps rising', bold: true},
		{text: `  ${formatCount(rows.length)} of ${formatCount(display.growth.length)} classes · ${display.snapshots.length} snapshots · sort: ${table.sort}`},
	];
	if (display.verdict) {
		const color = display.verdict === 'leak' ? theme.bad : display.verdict === 'no-leak' ? theme.good : theme.warn;
		title.push({text: ' · '}, {text: VERDICT_TEXT[display.verdict], color, bold: true});
	}
	const filterLine: Segment[] = table.editingFilter
		? [{text: 'filter: ', color: theme.accent}, {text: table.filter + '▌', bold: true}]
		: table.filter !== ''
			? [{text: `filter: ${table.filter}`, color: theme.accent}, {text: '  (/ to change, esc in filter to clear)', color: theme.muted}]
			: [];

	let body: React.JSX.Element;
	if (display.growth.length === 0) {
		body = <Text wrap="truncate">{display.snapshots.length < 2 ? '  Nothing yet: growth needs at least two snapshots (s takes one now).' : '  Nothing keeps rising across the snapshots so far.'}</Text>;
	} else if (rows.length === 0) {
		body = <Text wrap="truncate">  No class matches the filter.</Text>;
	} else {
		const tableHeight = height - 2 - (filterLine.length > 0 ? 1 : 0);
		body = (
			<GrowthTable rows={rows} selectedIndex={selectedIndex} width={width} height={tableHeight} snapshotCount={display.snapshots.length} topSuspect={topSuspect} showSelection />
		);
	}
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<Line segments={clipSegments(title, width)} />
			{filterLine.length > 0 && <Line segments={clipSegments(filterLine, width)} />}
			<Box flexGrow={1} flexDirection="column" overflow="hidden">{body}</Box>
			<Line segments={clipSegments(selected ? [{text: `${selected.name}: `, bold: true}, {text: selected.reason || '—'}, {text: '  enter: who retains it', color: theme.muted}] : [], width)} />
		</Box>
	);
}
