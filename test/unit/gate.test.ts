import {test, after} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {decideSnapshot, estimateSnapshotCost, EXTRA_BYTES_PER_NODE, type GateInput} from '../../src/analysis/gate.js';
import {canReadProc, readCgroupMemory, readHostAvailable} from '../../src/analysis/host-memory.js';
import type {HeapLimits} from '../../src/model/types.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;
const roots: string[] = [];
after(() => { for (const r of roots) rmSync(r, {recursive: true, force: true}); });

/** A fake filesystem root holding only the given files. */
function fakeRoot(files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), 'heaptop-gate-'));
	roots.push(root);
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), {recursive: true});
		writeFileSync(join(root, path), text);
	}
	return root;
}
const meminfo = (availableBytes: number) => `MemTotal:       24000000 kB\nMemFree:         1000000 kB\nMemAvailable:   ${Math.round(availableBytes / 1024)} kB\n`;
const limits: HeapLimits = {heapSizeLimit: 4 * GB, totalAvailableSize: 3 * GB, usedHeapSize: 200 * MB, totalHeapSize: 250 * MB};
const base = (over: Partial<GateInput>): GateInput => ({
	limits, heapUsed: 200 * MB, rss: 400 * MB, pid: 123, local: true, lastObjectCount: 100_000, lastPauseMs: null, ...over,
});

const v2Tree = {
	'proc/meminfo': meminfo(8 * GB),
	'proc/123/status': 'Name:\tnode\n',
	'proc/123/cgroup': '0::/app.slice/app.service\n',
	// the service itself is unlimited; its slice has 1 GiB, 900 MiB used of which 100 MiB is inactive page cache
	'sys/fs/cgroup/app.slice/app.service/memory.max': 'max\n',
	'sys/fs/cgroup/app.slice/app.service/memory.current': `${300 * MB}\n`,
	'sys/fs/cgroup/app.slice/memory.max': `${1 * GB}\n`,
	'sys/fs/cgroup/app.slice/memory.current': `${900 * MB}\n`,
	'sys/fs/cgroup/app.slice/memory.stat': `anon 1000\ninactive_file ${100 * MB}\nactive_file 0\n`,
};

test('cgroup v2: walks up to the nearest limited ancestor and subtracts reclaimable page cache', async () => {
	const root = fakeRoot(v2Tree);
	assert.deepEqual(await readCgroupMemory(123, root), {
		version: 'v2', path: '/app.slice/app.service', limitedPath: '/app.slice', limit: 1 * GB, usage: 800 * MB,
	});
	// 100 k objects ≈ 52 MB × 1.5 < 224 MB free in the cgroup: allowed
	const small = await decideSnapshot(base({root}));
	assert.equal(small.allow, true, small.reason);
	assert.equal(small.headroomBytes, 224 * MB);
	// 1 M objects ≈ 1.5 GB: refused, and the reason names the cgroup
	const big = await decideSnapshot(base({root, lastObjectCount: 1_000_000}));
	assert.equal(big.allow, false);
	assert.match(big.reason, /not enough free memory .* 224 MB is free in its cgroup \(limit 1\.0 GB, 800 MB used\)/);
	assert.match(big.reason, /≈ 1\.4 GB extra memory and a 4\.5 s pause \(estimated from 1\.0 M objects\)/);
});

