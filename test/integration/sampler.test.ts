import {test} from 'node:test';
import assert from 'node:assert/strict';
import {attach} from '../../src/target/attach.js';
import {startSampler, type SamplerEvent} from '../../src/sampling/sampler.js';
import {MetricsSeries} from '../../src/sampling/series.js';
import type {InspectorTarget, RawMetrics} from '../../src/target/target.js';
import {eventually, spawnTarget} from '../helpers/spawn-target.js';

const MB = 1024 * 1024;

/** The real target, with its reads counted (and checked never to overlap). */
function counting(target: InspectorTarget) {
	const stats = {reads: 0, inFlight: 0, maxInFlight: 0};
	const wrapped = {
		async readMetrics(timeoutMs: number): Promise<RawMetrics> {
			stats.reads++;
			stats.inFlight++;
			stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
			try {
				return await target.readMetrics(timeoutMs);
			} finally {
				stats.inFlight--;
			}
		},
	};
	return {wrapped, stats};
}

test('samples arrive with plausible values and GC counts since attach', async t => {
	const app = await spawnTarget(t, 't-alloc.js');
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	const {wrapped, stats} = counting(target);
	const events: SamplerEvent[] = [];
	const series = new MetricsSeries(100);
	const abort = new AbortController();
	const sampler = startSampler(wrapped, {
		intervalMs: 100,
		signal: abort.signal,
		onEvent: e => {
			events.push(e);
			if (e.kind === 'sample') series.push(e.sample);
			else series.pushGap(e.t);
		},
	});
	const samples = () => events.flatMap(e => (e.kind === 'sample' ? [e.sample] : []));
	assert.ok(await eventually(() => samples().length >= 6 && samples().at(-1)!.gcMinor > 0, 8000), `samples: ${JSON.stringify(samples().at(-1))}`);
	abort.abort();
	assert.equal(await sampler.done, 'aborted');
	const after = events.length;
	await new Promise(resolve => setTimeout(resolve, 250));
	assert.equal(events.length, after, 'nothing after abort');

	const all = samples();
	assert.equal(all[0]!.gcCount, 0, 'GC figures count from attach');
	for (const s of all) {
		assert.ok(s.heapUsed > MB, `heapUsed ${s.heapUsed}`);
		assert.ok(s.rss !== null && s.rss >= s.heapTotal, `rss ${s.rss} ≥ heapTotal ${s.heapTotal}`);
		assert.equal(s.gcCount, s.gcMinor + s.gcMajor);
	}
	for (let i = 1; i < all.length; i++) {
		assert.ok(all[i]!.t > all[i - 1]!.t, 't increases');
		assert.ok(all[i]!.gcCount >= all[i - 1]!.gcCount, 'cumulative');
	}
	assert.equal(stats.maxInFlight, 1, 'reads never overlap');
	assert.equal(series.length, events.length);
	assert.deepEqual([...series.toArray('t')], events.map(e => (e.kind === 'sample' ? e.sample.t : e.t)));
});

test('a blocked target yields timeout gaps, then samples again', async t => {
	const app = await spawnTarget(t, 't-busy.js');
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	const {wrapped, stats} = counting(target);
	const events: SamplerEvent[] = [];
	const abort = new AbortController();
	t.after(() => abort.abort());
	const sampler = startSampler(wrapped, {intervalMs: 200, signal: abort.signal, onEvent: e => events.push(e)});
	assert.ok(await eventually(() => events.some(e => e.kind === 'sample'), 3000));
	app.child.kill('SIGUSR2'); // blocks the app's main thread for 2 s
	assert.ok(await eventually(() => events.some(e => e.kind === 'gap' && e.reason === 'timeout'), 4000), 'a gap while blocked');
	await app.waitForLine(/^unblocked$/);
	const firstGap = events.findIndex(e => e.kind === 'gap');
	assert.ok(await eventually(() => events.slice(firstGap).some(e => e.kind === 'sample'), 3000), 'recovers');
	assert.equal(stats.maxInFlight, 1);
	abort.abort();
	assert.equal(await sampler.done, 'aborted');
});

test('pause() marks expected gaps without reading; resume() reads again', async t => {
	const app = await spawnTarget(t, 't-idle.js');
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	const {wrapped, stats} = counting(target);
	const events: SamplerEvent[] = [];
	const abort = new AbortController();
	t.after(() => abort.abort());
	const sampler = startSampler(wrapped, {intervalMs: 50, signal: abort.signal, onEvent: e => events.push(e)});
	assert.ok(await eventually(() => events.length >= 2));
	sampler.pause('snapshot');
	assert.equal(sampler.paused, true);
	await new Promise(resolve => setTimeout(resolve, 120)); // a read in flight at pause() may still land
	const readsWhilePaused = stats.reads;
	const mark = events.length;
	assert.ok(await eventually(() => events.length >= mark + 3));
	assert.equal(stats.reads, readsWhilePaused, 'no reads while paused');
	assert.ok(events.slice(mark).every(e => e.kind === 'gap' && e.reason === 'paused' && e.detail === 'snapshot'));
	sampler.resume();
	const resumed = events.length;
	assert.ok(await eventually(() => events.slice(resumed).some(e => e.kind === 'sample')));
	assert.ok(stats.reads > readsWhilePaused);
	abort.abort();
	await sampler.done;
});

test('the loop ends by itself when the target exits', async t => {
	const app = await spawnTarget(t, 't-exit-soon.js', {args: ['400']});
	const target = await attach({kind: 'address', host: '127.0.0.1', port: app.port!});
	t.after(() => target.close());
	const abort = new AbortController();
	t.after(() => abort.abort());
	const events: SamplerEvent[] = [];
	const sampler = startSampler(target, {intervalMs: 50, signal: abort.signal, onEvent: e => events.push(e)});
	assert.equal(await sampler.done, 'target-closed');
	assert.ok(events.some(e => e.kind === 'sample'));
	assert.deepEqual(await app.exited, {code: 0, signal: null});
});
