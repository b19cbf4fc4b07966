import assert from 'node:assert/strict';
import {test} from 'node:test';
import {BackwardPrefault} from '../../src/snapshot/prefault.js';

const shared = <T extends Uint8Array | Uint32Array>(Type: new (buffer: SharedArrayBuffer) => T, bytes: number): T => new Type(new SharedArrayBuffer(bytes));

test('walks from the end down to the floor, page by page, and then reports nothing left', () => {
	const count = 100_000;
	const wide = shared(Uint32Array, count * 4);
	const narrow = shared(Uint8Array, count);
	const prefault = new BackwardPrefault([wide, narrow], count);
	assert.equal(prefault.touchedFrom, count);
	assert.equal(prefault.run(60_000, Infinity), false, 'reached the floor');
	assert.ok(prefault.touchedFrom <= 60_000 && prefault.touchedFrom > 60_000 - 1024, `stopped within a page of the floor (${prefault.touchedFrom})`);
	assert.equal(prefault.run(0, Infinity), false);
	assert.equal(prefault.touchedFrom, 0);
	assert.equal(prefault.run(0, Infinity), false, 'nothing left');
});

test('never changes what the filler wrote, before or while it runs', () => {
	const count = 50_000;
	const wide = shared(Uint32Array, count * 4);
	const narrow = shared(Uint8Array, count);
	for (let i = 0; i < count; i++) {
		wide[i] = (i * 2654435761) >>> 0;
		narrow[i] = i & 255;
	}
	new BackwardPrefault([wide, narrow], count).run(0, Infinity);
	for (let i = 0; i < count; i++) {
		assert.equal(wide[i], (i * 2654435761) >>> 0);
		assert.equal(narrow[i], i & 255);
	}
});

test('stops at the deadline and goes on from there', () => {
	const count = 1 << 22;
	const prefault = new BackwardPrefault([shared(Uint32Array, count * 4)], count);
	assert.equal(prefault.run(0, 0), true, 'a past deadline: stopped early, work left');
	const after = prefault.touchedFrom;
	assert.ok(after < count && after > 0, `some pages touched (${after})`);
	assert.equal(prefault.run(0, Infinity), false);
	assert.equal(prefault.touchedFrom, 0);
});
