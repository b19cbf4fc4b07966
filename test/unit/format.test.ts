import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	fit, fitEnd, formatBytes, formatCount, formatCountShort, formatDuration, formatLocation, formatMs, formatRate,
	formatSignedBytes, sparkline, trendArrow, wrapText,
} from '../../src/ui/format.js';

test('bytes use 1024-based KB/MB/GB with one decimal below 100', () => {
	assert.equal(formatBytes(0), '0 B');
	assert.equal(formatBytes(512), '512 B');
	assert.equal(formatBytes(1536), '1.5 KB');
	assert.equal(formatBytes(3.1 * 1024 * 1024), '3.1 MB');
	assert.equal(formatBytes(130 * 1024 * 1024), '130 MB');
	assert.equal(formatBytes(4 * 1024 ** 3), '4.0 GB');
	assert.equal(formatBytes(-2048), '-2.0 KB');
	assert.equal(formatBytes(Number.NaN), '–');
	// just under the next unit must not print "1024 MB"
	assert.equal(formatBytes(1024 ** 3 - 1000), '1.0 GB');
});

test('signed bytes and rates per minute', () => {
	assert.equal(formatSignedBytes(1024), '+1.0 KB');
	assert.equal(formatSignedBytes(-1024), '-1.0 KB');
	assert.equal(formatSignedBytes(0), '+0 B');
	// 3.1 MB per minute expressed per second
	assert.equal(formatRate((3.1 * 1024 * 1024) / 60), '+3.1 MB/min');
	assert.equal(formatRate(-1024 / 60), '-1.0 KB/min');
});

test('counts: separators and short form', () => {
	assert.equal(formatCount(1234567), '1,234,567');
	assert.equal(formatCount(-1000), '-1,000');
	assert.equal(formatCount(999), '999');
	assert.equal(formatCountShort(9999), '9999');
	assert.equal(formatCountShort(12_345), '12.3k');
	assert.equal(formatCountShort(123_456), '123k');
	assert.equal(formatCountShort(1_234_567), '1.2M');
	assert.equal(formatCountShort(-12_345), '-12.3k');
});

test('durations and milliseconds', () => {
	assert.equal(formatDuration(850), '850 ms');
	assert.equal(formatDuration(12_000), '12 s');
	assert.equal(formatDuration(192_000), '3m 12s');
	assert.equal(formatDuration(3_720_000), '1h 02m');
	assert.equal(formatDuration(50 * 3_600_000), '2d 2h');
	assert.equal(formatDuration(-1), '–');
	assert.equal(formatMs(0.42), '0.4 ms');
	assert.equal(formatMs(12.4), '12 ms');
	assert.equal(formatMs(1234), '1.2 s');
});

test('locations drop the scheme and leading folders', () => {
	assert.equal(formatLocation({url: 'file:///srv/app/lib/session.js', line: 42, column: 7}), 'app/lib/session.js:42:7');
	assert.equal(formatLocation({url: 'node:events', line: 519, column: 28}, false), 'node:events:519');
	assert.equal(formatLocation({url: '', line: 1, column: 1}), '(anonymous):1:1');
});

test('fit pads or truncates to the exact width', () => {
	assert.equal(fit('abc', 5), 'abc  ');
	assert.equal(fit('abc', 5, 'right'), '  abc');
	assert.equal(fit('abcdef', 4), 'abc…');
	assert.equal(fit('abc', 0), '');
	assert.equal(fitEnd('/a/very/long/path.js', 8), '…path.js');
	assert.equal(fitEnd('ab', 4), 'ab  ');
});

test('sparkline scales between min and max; arrows follow the last step', () => {
	assert.equal(sparkline([1, 2, 3, 4, 5, 6, 7, 8]), '▁▂▃▄▅▆▇█');
	assert.equal(sparkline([5, 5, 5]), '▄▄▄');
	assert.equal(sparkline([0, 0]), '▁▁');
	assert.equal(sparkline([1, 2, 3, 4], 2), '▁█');
	assert.equal(sparkline([]), '');
	assert.equal(trendArrow([1, 2]), '↑');
	assert.equal(trendArrow([2, 1]), '↓');
	assert.equal(trendArrow([2, 2]), '→');
	assert.equal(trendArrow([2]), '·');
});

test('wrapText keeps words and marks a cut', () => {
	assert.deepEqual(wrapText('one two three four', 9, 3), ['one two', 'three', 'four']);
	const cut = wrapText('one two three four five six', 9, 2);
	assert.equal(cut.length, 2);
	assert.ok(cut[1]!.endsWith('…'));
	assert.ok(cut.every(line => line.length <= 9));
});

test('shortScriptName keeps the part of a script path that names the app', async () => {
	const {shortScriptName} = await import('../../src/ui/format.js');
	assert.equal(shortScriptName('/tmp/tmp.02FX7pZudV/examples/demo-app.js'), 'examples/demo-app.js');
	assert.equal(shortScriptName('file:///srv/app/server.mjs'), 'app/server.mjs');
	assert.equal(shortScriptName('app.js'), 'app.js');
	assert.equal(shortScriptName('[worker 1] cruncher'), '[worker 1] cruncher');
});
