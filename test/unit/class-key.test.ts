import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SnapshotBuilder} from '../helpers/snapshot-builder.js';
import {graphFromJson} from '../helpers/reference-loader.js';
import {computeClassKeys, classNameOf} from '../../src/snapshot/class-key.js';
import {prng} from '../helpers/parser-fixtures.js';

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

test('object and native nodes share one class per name string, but only objects take shape names', () => {
	const b = new SnapshotBuilder();
	const make = (type: 'object' | 'native', props: string[]) => {
		const o = b.node(type, 'Object');
		for (const p of props) b.edge(o, b.node('number', 'heap number'), 'property', p);
		return o;
	};
	const plain1 = make('object', ['id', 'user']);
	const plain2 = make('object', ['id', 'user']);
	const nativeObject = make('native', ['id', 'user']); // same name string and properties, other type
	const tagObject = b.node('object', '<div id="a">');
	const tagNative = b.node('native', '<div id="a">');
	const keys = computeClassKeys(graphFromJson(b.toJson()));
	assert.equal(classNameOf(keys, plain1), '{id, user}');
	assert.equal(classNameOf(keys, plain2), '{id, user}');
	assert.equal(classNameOf(keys, nativeObject), 'Object', 'a native named Object is not a plain object');
	assert.equal(classNameOf(keys, tagObject), '<div>');
	assert.equal(keys.nodeKey[tagObject], keys.nodeKey[tagNative]);
});

test('located keys: one key per distinct (script, line, column, class), the last location of a node counts', () => {
	const random = prng(7);
	const pick = (n: number) => Math.floor(random() * n);
	const b = new SnapshotBuilder();
	const classes = ['Foo', 'Bar', 'Baz'];
	const expected = new Map<number, string>(); // node → its location key as text, the reference
	// Enough distinct locations to grow the key table several times, revisited in random order so
	// that most lookups are not the repeat-of-the-previous-entry shortcut.
	for (let i = 0; i < 3000; i++) {
		const name = classes[pick(3)]!;
		const node = b.node('object', name);
		const script = 1 + pick(4);
		const line = pick(400);
		const column = pick(3);
		b.location(node, script, line, column);
		expected.set(node, `${script},${line},${column},${name}`);
		if (pick(10) === 0) { // a second entry for the same node replaces the first
			const later = `${script + 10},${line},${column},${name}`;
			b.location(node, script + 10, line, column);
			expected.set(node, later);
		}
	}
	const closure = b.node('closure', 'f');
	b.location(closure, 1, 1, 1); // only objects are keyed by location
	const g = graphFromJson(b.toJson());
	const keys = computeClassKeys(g);
	const keyOfText = new Map<string, number>();
	const textOfKey = new Map<number, string>();
	for (const [node, text] of expected) {
		const key = keys.nodeKey[node]!;
		assert.ok(key >= keys.classNames.length && key < keys.keyCount, 'located objects have located keys');
		assert.equal(keyOfText.get(text) ?? key, key, `one key for ${text}`);
		assert.equal(textOfKey.get(key) ?? text, text, `key ${key} means one location`);
		keyOfText.set(text, key);
		textOfKey.set(key, text);
		assert.equal(classNameOf(keys, node), g.strings.at(g.nodeName[node]!));
	}
	assert.equal(keys.keyCount, keys.classNames.length + keyOfText.size, 'no unused keys');
	assert.equal(classNameOf(keys, closure), 'Function');
	assert.ok(keys.nodeKey[closure]! < keys.classNames.length);
});

test('a shape proposed by objects with different property-edge lists counts all of them', () => {
	const b = new SnapshotBuilder();
	const proto = b.node('object', 'Object');
	const withProto = b.node('object', 'Object');
	b.edge(withProto, proto, 'property', '__proto__');
	const withoutProto = b.node('object', 'Object');
	for (const o of [withProto, withoutProto]) {
		for (const p of ['id', 'user']) b.edge(o, b.node('string', 'x'), 'property', p);
	}
	// Two edge lists ({__proto__, id, user} and {id, user}), one proposed name: 2 objects reach the
	// minimum of two, so both are named; counting per list would leave both as Object.
	const keys = computeClassKeys(graphFromJson(b.toJson()));
	assert.equal(classNameOf(keys, withProto), '{id, user}');
	assert.equal(classNameOf(keys, withoutProto), '{id, user}');
});

test('the key column is 16 bits while every key fits, and widens to 32 bits, same keys, wherever the first wide key comes', () => {
	const random = prng(11);
	const pick = (n: number) => Math.floor(random() * n);
	const b = new SnapshotBuilder();
	const proto = b.node('object', 'Object');
	for (let i = 0; i < 400; i++) {
		const kind = pick(4);
		if (kind === 0) b.node('object', `Class${pick(40)}`);
		else if (kind === 1) b.location(b.node('object', `Located${pick(5)}`), 1 + pick(3), pick(30), 0);
		else if (kind === 2) {
			// plain objects of a few popular shapes, so that shape names (classes made after the node pass) exist
			const o = b.node('object', 'Object');
			b.edge(o, proto, 'property', '__proto__');
			for (const p of [['id', 'user'], ['id', 'ts'], ['a', 'b', 'c']][pick(3)]!) b.edge(o, b.node('number', 'heap number'), 'property', p);
		} else b.node(['closure', 'array', 'string', 'hidden'][pick(4)] as 'closure', 'x');
	}
	const g = graphFromJson(b.toJson());
	const reference = computeClassKeys(g);
	assert.ok(reference.nodeKey instanceof Uint16Array, 'a few hundred keys: 2 bytes a node');
	const classCount = reference.classNames.length;
	assert.ok(reference.keyCount > classCount + 10 && classCount > 50, 'the graph has node-pass, shape and located keys');
	// The first key past the limit comes in the node pass (small limits), with the shape names, or
	// among the located keys (limits from classCount up).
	for (const limit of [0, 3, 20, classCount - 3, classCount - 1, classCount + 2, reference.keyCount - 2, reference.keyCount - 1]) {
		const keys = computeClassKeys(g, {narrowKeyLimit: limit});
		assert.deepEqual(Array.from(keys.nodeKey), Array.from(reference.nodeKey), `limit ${limit}: the same key per node`);
		assert.deepEqual(keys.classNames, reference.classNames);
		assert.deepEqual(Array.from(keys.keyClass), Array.from(reference.keyClass));
		assert.equal(keys.nodeKey instanceof Uint32Array, limit < reference.keyCount - 1, `limit ${limit}: widened exactly when a key is past it`);
	}
});

test('more than 65,535 classes: every node still names its own class (the column widened, nothing truncated)', () => {
	const b = new SnapshotBuilder();
	const nodes: number[] = [];
	for (let i = 0; i < 70_000; i++) nodes.push(b.node('object', `C${i}`));
	const located = b.node('object', 'C69999');
	b.location(located, 1, 2, 3);
	const g = graphFromJson(b.toJson());
	const keys = computeClassKeys(g);
	assert.ok(keys.nodeKey instanceof Uint32Array);
	for (const n of [nodes[0]!, nodes[65_534]!, nodes[65_535]!, nodes[65_536]!, nodes[69_999]!, located]) assert.equal(classNameOf(keys, n), g.strings.at(g.nodeName[n]!));
	assert.ok(keys.nodeKey[located]! >= keys.classNames.length, 'the located object has a located key');
});
