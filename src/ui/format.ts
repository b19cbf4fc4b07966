/**
 * Pure text formatting for the TUI: sizes, counts, durations, rates, fixed-width cells, sparklines.
 * Sizes use 1024-based units written KB/MB/GB (as htop and btop do).
 */
import type {SourceLocation} from '../model/types.js';

import {formatCount} from '../format.js';

export {formatBytes, formatSignedBytes, formatRate, formatCount} from '../format.js';

/** Counts in at most 6 characters: 999, 12.3k, 1.2M. */
export function formatCountShort(n: number): string {
	if (!Number.isFinite(n)) return '–';
	const sign = n < 0 ? '-' : '';
	const abs = Math.abs(n);
	if (abs < 10_000) return sign + String(Math.round(abs));
	if (abs < 1_000_000) return `${sign}${(abs / 1000).toFixed(abs < 100_000 ? 1 : 0)}k`;
	if (abs < 1_000_000_000) return `${sign}${(abs / 1_000_000).toFixed(abs < 100_000_000 ? 1 : 0)}M`;
	return `${sign}${(abs / 1_000_000_000).toFixed(1)}G`;
}

export function formatSignedCount(n: number): string {
	return n > 0 ? `+${formatCount(n)}` : formatCount(n);
}

/** 850 → "850 ms", 12_000 → "12 s", 192_000 → "3m 12s", 3_720_000 → "1h 02m", 2 days → "2d 0h". */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) return '–';
	if (ms < 1000) return `${Math.round(ms)} ms`;
	const totalSeconds = Math.floor(ms / 1000);
	if (totalSeconds < 60) return `${totalSeconds} s`;
	const minutes = Math.floor(totalSeconds / 60);
	const seconds = totalSeconds % 60;
	if (minutes < 60) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
	return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** Milliseconds with one decimal below 10: "0.4 ms", "12 ms", "1.2 s". */
export function formatMs(ms: number): string {
	if (!Number.isFinite(ms)) return '–';
	if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
	return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** A short source location: "src/app/listener.js:14:3" (scheme and leading folders dropped). */
export function formatLocation(location: SourceLocation, withColumn = true): string {
	let path = location.url.replace(/^file:\/\//, '').replace(/^node:/, 'node:');
	const parts = path.split('/').filter(Boolean);
	if (parts.length > 3) path = parts.slice(-3).join('/');
	if (path === '') path = '(anonymous)';
	return withColumn ? `${path}:${location.line}:${location.column}` : `${path}:${location.line}`;
}

/** Truncate with "…" or pad with spaces to exactly `width` characters. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	const chars = Array.from(text);
	if (chars.length > width) return width === 1 ? '…' : chars.slice(0, width - 1).join('') + '…';
	const pad = ' '.repeat(width - chars.length);
	return align === 'left' ? text + pad : pad + text;
}

/** Like fit, but keeps the end of the text ("…/listener.js:14") when it is too long. */
export function fitEnd(text: string, width: number): string {
	if (width <= 0) return '';
	const chars = Array.from(text);
	if (chars.length <= width) return text + ' '.repeat(width - chars.length);
	return width === 1 ? '…' : '…' + chars.slice(chars.length - width + 1).join('');
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** The last `width` values as block characters scaled between their min and max ("▁▂▅█"). */
export function sparkline(values: readonly number[], width = values.length): string {
	const shown = values.slice(Math.max(0, values.length - width));
	if (shown.length === 0) return '';
	const min = Math.min(...shown);
	const max = Math.max(...shown);
	return shown
		.map(v => (max === min ? BLOCKS[max === 0 ? 0 : 3]! : BLOCKS[Math.round(((v - min) / (max - min)) * (BLOCKS.length - 1))]!))
		.join('');
}

/** ↑ rising, ↓ falling, → flat: from the last two values. */
export function trendArrow(values: readonly number[]): string {
	if (values.length < 2) return '·';
	const last = values[values.length - 1]!;
	const prev = values[values.length - 2]!;
	return last > prev ? '↑' : last < prev ? '↓' : '→';
}

/** Word-wraps `text` into at most `maxLines` lines of `width`; the last line ends in "…" when cut. */
export function wrapText(text: string, width: number, maxLines: number): string[] {
	if (width <= 0 || maxLines <= 0) return [];
	const lines: string[] = [];
	let current = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const candidate = current === '' ? word : `${current} ${word}`;
		if (Array.from(candidate).length <= width) {
			current = candidate;
			continue;
		}
		if (current !== '') lines.push(current);
		current = word;
	}
	if (current !== '') lines.push(current);
	if (lines.length <= maxLines) return lines.map(line => fit(line, width).trimEnd());
	const kept = lines.slice(0, maxLines);
	kept[maxLines - 1] = fit(kept[maxLines - 1]! + ' ' + lines[maxLines]!, width).trimEnd();
	if (!kept[maxLines - 1]!.endsWith('…')) kept[maxLines - 1] = fit(kept[maxLines - 1]!, width - 1).trimEnd() + '…';
	return kept;
}

/**
 * A script path short enough for the header: its last two segments ("examples/demo-app.js"), which
 * name the app; the leading folders (a long checkout or deploy path) would push them off a narrow line.
 */
export function shortScriptName(title: string): string {
	const path = title.startsWith('file://') ? title.slice('file://'.length) : title;
	if (!path.includes('/')) return title;
	const segments = path.split('/').filter(Boolean);
	return segments.slice(-2).join('/');
}
