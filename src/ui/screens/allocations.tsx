/**
 * Allocation sites from the sampling heap profiler: where live (sampled) bytes were allocated, largest
 * first, with growth since the previous profile. Enter expands the selected site's call stack.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {AllocationSite} from '../../model/types.js';
import {windowStart} from '../components/growth-table.js';
import {fit, fitEnd, formatBytes, formatLocation, formatSignedBytes} from '../format.js';
import {useAppState} from '../use-store.js';
import {useTheme} from '../theme.js';

/** "  12.0 MB   +1.2 MB  handleRequest            app/server.js:42:7" */
export function siteLine(site: AllocationSite, width: number, selected: boolean): string {
	const growth = site.growthBytes === null ? '' : formatSignedBytes(site.growthBytes);
	const head = `${selected ? '›' : ' '} ${fit(formatBytes(site.liveBytes), 9, 'right')} ${fit(growth, 10, 'right')}  `;
	const rest = Math.max(10, width - head.length);
	const fnWidth = Math.min(40, Math.floor(rest / 2));
	return head + fit(site.function || '(anonymous)', fnWidth) + ' ' + fitEnd(formatLocation(site), rest - fnWidth - 1);
}

export function AllocationsScreen({width, height}: {width: number; height: number}): React.JSX.Element {
	const state = useAppState();
	const theme = useTheme();
	if (state.screen.name !== 'allocations') return <Box />;
	const {selected, expanded} = state.screen;
	const sites = state.allocationSites;
	const title = (
		<Text wrap="truncate" bold>
			{fit(`Allocation sites · ${sites.length} · sampled live bytes, largest first`, width)}
		</Text>
	);
	if (sites.length === 0) {
		return (
			<Box flexDirection="column" height={height} overflow="hidden">
				{title}
				<Text wrap="truncate">  No allocation samples yet (allocation sampling is off, or no profile has been read).</Text>
			</Box>
		);
	}
	const stack = expanded !== undefined ? sites[expanded]?.stack ?? [] : [];
	const stackLines = Math.min(stack.length, Math.max(0, Math.floor((height - 2) / 2)));
	const visible = Math.max(1, height - 2 - stackLines);
	const start = windowStart(sites.length, selected, visible);
	const rows: React.JSX.Element[] = [];
	sites.slice(start, start + visible).forEach((site, i) => {
		const index = start + i;
		rows.push(
			<Text key={`s${index}`} wrap="truncate" inverse={index === selected}>
				{siteLine(site, width, index === selected)}
			</Text>,
		);
		if (index === expanded) {
			stack.slice(0, stackLines).forEach((frame, j) => {
				rows.push(
					<Text key={`f${index}-${j}`} wrap="truncate" color={theme.muted}>
						{fit(`      at ${frame.function || '(anonymous)'} (${formatLocation(frame)})`, width)}
					</Text>,
				);
			});
		}
	});
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			{title}
			<Text wrap="truncate" bold color={theme.muted}>
				{fit(`  ${fit('live', 9, 'right')} ${fit('growth', 10, 'right')}  function / location`, width)}
			</Text>
			{rows}
		</Box>
	);
}
