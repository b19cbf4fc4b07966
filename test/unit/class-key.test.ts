import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';
import {graphFromJson} from '../helpers/reference-loader.js';
import {computeClassKeys, classNameOf} from '../../src/snapshot/class-key.js';

test('class names follow DevTools: fixed names per node type, constructor names for objects and natives', () => {
	const b = new SnapshotBuilder();
	const nodes = {
		hidden: b.node('hidden', 'system / Oddball'),
		array: b.node('array', '(object elements)'),
		string: b.node('string', 'a secret value'),
		cons: b.node('concatenated string', '(concatenated string)'),
		sliced: b.node('sliced string', '(sliced string)'),
		code: b.node('code', 'someFunction'),
		closure: b.node('closure', 'onData'),
		regexp: b.node('regexp', '/ab+c/'),
		number: b.node('number', 'heap number'),
		symbol: b.node('symbol', 'Symbol(x)'),
		bigint: b.node('bigint', 'bigint'),
		shape: b.node('object shape', 'system / Map'),
		object: b.node('object', 'Session'),
		native: b.node('native', 'Node / BindingData'),
		tag: b.node('native', '<div id="main">'),
	};
	const g = graphFromJson(b.toJson());
	const keys = computeClassKeys(g);
	const name = (n: number) => classNameOf(keys, n);
	assert.equal(name(nodes.hidden), '(system)');
	assert.equal(name(nodes.array), '(array)');
	assert.equal(name(nodes.string), '(string)');
	assert.equal(name(nodes.cons), '(concatenated string)');
	assert.equal(name(nodes.sliced), '(sliced string)');
	assert.equal(name(nodes.code), '(compiled code)');
	assert.equal(name(nodes.closure), 'Function');
	assert.equal(name(nodes.regexp), 'RegExp');
	assert.equal(name(nodes.number), '(number)');
	assert.equal(name(nodes.symbol), '(symbol)');
	assert.equal(name(nodes.bigint), '(bigint)');
	assert.equal(name(nodes.shape), '(object shape)');
	assert.equal(name(nodes.object), 'Session');
	assert.equal(name(nodes.native), 'Node / BindingData');
	assert.equal(name(nodes.tag), '<div>');
	assert.equal(name(b.root), '(synthetic)');
	assert.ok(!keys.classNames.includes('a secret value'), 'string values never become class names');
});

test('same-named constructors at different source locations get different keys but one class name', () => {
	const b = new SnapshotBuilder();
	const a1 = b.node('object', 'Foo');
	const a2 = b.node('object', 'Foo');
	const other = b.node('object', 'Foo');
	const plain = b.node('object', 'Foo');
	b.location(a1, 5, 10, 2).location(a2, 5, 10, 2).location(other, 9, 1, 1);
	const keys = computeClassKeys(graphFromJson(b.toJson()));
	assert.equal(keys.nodeKey[a1], keys.nodeKey[a2]);
	assert.notEqual(keys.nodeKey[a1], keys.nodeKey[other]);
	assert.notEqual(keys.nodeKey[a1], keys.nodeKey[plain]);
	for (const n of [a1, a2, other, plain]) assert.equal(classNameOf(keys, n), 'Foo');
});

test('plain objects take the most specific popular shape name ({a, b}); rare shapes stay Object', () => {
	const b = new SnapshotBuilder();
	const proto = b.node('object', 'Object');
	const make = (props: string[]) => {
		const o = b.node('object', 'Object');
		b.edge(o, proto, 'property', '__proto__');
		for (const p of props) b.edge(o, b.node('number', 'heap number'), 'property', p);
		return o;
	};
	const ab1 = make(['id', 'user']);
	const ab2 = make(['id', 'user']);
	const abc1 = make(['id', 'user', 'ts']);
	make(['id', 'user', 'ts']);
	const abc2 = make(['ts', 'user', 'id']); // same set in another order: matches the popular name
	const superset = make(['id', 'user', 'extra']); // no {id, user, extra} interface: falls back to {id, user}
	const lonely = make(['only']);
	const empty = make([]);
	const keys = computeClassKeys(graphFromJson(b.toJson()));
	const name = (n: number) => classNameOf(keys, n);
	assert.equal(name(ab1), '{id, user}');
	assert.equal(name(ab2), '{id, user}');
	assert.equal(name(abc1), '{id, user, ts}');
	assert.equal(name(abc2), '{id, user, ts}');
	assert.equal(name(superset), '{id, user}');
	assert.equal(name(lonely), 'Object');
	assert.equal(name(empty), 'Object');
	assert.equal(name(proto), 'Object');

	const off = computeClassKeys(graphFromJson(b.toJson()), {interfaceNames: false});
	assert.equal(classNameOf(off, ab1), 'Object');
});
