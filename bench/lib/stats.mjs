// Small numeric and table helpers shared by the bench scripts.

export function median(xs) {
	const s = xs.filter(x => x != null && Number.isFinite(x)).sort((a, b) => a - b);
	if (s.length === 0) return null;
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Least-squares slope of y over x. */
export function slope(xs, ys) {
	const n = xs.length;
	if (n < 2) return 0;
	const mx = xs.reduce((a, b) => a + b, 0) / n;
	const my = ys.reduce((a, b) => a + b, 0) / n;
	let num = 0;
	let den = 0;
	for (let i = 0; i < n; i++) {
		num += (xs[i] - mx) * (ys[i] - my);
		den += (xs[i] - mx) ** 2;
	}
	return den === 0 ? 0 : num / den;
}

export function fmt(x, digits = 2) {
	return x == null || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** Plain aligned table: first column left-aligned, the others right-aligned. */
export function textTable(header, rows) {
	const all = [header, ...rows].map(r => r.map(String));
	const widths = header.map((_, i) => Math.max(...all.map(r => r[i].length)));
	return all.map(r => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}

export function markdownTable(header, rows) {
	const line = r => `| ${r.join(' | ')} |`;
	return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}
