/**
 * The "keeps rising" table: a windowed, selectable list of growth candidates. Column set adapts to the
 * width (survivors and self size go first when narrow; the reason column appears when wide).
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {GrowthCandidate} from '../../model/types.js';
import {fit, formatBytes, formatCountShort, sparkline, trendArrow} from '../format.js';
import {useTheme} from '../theme.js';

interface Column {
	title: string;
	width: number;
	align: 'left' | 'right';
	cell: (c: GrowthCandidate) => string;
}

const last = (xs: readonly number[]) => xs[xs.length - 1] ?? 0;

/** The columns for a table `width` characters wide (excluding the 2-character selection marker). */
export function growthColumns(width: number, snapshotCount: number): Column[] {
	const spark = Math.min(16, Math.max(4, snapshotCount));
	const columns: Column[] = [
		{title: 'count', width: 7, align: 'right', cell: c => formatCountShort(last(c.counts))},
		{title: 'Δ first', width: 8, align: 'right', cell: c => (c.deltaCount > 0 ? '+' : '') + formatCountShort(c.deltaCount)},
	];
	if (width >= 72) columns.push({title: 'surv', width: 7, align: 'right', cell: c => formatCountShort(c.survivors)});
	if (width >= 64) columns.push({title: 'self', width: 9, align: 'right', cell: c => formatBytes(last(c.sizes))});
	columns.push({title: 'retained', width: 9, align: 'right', cell: c => (c.retainedSize === null ? '–' : formatBytes(c.retainedSize))});
	columns.push({title: 'trend', width: spark + 2, align: 'left', cell: c => `${sparkline(c.counts, spark)} ${trendArrow(c.counts)}`});
	const fixed = columns.reduce((sum, col) => sum + col.width + 1, 0);
	if (width >= 140) {
		// wide terminals: class names rarely need more than 48 characters; the rest explains the ranking
		const nameWidth = Math.min(48, width - fixed - 41);
		const why: Column = {title: 'why', width: width - fixed - nameWidth - 1, align: 'left', cell: c => c.reason};
		return [{title: 'class', width: nameWidth, align: 'left', cell: c => c.name}, ...columns, why];
	}
	const name: Column = {title: 'class', width: Math.max(8, width - fixed), align: 'left', cell: c => c.name};
	return [name, ...columns];
}

export function formatGrowthRow(candidate: GrowthCandidate, columns: readonly Column[]): string {
	return columns.map(col => fit(col.cell(candidate), col.width, col.align)).join(' ');
}

export function formatGrowthHeader(columns: readonly Column[]): string {
	return columns.map(col => fit(col.title, col.width, col.align)).join(' ');
}

/** First visible row so that `selected` stays in view, roughly centred when scrolling. */
export function windowStart(total: number, selected: number, visible: number): number {
	if (total <= visible) return 0;
	return Math.min(Math.max(0, selected - Math.floor(visible / 2)), total - visible);
}

export interface GrowthTableProps {
	rows: readonly GrowthCandidate[];
	selectedIndex: number;
	/** characters available */
	width: number;
	/** lines available, header included */
	height: number;
	snapshotCount: number;
	/** name of the most suspicious class (highlighted) */
	topSuspect: string | null;
	showSelection: boolean;
}

export function GrowthTable(props: GrowthTableProps): React.JSX.Element {
	const theme = useTheme();
	const columns = growthColumns(props.width - 2, props.snapshotCount);
	const visible = Math.max(0, props.height - 1);
	const start = windowStart(props.rows.length, props.selectedIndex, visible);
	const shown = props.rows.slice(start, start + visible);
	return (
		<Box flexDirection="column">
			<Text wrap="truncate" bold color={theme.muted}>
				{'  ' + formatGrowthHeader(columns)}
			</Text>
			{shown.map((candidate, i) => {
				const selected = props.showSelection && start + i === props.selectedIndex;
				const suspect = candidate.name === props.topSuspect;
				return (
					<Text key={candidate.name} wrap="truncate" inverse={selected} bold={suspect} color={suspect ? theme.bad : undefined}>
						{(selected ? '› ' : suspect ? '! ' : '  ') + formatGrowthRow(candidate, columns)}
					</Text>
				);
			})}
		</Box>
	);
}
