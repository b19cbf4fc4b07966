import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';
import {graphFromJson} from '../helpers/reference-loader.js';
import {analyzeGraph} from '../../src/snapshot/analysis.js';

function sample() {
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global', {selfSize: 40, id: 1});
	b.edge(b.root, global, 'shortcut', 'global');
	const sessions: number[] = [];
	for (const id of [11, 21, 31, 41]) {
		const s = b.node('object', 'Session', {selfSize: 100, id});
		const elements = b.node('array', '(object elements)', {selfSize: 50, id: id + 1000});
		b.edge(global, s, 'property', `s${id}`).edge(s, elements, 'internal', 'elements');
		sessions.push(s);
	}
	// Same name, other file: merged into the one "Session" row.
	const other = b.node('object', 'Session', {selfSize: 100, id: 51});
	b.location(other, 3, 1, 1).location(sessions[0]!, 2, 1, 1).location(sessions[1]!, 2, 1, 1).location(sessions[2]!, 2, 1, 1).location(sessions[3]!, 2, 1, 1);
	b.edge(global, other, 'property', 'other');
	return {g: graphFromJson(b.toJson()), sessions};
}

test('summary: DevTools shallow sizes, listed nodes only, merged same-named classes, id generations', () => {
	const {g} = sample();
	const summary = analyzeGraph(g).summary({generationBoundaries: [25, 45]});
	assert.equal(summary.nodeCount, g.nodeCount);
	assert.equal(summary.edgeCount, g.edgeCount);
	assert.equal(summary.totalSize, 40 + 5 * 100 + 4 * 50);
	assert.equal(summary.maxNodeId, 1041);
	assert.deepEqual(summary.generationBoundaries, [25, 45]);
	const session = summary.classes.find(c => c.name === 'Session')!;
	assert.equal(session.count, 5);
	assert.equal(session.selfSize, 4 * 150 + 100, 'elements stores belong to their Session');
	assert.equal(session.retainedSize, 700);
	assert.equal(session.minId, 11);
	assert.equal(session.maxId, 51);
	assert.deepEqual(session.countsByGeneration, [2, 2, 1], '(0,25] (25,45] and above 45');
	assert.equal(summary.classes.find(c => c.name === '(array)'), undefined, 'owned arrays have shallow size 0: not listed');
	assert.equal(summary.classes.find(c => c.name === '(synthetic)'), undefined, 'the root has size 0');
	const global = summary.classes.find(c => c.name === 'global')!;
	assert.equal(global.retainedSize, 740);
	assert.equal(summary.classes[0]!.name, 'global', 'largest retained size first');
});

test('summary without retained sizes reports null and sorts by self size', () => {
	const {g} = sample();
	const analysis = analyzeGraph(g);
	const summary = analysis.summary({retained: false});
	assert.ok(summary.classes.every(c => c.retainedSize === null));
	assert.deepEqual(summary.classes.find(c => c.name === 'Session')!.countsByGeneration, [5]);
	assert.equal(summary.classes[0]!.name, 'Session', 'sorted by self size when retained is off');
});

test('generation buckets: an id equal to a boundary belongs to that boundary, ids past the last to the newest', () => {
	const b = new SnapshotBuilder();
	const global = b.node('object', 'global', {selfSize: 40, id: 1});
	b.edge(b.root, global, 'shortcut', 'global');
	const ids = [3, 25, 27, 45, 47, 1001];
	for (const id of ids) b.edge(global, b.node('object', 'Item', {selfSize: 8, id}), 'property', `i${id}`);
	// A located Item is another class key with the same name: its counts join the same row.
	const located = b.node('object', 'Item', {selfSize: 8, id: 45});
	b.edge(global, located, 'property', 'located');
	b.location(located, 1, 2, 3);
	const summary = analyzeGraph(graphFromJson(b.toJson())).summary({retained: false, generationBoundaries: [45, 25]});
	const item = summary.classes.find(c => c.name === 'Item')!;
	assert.deepEqual(item.countsByGeneration, [2, 3, 2], '(0,25] = {3, 25}, (25,45] = {27, 45, 45}, above = {47, 1001}');
	assert.equal(item.count, 7);
	assert.equal(item.selfSize, 56);
	assert.equal(item.minId, 3);
	assert.equal(item.maxId, 1001);
	assert.equal(summary.maxNodeId, 1001);
});

test('work another thread was to do and could not is done here, and that thread is let go either way', () => {
	const expected = analyzeGraph(sample().g);
	const summary = expected.summary({retained: true});
	const tree = Array.from(expected.shortestPaths().parentEdge);
	for (const failing of ['shallow sizes', 'tree', 'both'] as const) {
		const g = sample().g;
		let released = 0;
		let pathsAsked = false;
		const analysis = analyzeGraph(g, {
			shallowSizesElsewhere: (graph, paths) => {
				// as a thread that can take the job does: it asks for the strings' answers
				pathsAsked = paths?.() !== undefined;
				let treeTaken = false;
				return {
					// answers as a thread gives them (its tree in an array one slot longer), or none
					result: () => (failing === 'tree' ? analyzeGraph(graph).shallowSizes() : null),
					sizesBuffer: () => null,
					shortestPaths: () => {
						treeTaken = true;
						if (failing !== 'shallow sizes') return null;
						const parentEdge = new Uint32Array(graph.nodeCount + 1);
						parentEdge.set(analyzeGraph(graph).shortestPaths().parentEdge);
						return {parentEdge: parentEdge.subarray(0, graph.nodeCount), spare: [new Uint32Array(graph.nodeCount + 1)]};
					},
					release: () => {
						assert.ok(treeTaken, 'the tree asked for is collected before the thread is let go');
						released++;
					},
				};
			},
		});
		assert.deepEqual(analysis.summary({retained: true}), summary, failing);
		assert.ok(pathsAsked, 'a retained summary asks for the tree');
		assert.deepEqual(Array.from(analysis.shortestPaths().parentEdge), tree, failing);
		assert.equal(released, 1, `${failing}: let go once`);
	}
	// a summary without retained sizes does not ask for the tree
	let asked: boolean | undefined;
	analyzeGraph(sample().g, {shallowSizesElsewhere: (_g, paths) => ((asked = paths !== null), null)}).summary({retained: false});
	assert.equal(asked, false);
});
