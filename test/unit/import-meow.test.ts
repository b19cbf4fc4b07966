import assert from 'node:assert/strict';
import {test} from 'node:test';
import {importMeow} from '../../src/import-meow.js';

test('importMeow gives meow and puts the real localeCompare back', async () => {
	const localeCompare = String.prototype.localeCompare;
	const meow = await importMeow();
	assert.equal(String.prototype.localeCompare, localeCompare);
	// a locale order, not a code-unit one: 'a' before 'B'
	assert.ok('a'.localeCompare('B') < 0);
	const cli = meow('usage', {importMeta: import.meta, argv: ['x', '--n', '3'], flags: {n: {type: 'number'}}});
	assert.deepEqual(cli.input, ['x']);
	assert.equal(cli.flags.n, 3);
});
