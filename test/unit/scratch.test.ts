import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ScratchArrays, releasableBuffer, releaseBuffer} from '../../src/snapshot/scratch.js';

test('scratch arrays: a given-back array is handed out again (smallest that fits), not reallocated', () => {
	const scratch = new ScratchArrays();
	const big = scratch.take(100);
	const small = scratch.take(50);
	scratch.give(big, small);
	const again = scratch.take(40);
	assert.equal(again.buffer, small.buffer, 'the smaller buffer serves a request it fits');
	assert.equal(again.length, 40);
	assert.equal(scratch.take(80).buffer, big.buffer);
	assert.notEqual(scratch.take(10).buffer, big.buffer, 'nothing free: a new array');
});

test('a releasable buffer gives its memory back at once when released, and reads as empty after', () => {
	const buffer = releasableBuffer(1 << 20);
	const view = new Int32Array(buffer);
	view.fill(-7);
	assert.equal(view[view.length - 1], -7);
	releaseBuffer(buffer);
	// Node 20+ has resizable ArrayBuffers: the memory is gone (a plain buffer would keep its length).
	assert.equal(buffer.byteLength, 0);
	assert.equal(view.length, 0);
	releaseBuffer(new ArrayBuffer(8)); // a plain buffer: nothing to do, no error
});
