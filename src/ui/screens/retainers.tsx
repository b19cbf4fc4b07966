/**
 * Why a class stays alive: the clusters of retaining paths, the selected cluster's representative path
 * drawn root → object one step per line, the cause hint and advice, and where the class is allocated.
 * Enter on a step drills into that object's own holders (one level up the graph); Esc comes back.
 *
 * Only labels made for people are drawn (PathStep.label, locations, class names): never raw node names
 * of strings, whose "name" would be heap contents.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {AllocationSite, ClassRetainers, PathStep} from '../../model/types.js';
import type {NodeDrill} from '../../session/state.js';
import {Line, clipSegments, type Segment} from '../components/line.js';
import {windowStart} from '../components/growth-table.js';
import {fit, fitEnd, formatBytes, formatCount, formatLocation, wrapText} from '../format.js';
import {useAppState} from '../use-store.js';
import {useTheme, type Theme} from '../theme.js';

const HINT_TEXT = {listener: 'event listener', cache: 'cache / collection', closure: 'closure', timer: 'timer', stream: 'stream', other: 'other'} as const;

export function RetainersScreen({width, height}: {width: number; height: number}): React.JSX.Element {
	const state = useAppState();
	const theme = useTheme();
	if (state.screen.name !== 'retainers') return <Box />;
	const {className, selectedPath, selectedStep} = state.screen;
	const data = state.retainers?.className === className ? state.retainers.data : {status: 'loading' as const};
	const sites = state.classAllocationSites[className] ?? [];

	if (data.status !== 'ready') {
		return (
			<Box flexDirection="column" height={height} overflow="hidden">
				<Line segments={clipSegments([{text: `Retainers of ${className}`, bold: true}], width)} />
				{data.status === 'loading'
					? <Text wrap="truncate">  finding retaining paths in the latest snapshot…</Text>
					: <Line segments={clipSegments([{text: `  could not find retainers: ${data.message}`, color: theme.bad}], width)} />}
			</Box>
		);
	}
	const retainers = data.value;
	const drill = state.nodeDrill[state.nodeDrill.length - 1];
	const siteLines = sites.length === 0 ? 0 : Math.min(3, sites.length) + 1;
	const advice = wrapText(`${HINT_TEXT[retainers.hint]}: ${retainers.advice}`, width - 2, 2);
	const clusterLines = drill ? 0 : Math.min(retainers.clusters.length, Math.max(1, Math.min(5, Math.floor(height / 5))));
	const fixed = 1 + advice.length + clusterLines + 1 + siteLines;
	const bodyHeight = Math.max(1, height - fixed);

	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<Line segments={clipSegments(titleSegments(retainers, theme), width)} />
			{advice.map((line, i) => (
				<Text key={`a${i}`} wrap="truncate" color={theme.warn}>{'  ' + line}</Text>
			))}
			{drill
				? <DrillView drill={drill} depth={state.nodeDrill.length} width={width} height={bodyHeight + 1} />
				: (
					<>
						{retainers.clusters.slice(0, clusterLines).map((cluster, i) => (
							<Text key={`c${i}`} wrap="truncate" bold={i === selectedPath} color={i === selectedPath ? theme.accent : undefined}>
								{fit(`${i === selectedPath ? '▸' : ' '} ${formatCount(cluster.count)}× ${HINT_TEXT[cluster.hint]}  ${cluster.text}`, width)}
							</Text>
						))}
						<Line segments={clipSegments([{text: `Path ${selectedPath + 1} of ${retainers.clusters.length}, root → object`, bold: true}, {text: '  (←/→ other paths · enter: its holders)', color: theme.muted}], width)} />
						<PathSteps steps={retainers.clusters[selectedPath]?.steps ?? []} selected={selectedStep} width={width} height={bodyHeight} />
					</>
				)}
			{siteLines > 0 && <SitesBlock sites={sites} width={width} />}
		</Box>
	);
}

function titleSegments(retainers: ClassRetainers, theme: Theme): Segment[] {
	return [
		{text: `Retainers of ${retainers.className}`, bold: true},
		{text: ` · ${formatCount(retainers.examined)} examined · ${retainers.clusters.length} path${retainers.clusters.length === 1 ? '' : 's'} · likely cause: `},
		{text: HINT_TEXT[retainers.hint], color: theme.warn, bold: true},
	];
}

/** "  3  ↳ sessionCache (Map)                       app/cache.js:12:5" */
export function stepLine(step: PathStep, index: number, width: number, selected: boolean): string {
	const location = step.location ? formatLocation(step.location) : '';
	const prefix = `${selected ? '›' : ' '}${String(index + 1).padStart(3)} ${index === 0 ? '' : '↳ '}`;
	const locationWidth = location === '' ? 0 : Math.min(Array.from(location).length, Math.floor(width / 3));
	const labelWidth = Math.max(4, width - prefix.length - (locationWidth > 0 ? locationWidth + 2 : 0));
	return prefix + fit(step.label, labelWidth) + (locationWidth > 0 ? '  ' + fitEnd(location, locationWidth) : '');
}

