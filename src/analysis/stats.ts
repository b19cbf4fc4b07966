/**
 * Small robust statistics used by the trend and growth analyses. Pure; inputs are plain arrays of
 * finite numbers (callers drop gaps first).
 */

export interface LinearFit {
	/** change of y per unit of x */
	slope: number;
	intercept: number;
	/** coefficient of determination, 0…1 (0 when y does not vary or x does not vary) */
	r2: number;
}

/** Ordinary least squares of y on x. */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
	const n = Math.min(xs.length, ys.length);
	if (n < 2) return {slope: 0, intercept: n === 1 ? ys[0]! : 0, r2: 0};
	let mx = 0, my = 0;
	for (let i = 0; i < n; i++) { mx += xs[i]!; my += ys[i]!; }
	mx /= n; my /= n;
	let sxx = 0, sxy = 0, syy = 0;
	for (let i = 0; i < n; i++) {
		const dx = xs[i]! - mx, dy = ys[i]! - my;
		sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
	}
	if (sxx === 0) return {slope: 0, intercept: my, r2: 0};
	const slope = sxy / sxx;
	const r2 = syy === 0 ? 0 : Math.min(1, (sxy * sxy) / (sxx * syy));
	return {slope, intercept: my - slope * mx, r2};
}

export function median(values: readonly number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Theil–Sen slope: the median of all pairwise slopes. One wild point cannot swing it, unlike least
 * squares, which matters for short, noisy series such as per-class counts over a few snapshots.
 */
export function theilSenSlope(xs: readonly number[], ys: readonly number[]): number {
	const slopes: number[] = [];
	const n = Math.min(xs.length, ys.length);
	for (let i = 0; i < n; i++) {
		for (let j = i + 1; j < n; j++) {
			const dx = xs[j]! - xs[i]!;
			if (dx !== 0) slopes.push((ys[j]! - ys[i]!) / dx);
		}
	}
	return slopes.length ? median(slopes) : 0;
}

/**
 * Kendall's tau-a of the series against its order: +1 when every later value is above every earlier
 * one, −1 when it only falls, near 0 for noise. A cheap "how consistently does it rise" measure.
 */
export function risingConsistency(ys: readonly number[]): number {
	let concordant = 0, discordant = 0, pairs = 0;
	for (let i = 0; i < ys.length; i++) {
		for (let j = i + 1; j < ys.length; j++) {
			pairs++;
			if (ys[j]! > ys[i]!) concordant++;
			else if (ys[j]! < ys[i]!) discordant++;
		}
	}
	return pairs ? (concordant - discordant) / pairs : 0;
}

/** Pearson correlation; 0 when either series is constant. */
export function correlation(xs: readonly number[], ys: readonly number[]): number {
	const n = Math.min(xs.length, ys.length);
	if (n < 2) return 0;
	let mx = 0, my = 0;
	for (let i = 0; i < n; i++) { mx += xs[i]!; my += ys[i]!; }
	mx /= n; my /= n;
	let sxx = 0, syy = 0, sxy = 0;
	for (let i = 0; i < n; i++) {
		const dx = xs[i]! - mx, dy = ys[i]! - my;
		sxx += dx * dx; syy += dy * dy; sxy += dx * dy;
	}
	return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}
