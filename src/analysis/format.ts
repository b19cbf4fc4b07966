/**
 * The few number formats analysis labels and reasons need. Kept here (not in src/ui/format.ts) because
 * src/analysis must not import the UI layer.
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB", 3_250_000 → "3.1 MB" (binary multiples, one decimal from KB up). */
export function formatBytes(bytes: number): string {
	const sign = bytes < 0 ? '-' : '';
	let value = Math.abs(bytes);
	let unit = 0;
	while (value >= 1024 && unit < UNITS.length - 1) { value /= 1024; unit++; }
	return `${sign}${unit === 0 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

/** 4000 → "4,000". */
export function formatCount(n: number): string {
	return Math.round(n).toLocaleString('en-US');
}

/** Signed: "+3.1 MB". */
export function formatSignedBytes(bytes: number): string {
	return (bytes >= 0 ? '+' : '') + formatBytes(bytes);
}

/** bytes per second → "+3.1 MB/min" (per minute reads better for leaks than per second). */
export function formatRatePerMinute(bytesPerSec: number): string {
	return `${formatSignedBytes(bytesPerSec * 60)}/min`;
}

/** 1500 → "1.5 s", 90_000 → "1.5 min", 250 → "250 ms". */
export function formatDuration(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
	if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
	return `${(ms / 3_600_000).toFixed(1)} h`;
}
