import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {Key} from 'ink';
import {KEYMAP, helpRows, keyName, keymapMarkdownTable, resolveKey} from '../../src/ui/keymap.js';
import type {ScreenName} from '../../src/session/state.js';

const SCREENS: ScreenName[] = ['overview', 'growth', 'retainers', 'allocations', 'help'];

function key(overrides: Partial<Key> = {}): Key {
	return {
		upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
		home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
		backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
		...overrides,
	};
}

test('keys resolve to commands, scoped by screen', () => {
	assert.equal(resolveKey('q', key(), 'overview'), 'quit');
	assert.equal(resolveKey('c', key({ctrl: true}), 'retainers'), 'quit');
	assert.equal(resolveKey('q', key(), 'help'), 'quit');
	assert.equal(resolveKey('?', key(), 'growth'), 'help');
	assert.equal(resolveKey('', key({escape: true, meta: true}), 'retainers'), 'back');
	assert.equal(resolveKey('s', key(), 'overview'), 'snapshot');
	assert.equal(resolveKey('s', key(), 'help'), null);
	assert.equal(resolveKey('f', key(), 'growth'), 'freeze');
	assert.equal(resolveKey('p', key(), 'growth'), 'freeze');
	assert.equal(resolveKey('', key({tab: true}), 'overview'), 'cycleScreen');
	assert.equal(resolveKey('2', key(), 'overview'), 'showGrowth');
	assert.equal(resolveKey('a', key(), 'growth'), 'showAllocations');
	assert.equal(resolveKey('j', key(), 'growth'), 'down');
	assert.equal(resolveKey('', key({upArrow: true}), 'allocations'), 'up');
	assert.equal(resolveKey('', key({pageDown: true}), 'growth'), 'pageDown');
	assert.equal(resolveKey('', key({end: true}), 'growth'), 'end');
	assert.equal(resolveKey('\r', key({return: true}), 'growth'), 'drillIn');
	assert.equal(resolveKey('\r', key({return: true}), 'retainers'), 'drillIn');
	// the same key means something else on another screen
	assert.equal(resolveKey('\r', key({return: true}), 'allocations'), 'expand');
	assert.equal(resolveKey('/', key(), 'growth'), 'filter');
	assert.equal(resolveKey('/', key(), 'allocations'), null);
	assert.equal(resolveKey('', key({rightArrow: true}), 'retainers'), 'nextPath');
	assert.equal(resolveKey('+', key(), 'overview'), 'zoomIn');
	assert.equal(resolveKey('x', key(), 'overview'), null);
	assert.equal(resolveKey('', key({meta: true}), 'overview'), null);
});

test('key names cover the special keys', () => {
	assert.equal(keyName('', key({tab: true, shift: true})), 'shift+tab');
	assert.equal(keyName('', key({backspace: true})), 'backspace');
	assert.equal(keyName('', key({pageUp: true})), 'pgup');
	assert.equal(keyName('ab', key()), null); // pasted text is not a key
});

test('no key is bound to two commands on the same screen', () => {
	for (const screen of SCREENS) {
		const seen = new Map<string, string>();
		for (const binding of KEYMAP) {
			if (binding.screens !== 'all' && !binding.screens.includes(screen)) continue;
			for (const k of binding.keys) {
				assert.equal(seen.get(k), undefined, `"${k}" is bound to ${seen.get(k)} and ${binding.command} on ${screen}`);
				seen.set(k, binding.command);
			}
		}
	}
});

test('every binding resolves back to its own command on each of its screens', () => {
	const special: Record<string, Partial<Key>> = {
		esc: {escape: true}, enter: {return: true}, tab: {tab: true}, up: {upArrow: true}, down: {downArrow: true},
		left: {leftArrow: true}, right: {rightArrow: true}, pgup: {pageUp: true}, pgdn: {pageDown: true}, home: {home: true}, end: {end: true},
	};
	for (const binding of KEYMAP) {
		for (const screen of binding.screens === 'all' ? SCREENS : binding.screens) {
			for (const k of binding.keys) {
				const [input, flags] = k.startsWith('ctrl+') ? [k.slice(5), {ctrl: true}] : special[k] ? ['', special[k]!] : [k, {}];
				assert.equal(resolveKey(input, key(flags), screen), binding.command, `${k} on ${screen}`);
			}
		}
	}
});

test('help rows are the keymap: all of it, or exactly the bindings of one screen', () => {
	assert.deepEqual(helpRows(), KEYMAP.map(b => ({keys: b.keys.join(' '), description: b.description})));
	const growth = helpRows('growth');
	const expected = KEYMAP.filter(b => b.screens === 'all' || b.screens.includes('growth'));
	assert.deepEqual(growth.map(r => r.description), expected.map(b => b.description));
	assert.ok(growth.some(r => r.keys === '/'));
	assert.ok(!helpRows('allocations').some(r => r.keys === '/'));
	assert.deepEqual(helpRows('help').map(r => r.description), KEYMAP.filter(b => b.screens === 'all').map(b => b.description));
});

test('the README table has one row per binding, every key in backticks', () => {
	const lines = keymapMarkdownTable().split('\n');
	assert.equal(lines[0], '| key | action | where |');
	assert.equal(lines.length, 2 + KEYMAP.length);
	for (const [i, binding] of KEYMAP.entries()) {
		const row = lines[i + 2]!;
		for (const k of binding.keys) assert.ok(row.includes(`\`${k}\``), row);
		assert.ok(row.includes(binding.description.replace(/\|/g, '\\|')), row);
	}
	assert.match(lines[2]!, /\| everywhere \|$/);
});