function PathSteps({steps, selected, width, height}: {steps: readonly PathStep[]; selected: number; width: number; height: number}): React.JSX.Element {
	const theme = useTheme();
	if (steps.length === 0) return <Text wrap="truncate">  no retaining path found (the objects may be unreachable and about to be collected)</Text>;
	const start = windowStart(steps.length, selected, height);
	return (
		<Box flexDirection="column">
			{steps.slice(start, start + height).map((step, i) => {
				const index = start + i;
				return (
					<Text key={index} wrap="truncate" inverse={index === selected} color={index === steps.length - 1 ? theme.accent : undefined}>
						{stepLine(step, index, width, index === selected)}
					</Text>
				);
			})}
		</Box>
	);
}

function DrillView({drill, depth, width, height}: {drill: NodeDrill; depth: number; width: number; height: number}): React.JSX.Element {
	const theme = useTheme();
	const title: Segment[] = [{text: `Who holds ${drill.label}`, bold: true}, {text: `  (level ${depth} · esc: back · enter: go up one holder)`, color: theme.muted}];
	let body: React.JSX.Element;
	if (drill.paths.status === 'loading') body = <Text wrap="truncate">  looking up its retainers…</Text>;
	else if (drill.paths.status === 'error') body = <Line segments={clipSegments([{text: `  could not look it up: ${drill.paths.message}`, color: theme.bad}], width)} />;
	else if (drill.paths.value.length === 0) body = <Text wrap="truncate">  nothing retains it any more (or the snapshot it came from was replaced)</Text>;
	else {
		const paths = drill.paths.value;
		const visible = Math.max(1, height - 1);
		const start = windowStart(paths.length, drill.selected, visible);
		body = (
			<Box flexDirection="column">
				{paths.slice(start, start + visible).map((path, i) => {
					const index = start + i;
					const holder = path[path.length - 2];
					const head = `${index === drill.selected ? '›' : ' '} ${fit(holder ? holder.label : '(root)', Math.min(40, Math.floor(width / 2)))}  `;
					const text = path.map(step => step.label).join(' › ');
					return (
						<Text key={index} wrap="truncate" inverse={index === drill.selected}>
							{head + fitEnd(text, Math.max(1, width - head.length))}
						</Text>
					);
				})}
			</Box>
		);
	}
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<Line segments={clipSegments(title, width)} />
			{body}
		</Box>
	);
}

function SitesBlock({sites, width}: {sites: readonly AllocationSite[]; width: number}): React.JSX.Element {
	const theme = useTheme();
	return (
		<Box flexDirection="column">
			<Text wrap="truncate" bold color={theme.muted}>Allocated at</Text>
			{sites.slice(0, 3).map((site, i) => (
				<Text key={i} wrap="truncate">
					{fit(`  ${fit(formatBytes(site.liveBytes), 9, 'right')}  ${site.function || '(anonymous)'}  ${formatLocation(site)}`, width)}
				</Text>
			))}
		</Box>
	);
}
