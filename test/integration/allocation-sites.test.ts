import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import CDP from 'chrome-remote-interface';
import {spawnTarget, TARGETS_DIR} from '../helpers/spawn-target.js';
import {buildAllocationSites, relativeUrl, sitesForClass} from '../../src/analysis/allocation-sites.js';
import type {SamplingProfile} from '../../src/target/target.js';

const FIXTURE = 'a-alloc-probe.js';

/** 1-based line of the first line of the fixture containing `text`. */
function lineOf(text: string): number {
	const lines = readFileSync(TARGETS_DIR + FIXTURE, 'utf8').split('\n');
	const index = lines.findIndex(line => line.includes(text));
	assert.ok(index >= 0, `${text} not in ${FIXTURE}`);
	return index + 1;
}

function hasFrame(node: SamplingProfile['head'], name: string): boolean {
	return node.callFrame.functionName === name || node.children.some(child => hasFrame(child, name));
}

test('real target: allocation sites name the function that creates HeaptopAllocProbe', {timeout: 60_000}, async t => {
	const target = await spawnTarget(t, FIXTURE);
	const client = await CDP({target: target.webSocketUrl!, local: true});
	t.after(() => client.close());
	const evaluate = async (expression: string) => (await client.Runtime.evaluate({expression, returnByValue: true})).result.value as unknown;
	await client.HeapProfiler.startSampling({samplingInterval: 512});
	assert.equal(await evaluate('heaptopStartAllocProbes()'), 'started');

	// a few profiles as the instances pile up, with the instance count at each (no fixed sleeps:
	// poll until each step has allocated more)
	const profiles: SamplingProfile[] = [];
	const counts: number[] = [];
	const deadline = Date.now() + 30_000;
	for (const atLeast of [3000, 6000, 9000, 12_000]) {
		while (Date.now() < deadline && (await evaluate('heaptopAllocProbes.length') as number) < atLeast) {
			await new Promise(resolve => setTimeout(resolve, 100));
		}
		profiles.push((await client.HeapProfiler.getSamplingProfile()).profile as unknown as SamplingProfile);
		counts.push(await evaluate('heaptopAllocProbes.length') as number);
	}
	await client.HeapProfiler.stopSampling();
	const profile = profiles[profiles.length - 1]!;
	assert.ok(hasFrame(profile.head, 'HeaptopAllocProbe'), 'the constructor was sampled before V8 could inline it');

	const creatorLine = lineOf('function makeAllocProbes(');
	const [top] = sitesForClass('HeaptopAllocProbe', profile, {previousProfile: profiles[0]});
	assert.ok(top, 'no site for HeaptopAllocProbe');
	assert.equal(top.function, 'makeAllocProbes');
	assert.equal(top.line, creatorLine);
	assert.equal(relativeUrl(top.url, TARGETS_DIR), FIXTURE);
	assert.ok(top.liveBytes > 0);
	assert.ok(top.stack.length >= 1, 'its caller is on the stack');

	// overall, the creating function is also the biggest allocator of live bytes in user code
	const sites = buildAllocationSites(profile, {previous: profiles[0]});
	assert.equal(sites[0]!.function, 'makeAllocProbes');
	assert.equal(sites[0]!.line, creatorLine);
	assert.ok(sites[0]!.growthBytes !== null && sites[0]!.growthBytes > 0);
	assert.ok(sites.every(s => !s.url.startsWith('node:')));

	// the fallback for a class whose constructor never shows as a frame (inlined): the site whose
	// live bytes rise in step with the class count across profiles
	const [correlated] = sitesForClass('ClassWithInlinedConstructor', profile, {history: {profiles: profiles.slice(0, -1), classCounts: counts}});
	assert.ok(correlated, 'no correlated site');
	assert.equal(correlated.function, 'makeAllocProbes');
	assert.equal(correlated.line, creatorLine);
});
