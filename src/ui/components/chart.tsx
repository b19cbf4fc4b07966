/**
 * Draws lines prepared by chart-data.ts (plotLines): the runs of each series get that series' colour.
 * The component does no computation; the screen memoises the lines on seriesVersion and width.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {ChartRun} from '../chart-data.js';
import type {ColorName} from '../theme.js';

export function Chart({lines, colors, height}: {lines: ChartRun[][]; colors: readonly (ColorName | undefined)[]; height: number}): React.JSX.Element {
	if (lines.length === 0) {
		return (
			<Box height={height}>
				<Text wrap="truncate">  waiting for samples…</Text>
			</Box>
		);
	}
	return (
		<Box flexDirection="column" height={height}>
			{lines.map((runs, i) => (
				<Text key={i} wrap="truncate">
					{runs.map((run, j) => (
						<Text key={j} color={run.series === null ? undefined : colors[run.series]}>
							{run.text}
						</Text>
					))}
				</Text>
			))}
		</Box>
	);
}