test('cgroup v1: the memory controller line, "unlimited" as LONG_MAX, limit on the parent', async () => {
	const root = fakeRoot({
		'proc/meminfo': meminfo(8 * GB),
		'proc/123/status': 'Name:\tnode\n',
		'proc/123/cgroup': '9:name=systemd:/docker/abc\n5:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n0::/\n',
		'sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes': '9223372036854771712\n',
		'sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes': `${500 * MB}\n`,
		'sys/fs/cgroup/memory/docker/memory.limit_in_bytes': `${512 * MB}\n`,
		'sys/fs/cgroup/memory/docker/memory.usage_in_bytes': `${500 * MB}\n`,
		'sys/fs/cgroup/memory/docker/memory.stat': `cache 0\ninactive_file 4096\ntotal_inactive_file ${2 * MB}\n`,
	});
	const cg = await readCgroupMemory(123, root);
	assert.deepEqual(cg, {version: 'v1', path: '/docker/abc', limitedPath: '/docker', limit: 512 * MB, usage: 498 * MB});
	const decision = await decideSnapshot(base({root}));
	assert.equal(decision.allow, false);
	assert.equal(decision.headroomBytes, 14 * MB);
	assert.match(decision.reason, /in its cgroup \(limit 512 MB/);
});

test('no limit anywhere: the host\'s MemAvailable decides', async () => {
	const unlimited = fakeRoot({...v2Tree, 'sys/fs/cgroup/app.slice/memory.max': 'max\n'});
	assert.equal((await readCgroupMemory(123, unlimited))?.limit, null);
	const ok = await decideSnapshot(base({root: unlimited}));
	assert.equal(ok.allow, true);
	assert.equal(ok.headroomBytes, 8 * GB);
	assert.match(ok.reason, /8\.0 GB free on this host/);

	const noCgroup = fakeRoot({'proc/meminfo': meminfo(100 * MB), 'proc/123/status': 'Name:\tnode\n'});
	assert.equal(await readCgroupMemory(123, noCgroup), null);
	const tight = await decideSnapshot(base({root: noCgroup, lastObjectCount: 1_000_000}));
	assert.equal(tight.allow, false);
	assert.match(tight.reason, /only 100 MB is free on this host/);
	assert.match(tight.reason, /RSS would peak near 1\.8 GB/);
});

test('the lower of host and cgroup headroom binds', async () => {
	const root = fakeRoot({...v2Tree, 'proc/meminfo': meminfo(50 * MB)});
	const d = await decideSnapshot(base({root}));
	assert.equal(d.headroomBytes, 50 * MB);
	assert.equal(d.allow, false);
});

test('a remote target (or an unreadable /proc/PID) is allowed only small snapshots, with advice otherwise', async () => {
	const root = fakeRoot(v2Tree);
	const smallRemote = await decideSnapshot(base({root, local: false, lastObjectCount: 20_000}));
	assert.equal(smallRemote.allow, true);
	assert.equal(smallRemote.headroomBytes, null);
	const bigRemote = await decideSnapshot(base({root, local: false, lastObjectCount: 2_000_000}));
	assert.equal(bigRemote.allow, false);
	assert.match(bigRemote.reason, /not local, so its free memory is unknown.*force it only if the target has that much memory to spare/);
	// "local" but another pid namespace / no such process here: treated as blind too
	const unreadable = await decideSnapshot(base({root, pid: 999, lastObjectCount: 2_000_000}));
	assert.equal(unreadable.allow, false);
	assert.match(unreadable.reason, /unknown/);
});

test('force overrides every refusal but still reports the estimate', async () => {
	const root = fakeRoot(v2Tree);
	const forced = await decideSnapshot(base({root, local: false, lastObjectCount: 5_000_000, force: true}));
	assert.equal(forced.allow, true);
	assert.match(forced.reason, /^forced: ≈ 7\.0 GB extra memory/);
});

test('a heap near its V8 limit is refused: the snapshot itself could cause the OOM', async () => {
	const root = fakeRoot(v2Tree);
	const d = await decideSnapshot(base({root, heapUsed: 3.8 * GB, lastObjectCount: 1000}));
	assert.equal(d.allow, false);
	assert.match(d.reason, /heap is at 95% of its 4\.0 GB V8 limit/);
});

test('estimates: measured figures scale with the heap; without a count, a rough guess from bytes says so', () => {
	const measured = estimateSnapshotCost(base({lastObjectCount: 400_000, lastPauseMs: 1500, lastExtraBytes: 200 * MB, lastHeapUsed: 100 * MB, heapUsed: 200 * MB}));
	assert.deepEqual(measured, {nodes: 800_000, extraBytes: 400 * MB, pauseMs: 3000, basis: 'last-snapshot', rough: false});
	// a heap that shrank does not shrink the estimate
	assert.equal(estimateSnapshotCost(base({lastObjectCount: 400_000, lastHeapUsed: 100 * MB, heapUsed: 50 * MB})).nodes, 400_000);
	const rough = estimateSnapshotCost(base({lastObjectCount: null, heapUsed: 80 * MB}));
	assert.equal(rough.nodes, 2_097_152);
	assert.equal(rough.extraBytes, 2_097_152 * EXTRA_BYTES_PER_NODE);
	assert.ok(Math.abs(rough.pauseMs - 2_097_152 * 0.0045) < 1e-6);
	assert.equal(rough.rough, true);
});

test('the rough estimate is labelled rough in the reason', async () => {
	const root = fakeRoot(v2Tree);
	const d = await decideSnapshot(base({root, lastObjectCount: null, heapUsed: 20 * MB}));
	assert.match(d.reason, /rough estimate from a 20\.0 MB heap at ~40 B per object/);
});

test('real /proc: this machine\'s own process is readable', async () => {
	if (!existsSync('/proc/self/status')) return; // not Linux: nothing to read
	assert.equal(await canReadProc(process.pid), true);
	const available = await readHostAvailable();
	assert.ok(available !== null && available > 0, `MemAvailable ${available}`);
	const cg = await readCgroupMemory(process.pid);
	if (existsSync('/proc/self/cgroup')) {
		assert.ok(cg !== null && (cg.version === 'v1' || cg.version === 'v2'));
		if (cg.limit !== null) assert.ok(cg.limit > 0 && cg.usage !== null && cg.usage >= 0);
	}
	const d = await decideSnapshot({limits: null, heapUsed: 10 * MB, rss: 50 * MB, pid: process.pid, local: true, lastObjectCount: 1000, lastPauseMs: null});
	assert.ok(d.headroomBytes !== null && d.headroomBytes > 0);
	assert.equal(d.allow, true, d.reason);
});
