import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SnapshotParser, analyzeGraph, rankGrowth} from '../../src/index.js';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';

test('the package API parses, summarises and ranks growth without the UI', () => {
	const summaries = [1, 2, 3].map((n, seq) => {
		const b = new SnapshotBuilder();
		const global = b.node('object', 'global / ');
		b.edge(b.root, global, 'shortcut', 'global');
		const cache = b.node('object', 'Map');
		b.edge(global, cache, 'property', 'cache');
		for (let i = 0; i < n * 200; i++) b.edge(cache, b.node('object', 'ApiLeak', {selfSize: 64}), 'element', i);
		const parser = new SnapshotParser();
		parser.write(b.toJson());
		const summary = analyzeGraph(parser.end()).summary({retained: true});
		return {...summary, seq, t: seq * 1000, file: null, captureMs: null, parseMs: 0};
	});
	assert.equal(summaries[2]!.classes.find(c => c.name === 'ApiLeak')?.count, 600);
	const growth = rankGrowth(summaries);
	assert.equal(growth.candidates[0]?.name, 'ApiLeak');
});
