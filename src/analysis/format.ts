/**
 * The number formats analysis labels and reasons use: the shared ones (src/format.ts), plus a duration
 * format that keeps a decimal for the short pauses a snapshot gate talks about ("a 4.5 s pause").
 */

export {formatBytes, formatCount, formatSignedBytes, formatRate as formatRatePerMinute} from '../format.js';

/** 1500 → "1.5 s", 90_000 → "1.5 min", 250 → "250 ms". */
export function formatDuration(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
	if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
	return `${(ms / 3_600_000).toFixed(1)} h`;
}
