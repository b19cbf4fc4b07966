/**
 * The readable report of `check` and `analyze` (the default when --json is not given): verdict,
 * trend, the classes that keep rising with their retaining path, hint and allocation sites, and for a
 * single file its biggest classes. Names and numbers only, never heap string values.
 */
import type {ClassRetainers, SnapshotSummary} from '../model/types.js';
import {formatBytes, formatCount, formatRatePerMinute} from '../analysis/format.js';
import type {JsonReport} from './report.js';

export interface TextReportInput {
	report: JsonReport;
	summaries: SnapshotSummary[];
	retainers: ReadonlyMap<string, ClassRetainers>;
	/** one snapshot file: show what is big rather than what grows */
	single: boolean;
}

const VERDICT_LINE: Record<JsonReport['verdict'], string> = {
	leak: 'LEAK SUSPECTED',
	'no-leak': 'no leak found',
	inconclusive: 'inconclusive',
};

export function formatTextReport({report, summaries, retainers, single}: TextReportInput): string {
	const out: string[] = [];
	out.push(`verdict: ${VERDICT_LINE[report.verdict]}`);
	if (report.trend) out.push(`heap trend: ${report.trend.shape}, ${formatRatePerMinute(report.trend.heapBytesPerSec)}${report.trend.rssBytesPerSec === null ? '' : `, RSS ${formatRatePerMinute(report.trend.rssBytesPerSec)}`}`);
	if (report.samples) out.push(`samples: ${report.samples.length}`);
	out.push(`snapshots: ${summaries.length}${summaries.length ? ` (${summaries.map(s => formatCount(s.nodeCount)).join(' → ')} objects)` : ''}`);
	for (const note of report.notes) out.push(`note: ${note}`);
	out.push('');

	if (single) {
		out.push('biggest classes (retained size):');
		out.push(table(['class', 'count', 'self', 'retained'], report.classes.slice(0, 15).map(c => [c.name, formatCount(c.count), formatBytes(c.selfSize), formatBytes(c.retainedSize)])));
		for (const [name, r] of retainers) out.push('', ...explain(name, r));
		return `${out.join('\n')}\n`;
	}

	if (report.growing.length === 0) {
		out.push('nothing keeps rising.');
		return `${out.join('\n')}\n`;
	}
	out.push('keeps rising:');
	out.push(table(['class', 'counts per snapshot', 'survivors', 'self now'], report.growing.slice(0, 15).map(g => [
		g.name, g.counts.map(formatCount).join(' → '), formatCount(g.survivors), formatBytes(g.sizes.at(-1) ?? 0),
	])));
	for (const g of report.growing.slice(0, 5)) {
		const r = retainers.get(g.name);
		out.push('', `${g.name}: ${g.reason}`);
		if (r) out.push(...explain(g.name, r).slice(1));
		for (const site of g.allocationSites.slice(0, 3)) {
			out.push(`  allocated at ${site.function || '(anonymous)'} ${site.url}:${site.line}:${site.column} (${formatBytes(site.liveBytes)} live, sampled)`);
		}
	}
	return `${out.join('\n')}\n`;
}

function explain(name: string, r: ClassRetainers): string[] {
	const lines = [`${name}:`];
	for (const cluster of r.clusters.slice(0, 3)) lines.push(`  ${formatCount(cluster.count)}× ${cluster.text}`);
	lines.push(`  hint: ${r.hint} — ${r.advice}`);
	return lines;
}

function table(header: string[], rows: string[][]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)));
	const line = (cells: string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
	return [line(header), ...rows.map(line)].join('\n');
}
