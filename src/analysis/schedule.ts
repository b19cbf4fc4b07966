/**
 * Adaptive snapshot interval. Every snapshot pauses the target; heaptop keeps the share of wall time
 * the target spends paused at or below `maxPauseShare` (default 5 %). A 3 s pause at 5 % means at
 * least 60 s between snapshot starts. The interval never drops below the one the user asked for.
 */

export const DEFAULT_MAX_PAUSE_SHARE = 0.05;
/** The largest of this many recent pauses sets the pace (one fast snapshot does not undo a slow one). */
const RECENT_PAUSES = 3;

/** The largest of the last few valid pauses, or 0 when none was measured. */
export function recentPauseMs(pausesMs: readonly number[]): number {
	const valid = pausesMs.filter(p => Number.isFinite(p) && p > 0);
	return valid.length ? Math.max(...valid.slice(-RECENT_PAUSES)) : 0;
}

/**
 * ms between snapshot starts: max(base, pause / share). 0 when snapshots are off (base ≤ 0).
 * A share outside (0, 1] falls back to the default.
 */
export function effectiveInterval(baseMs: number, maxPauseShare: number = DEFAULT_MAX_PAUSE_SHARE, pausesMs: readonly number[] = []): number {
	if (!(baseMs > 0)) return 0;
	const share = maxPauseShare > 0 && maxPauseShare <= 1 ? maxPauseShare : DEFAULT_MAX_PAUSE_SHARE;
	return Math.max(baseMs, Math.ceil(recentPauseMs(pausesMs) / share));
}

export interface SnapshotPlan {
	baseMs: number;
	maxPauseShare?: number;
	pausesMs: readonly number[];
	/** when the last snapshot started / finished (ms since attach), null before the first */
	lastStartedAt: number | null;
	lastFinishedAt: number | null;
}

/**
 * When the next snapshot is due (ms since attach): the effective interval after the last start, but
 * never before the last one finished (no two in flight). 0 before the first — a baseline early on is
 * what every later comparison needs. null when snapshots are off.
 */
export function nextSnapshotDue(plan: SnapshotPlan): number | null {
	const interval = effectiveInterval(plan.baseMs, plan.maxPauseShare, plan.pausesMs);
	if (interval === 0) return null;
	if (plan.lastStartedAt === null) return 0;
	return Math.max(plan.lastStartedAt + interval, plan.lastFinishedAt ?? 0);
}

export function isSnapshotDue(nowMs: number, plan: SnapshotPlan): boolean {
	const due = nextSnapshotDue(plan);
	return due !== null && nowMs >= due;
}

/** Share of wall time the target spent paused by snapshots over the last interval (for the status line). */
export function pauseShare(pausesMs: readonly number[], intervalMs: number): number {
	return intervalMs > 0 ? recentPauseMs(pausesMs.slice(-1)) / intervalMs : 0;
}
