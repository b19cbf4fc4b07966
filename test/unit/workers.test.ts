import {test} from 'node:test';
import assert from 'node:assert/strict';
import {listWorkers, matchWorker} from '../../src/target/workers.js';
import {describeWorker, workerName} from '../../src/target/worker-tunnel.js';

const worker = (workerId: string, name: string) => ({sessionId: `s${workerId}`, workerId, title: name ? `[worker ${workerId}] ${name}` : `[worker ${workerId}]`, url: 'file:///app/w.js'});
const W = [worker('1', 'resize-pool'), worker('2', 'resize'), worker('3', 'mailer'), worker('12', '')];
const ids = (m: ReturnType<typeof matchWorker>) => (m.kind === 'one' ? [m.worker.workerId] : m.kind === 'several' ? m.matches.map(w => w.workerId) : []);

test('--worker: digits are ids, exactly', () => {
	assert.deepEqual(ids(matchWorker(W, '1')), ['1']);
	assert.deepEqual(ids(matchWorker(W, '12')), ['12']);
	assert.equal(matchWorker(W, '4').kind, 'none');
});

test('--worker: a name matches exactly first, else a part of one title only', () => {
	assert.deepEqual(ids(matchWorker(W, 'resize')), ['2'], 'the exact name wins over a longer name containing it');
	assert.deepEqual(ids(matchWorker(W, 'mail')), ['3']);
	assert.deepEqual(ids(matchWorker(W, 'pool')), ['1']);
	const several = matchWorker(W, 'res');
	assert.equal(several.kind, 'several');
	assert.deepEqual(ids(several), ['1', '2']);
	assert.equal(matchWorker(W, 'nothing').kind, 'none');
	assert.equal(matchWorker([], 'mailer').kind, 'none');
});

test('workers are described by id and name, listed briefly', () => {
	assert.equal(describeWorker(W[0]!), '1 (resize-pool)');
	assert.equal(describeWorker(W[3]!), '12');
	assert.equal(workerName(W[3]!), '');
	// a worker's own worker: the inspector's id and the thread number differ, so the whole title
	assert.equal(describeWorker({workerId: '1', title: '[worker 2] depth-2'}), '1 ([worker 2] depth-2)');
	assert.equal(listWorkers(W), '1 (resize-pool), 2 (resize), 3 (mailer), 12');
	assert.equal(listWorkers(W, 2), '1 (resize-pool), 2 (resize), … and 2 more');
});
