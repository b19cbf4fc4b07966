/**
 * The frame's fixed chrome: the header (who we watch), the "target ended" banner, the status line
 * (snapshot job, schedule, frozen flag, last notice) and the key hints (generated from the keymap).
 */
import React from 'react';
import type {SnapshotJobState} from '../../model/types.js';
import {latestTime, type ScreenName, type SnapshotPlan} from '../../session/state.js';
import {formatBytes, formatDuration, shortScriptName} from '../format.js';
import {KEYMAP, type Command} from '../keymap.js';
import {useTheme, type Theme} from '../theme.js';
import {useAppState} from '../use-store.js';
import {Line, clipSegments, type Segment} from './line.js';

export function Header({width}: {width: number}): React.JSX.Element {
	const state = useAppState();
	const theme = useTheme();
	// the state word comes first so a narrow terminal never cuts it off
	const segments: Segment[] = [{text: 'heaptop', color: theme.accent, bold: true}];
	if (state.frozen) segments.push({text: ' FROZEN', color: theme.warn, bold: true});
	else if (state.connection.status === 'live') segments.push({text: ' LIVE', color: theme.good, bold: true});
	const target = state.target;
	if (!target) {
		segments.push({text: state.connection.status === 'ended' ? ' · not attached' : ' · attaching…', color: theme.warn});
	} else {
		const parts = [
			target.pid === null ? null : `pid ${target.pid}`,
			target.nodeVersion === null ? (target.isNode ? null : 'not Node') : `node ${target.nodeVersion}`,
			target.address,
			`watching ${formatDuration(latestTime(state.history))}`,
			target.title ? shortScriptName(target.title) : null,
		].filter((part): part is string => part !== null && part !== '');
		segments.push({text: ' · ' + parts.join(' · ')});
	}
	return <Line segments={clipSegments(segments, width)} />;
}

export function EndedBanner({reason, width}: {reason: string; width: number}): React.JSX.Element {
	const theme = useTheme();
	const text = ` ■ target ended: ${reason} — charts and tables are kept; press q to quit `;
	return <Line segments={clipSegments([{text, color: theme.bad, bold: true, inverse: true}], width)} />;
}

/** "capturing 42%", "parsing 120 MB", "next snapshot in 12 s", … */
export function snapshotStatusText(job: SnapshotJobState, plan: SnapshotPlan, now: number, ended: boolean): string {
	switch (job.phase) {
		case 'capturing':
			return `capturing ${job.total > 0 ? Math.floor((job.done / job.total) * 100) : 0}%`;
		case 'parsing':
			return `parsing ${formatBytes(job.bytes)}`;
		case 'analysing':
			return 'analysing…';
		case 'gated':
			return `snapshot held: ${job.reason}`;
		case 'failed':
			return `snapshot failed: ${job.reason}`;
		case 'idle':
			if (ended) return 'target ended';
			if (plan.gateMessage) return `snapshot held: ${plan.gateMessage}`;
			if (plan.nextAtMs !== null) return `next snapshot in ${formatDuration(Math.max(0, plan.nextAtMs - now))}${cadenceText(plan)}`;
			return plan.intervalMs === null ? 'snapshots on demand (s)' : 'snapshot pending';
	}
}

/**
 * "", or when pauses stretched the period: " (every 1m 20s, not 30 s: 4.0 s pauses ≤ 5 %)" — the period
 * the target actually gets and why it is not the one asked for. Nothing when it is as asked (room
 * on this line goes to the latest notice).
 */
export function cadenceText(plan: SnapshotPlan): string {
	const base = plan.baseIntervalMs ?? null;
	if (plan.intervalMs === null || base === null || plan.intervalMs <= base || plan.lastPauseMs == null || plan.maxPauseShare === undefined) return '';
	const share = `${+(plan.maxPauseShare * 100).toFixed(1)} %`;
	return ` (every ${formatDuration(plan.intervalMs)}, not ${formatDuration(base)}: ${(plan.lastPauseMs / 1000).toFixed(1)} s pauses ≤ ${share})`;
}

function jobColor(job: SnapshotJobState, theme: Theme) {
	if (job.phase === 'failed') return theme.bad;
	if (job.phase === 'gated') return theme.warn;
	if (job.phase === 'idle') return undefined;
	return theme.accent;
}

export function StatusLine({width}: {width: number}): React.JSX.Element {
	const state = useAppState();
	const theme = useTheme();
	const ended = state.connection.status === 'ended';
	const count = state.snapshots.length;
	const segments: Segment[] = [
		{text: snapshotStatusText(state.snapshotJob, state.snapshotPlan, latestTime(state.history), ended), color: jobColor(state.snapshotJob, theme)},
		{text: ` · ${count} snapshot${count === 1 ? '' : 's'}`},
	];
	if (state.frozen) segments.push({text: ' · view frozen (f)', color: theme.warn});
	const notice = state.notices[state.notices.length - 1];
	if (notice) {
		const color = notice.level === 'error' ? theme.bad : notice.level === 'warn' ? theme.warn : theme.muted;
		segments.push({text: ` · ${notice.text}`, color});
	}
	return <Line segments={clipSegments(segments, width)} />;
}

const HINTS: Record<ScreenName, Command[]> = {
	overview: ['quit', 'help', 'snapshot', 'freeze', 'cycleScreen', 'drillIn', 'showAllocations'],
	growth: ['quit', 'help', 'back', 'drillIn', 'filter', 'sort', 'snapshot', 'freeze'],
	retainers: ['quit', 'help', 'back', 'up', 'down', 'drillIn', 'nextPath', 'previousPath'],
	allocations: ['quit', 'help', 'back', 'up', 'down', 'expand', 'freeze'],
	help: ['quit', 'help', 'back'],
};

const SHORT: Partial<Record<Command, string>> = {
	quit: 'quit', help: 'help', back: 'back', snapshot: 'snapshot', freeze: 'freeze', cycleScreen: 'screens',
	drillIn: 'retainers', showAllocations: 'allocs', zoomIn: 'zoom in', zoomOut: 'zoom out', filter: 'filter',
	sort: 'sort', up: 'up', down: 'down', expand: 'stack', nextPath: 'next path', previousPath: 'prev path',
};

/** The key hints of a screen: each command's first key from the keymap, so hints cannot go stale. */
export function hintText(screen: ScreenName): string {
	return HINTS[screen]
		.map(command => {
			const binding = KEYMAP.find(b => b.command === command);
			const label = command === 'drillIn' && screen === 'retainers' ? 'holders' : SHORT[command] ?? command;
			return binding ? `${binding.keys[0]} ${label}` : '';
		})
		.filter(Boolean)
		.join('  ');
}

export function Hints({screen, width, editingFilter}: {screen: ScreenName; width: number; editingFilter: boolean}): React.JSX.Element {
	const theme = useTheme();
	const text = editingFilter ? 'type to filter · enter keep · esc clear' : hintText(screen);
	return <Line segments={clipSegments([{text, color: theme.muted}], width)} />;
}
