/**
 * A fixed-capacity ring of metrics samples, stored as one Float64Array per metric (struct of arrays),
 * so a session can run for days without growing. A gap (a tick with no reading: busy target, snapshot
 * pause) is a row whose metrics are NaN; null metrics (rss of a non-Node target) are NaN as well.
 * `version` changes on every write so views can memoise on it.
 */
import type {MetricsSample} from '../model/types.js';

export const SERIES_METRICS = [
	't',
	'heapUsed',
	'heapTotal',
	'rss',
	'external',
	'arrayBuffers',
	'gcCount',
	'gcPauseMs',
	'gcMinor',
	'gcMajor',
	'heapAfterLastMajorGc',
] as const satisfies ReadonlyArray<keyof MetricsSample>;

export type SeriesMetric = (typeof SERIES_METRICS)[number];

export class MetricsSeries {
	readonly capacity: number;
	/** bumped by every push/pushGap/clear */
	version = 0;
	private readonly columns: Record<SeriesMetric, Float64Array>;
	/** index of the oldest row */
	private head = 0;
	private count = 0;

	constructor(capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`series capacity must be a positive integer, got ${capacity}`);
		this.capacity = capacity;
		const columns = {} as Record<SeriesMetric, Float64Array>;
		for (const metric of SERIES_METRICS) columns[metric] = new Float64Array(capacity);
		this.columns = columns;
	}

	/** rows held (≤ capacity) */
	get length(): number {
		return this.count;
	}

	push(sample: MetricsSample): void {
		const row = this.nextRow();
		for (const metric of SERIES_METRICS) {
			const value = sample[metric];
			this.columns[metric][row] = value === null ? NaN : value;
		}
	}

	/** A tick without a reading at time `t` (ms since attach). */
	pushGap(t: number): void {
		const row = this.nextRow();
		for (const metric of SERIES_METRICS) this.columns[metric][row] = NaN;
		this.columns.t[row] = t;
	}

	/** The last `lastN` values of `metric` (all held rows by default), oldest first, NaN for gaps. A copy. */
	toArray(metric: SeriesMetric, lastN: number = this.count): Float64Array {
		const n = Math.max(0, Math.min(Math.floor(lastN), this.count));
		const out = new Float64Array(n);
		const column = this.columns[metric];
		const first = this.head + this.count - n;
		for (let i = 0; i < n; i++) out[i] = column[(first + i) % this.capacity]!;
		return out;
	}

	/** Is row `i` (0 = oldest held) a gap? */
	isGap(i: number): boolean {
		return Number.isNaN(this.columns.heapUsed[this.physical(i)]!);
	}

	/** Value of `metric` in row `i` (0 = oldest held). */
	get(metric: SeriesMetric, i: number): number {
		return this.columns[metric][this.physical(i)]!;
	}

	/** The newest row that is not a gap, as a sample (NaN metrics come back as null where the type allows). */
	latestSample(): MetricsSample | null {
		for (let i = this.count - 1; i >= 0; i--) {
			if (this.isGap(i)) continue;
			const value = (metric: SeriesMetric) => this.get(metric, i);
			const nullable = (metric: SeriesMetric) => (Number.isNaN(value(metric)) ? null : value(metric));
			return {
				t: value('t'),
				heapUsed: value('heapUsed'),
				heapTotal: value('heapTotal'),
				rss: nullable('rss'),
				external: nullable('external'),
				arrayBuffers: nullable('arrayBuffers'),
				gcCount: value('gcCount'),
				gcPauseMs: value('gcPauseMs'),
				gcMinor: value('gcMinor'),
				gcMajor: value('gcMajor'),
				heapAfterLastMajorGc: nullable('heapAfterLastMajorGc'),
			};
		}
		return null;
	}

	clear(): void {
		this.head = 0;
		this.count = 0;
		this.version++;
	}

	private nextRow(): number {
		let row: number;
		if (this.count < this.capacity) {
			row = (this.head + this.count) % this.capacity;
			this.count++;
		} else {
			// full: overwrite the oldest
			row = this.head;
			this.head = (this.head + 1) % this.capacity;
		}
		this.version++;
		return row;
	}

	private physical(i: number): number {
		if (!Number.isInteger(i) || i < 0 || i >= this.count) throw new RangeError(`row ${i} is outside 0…${this.count - 1}`);
		return (this.head + i) % this.capacity;
	}
}
