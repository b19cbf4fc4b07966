/**
 * Number formats shared by every output — the TUI, the text report and the analysis's reasons — so a
 * figure reads the same everywhere. Sizes use 1024-based units written KB/MB/GB (as htop and btop do).
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 512 → "512 B", 3_250_000 → "3.1 MB", 130_000_000 → "124 MB". Non-finite → "–". */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes)) return '–';
	const sign = bytes < 0 ? '-' : '';
	let value = Math.abs(bytes);
	let unit = 0;
	while (value >= 1024 && unit < UNITS.length - 1) {
		value /= 1024;
		unit++;
	}
	if (unit === 0) return `${sign}${Math.round(value)} B`;
	// 1023.96 MB would print as "1024 MB": step up instead
	if (Number(value.toFixed(value < 100 ? 1 : 0)) >= 1024 && unit < UNITS.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${sign}${value < 100 ? value.toFixed(1) : value.toFixed(0)} ${UNITS[unit]}`;
}

/** Always signed: "+3.1 MB", "-512 B", "+0 B". */
export function formatSignedBytes(bytes: number): string {
	const text = formatBytes(bytes);
	return bytes < 0 ? text : `+${text}`;
}

/** Bytes per second → "+3.1 MB/min" (a minute reads better than a second for leaks). */
export function formatRate(bytesPerSec: number): string {
	if (!Number.isFinite(bytesPerSec)) return '–';
	return `${formatSignedBytes(bytesPerSec * 60)}/min`;
}

/** 1234567 → "1,234,567" (fixed separator, no locale dependence). */
export function formatCount(n: number): string {
	if (!Number.isFinite(n)) return '–';
	const sign = n < 0 ? '-' : '';
	const digits = String(Math.round(Math.abs(n)));
	return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
