/** The command line's Options → what a LiveSession needs; the live view and `check` differ only in reach. */
import type {Options} from '../options.js';
import type {LiveSessionOptions} from './live-session.js';

export function liveSessionOptions(options: Options, reach: {explainTop: number; maxSamples: number}): LiveSessionOptions {
	return {
		intervalMs: options.intervalMs,
		snapshotEveryMs: options.snapshotEveryMs,
		maxPauseShare: options.maxPauseShare,
		forceSnapshot: options.forceSnapshot,
		saveSnapshotsDir: options.saveSnapshotsDir,
		redact: options.redact,
		allocSampling: options.allocSampling,
		samplingIntervalBytes: options.samplingIntervalBytes,
		...reach,
	};
}
