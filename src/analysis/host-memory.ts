/**
 * How much memory a local target can still take: the host's MemAvailable and the memory limit of the
 * target's cgroup (v1 or v2). The only file-reading module of src/analysis; every path hangs off
 * `root` ("/" in production, a fake tree in tests).
 */
import {readFile} from 'node:fs/promises';
import {join, posix} from 'node:path';

export interface CgroupMemory {
	version: 'v1' | 'v2';
	/** the target's cgroup path, as /proc/PID/cgroup gives it */
	path: string;
	/** the nearest ancestor (or itself) that has a limit; null when none has */
	limitedPath: string | null;
	/** bytes; null when unlimited */
	limit: number | null;
	/** usage of the limited cgroup minus its inactive page cache (reclaimable); null when unlimited */
	usage: number | null;
}

/** v1 reports "no limit" as a page-rounded LONG_MAX; anything this large is no limit at all. */
const UNLIMITED_V1 = 2 ** 60;

async function readText(path: string): Promise<string | null> {
	try {
		return await readFile(path, 'utf8');
	} catch {
		return null;
	}
}

/** Host MemAvailable in bytes, or null when /proc/meminfo is unreadable (not Linux). */
export async function readHostAvailable(root = '/'): Promise<number | null> {
	const text = await readText(join(root, 'proc/meminfo'));
	const match = text && /^MemAvailable:\s+(\d+)\s*kB/m.exec(text);
	return match ? Number(match[1]) * 1024 : null;
}

/** True when /proc/PID exists and its status is readable here (same host, permission). */
export async function canReadProc(pid: number | 'self', root = '/'): Promise<boolean> {
	return (await readText(join(root, 'proc', String(pid), 'status'))) !== null;
}

interface CgroupFiles {limit: string; usage: string; inactiveKey: string}
const V1: CgroupFiles = {limit: 'memory.limit_in_bytes', usage: 'memory.usage_in_bytes', inactiveKey: 'total_inactive_file'};
const V2: CgroupFiles = {limit: 'memory.max', usage: 'memory.current', inactiveKey: 'inactive_file'};

/**
 * The target's memory cgroup. A v1 `memory` controller line wins (hybrid hosts mount v2 without the
 * memory controller); else the v2 `0::` line. Walks up from the target's cgroup to the nearest one
 * with a limit, because a limit anywhere up the tree caps the target. Null when /proc/PID/cgroup is
 * unreadable or names no memory hierarchy.
 */
export async function readCgroupMemory(pid: number | 'self', root = '/'): Promise<CgroupMemory | null> {
	const text = await readText(join(root, 'proc', String(pid), 'cgroup'));
	if (!text) return null;
	const lines = text.split('\n').map(line => line.trim()).filter(Boolean).map(line => {
		const first = line.indexOf(':');
		const second = line.indexOf(':', first + 1);
		return {hierarchy: line.slice(0, first), controllers: line.slice(first + 1, second).split(','), path: line.slice(second + 1)};
	});
	const v1 = lines.find(l => l.controllers.includes('memory'));
	const v2 = lines.find(l => l.hierarchy === '0' && l.controllers.join('') === '');
	const chosen = v1 ? {version: 'v1' as const, path: v1.path, base: join(root, 'sys/fs/cgroup/memory'), files: V1}
		: v2 ? {version: 'v2' as const, path: v2.path, base: join(root, 'sys/fs/cgroup'), files: V2}
			: null;
	if (!chosen) return null;

	for (let dir = posix.normalize(chosen.path || '/'); ; dir = posix.dirname(dir)) {
		const limit = parseLimit(await readText(join(chosen.base, dir, chosen.files.limit)));
		if (limit !== null) {
			const usage = Number((await readText(join(chosen.base, dir, chosen.files.usage)))?.trim());
			const inactive = statValue(await readText(join(chosen.base, dir, 'memory.stat')), chosen.files.inactiveKey);
			return {
				version: chosen.version, path: chosen.path, limitedPath: dir, limit,
				usage: Number.isFinite(usage) ? Math.max(0, usage - inactive) : null,
			};
		}
		if (dir === '/') break;
	}
	return {version: chosen.version, path: chosen.path, limitedPath: null, limit: null, usage: null};
}

function parseLimit(text: string | null): number | null {
	if (text === null) return null;
	const value = text.trim();
	if (value === '' || value === 'max') return null;
	const n = Number(value);
	return Number.isFinite(n) && n > 0 && n < UNLIMITED_V1 ? n : null;
}

function statValue(text: string | null, key: string): number {
	const match = text && new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
	return match ? Number(match[1]) : 0;
}

/** A process's current and peak resident set (VmRSS, VmHWM) in bytes, or null when unreadable. */
export async function readProcessMemory(pid: number, root = '/'): Promise<{rss: number; peak: number} | null> {
	const text = await readText(join(root, 'proc', String(pid), 'status'));
	const kb = (key: string) => Number((text && new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, 'm').exec(text))?.[1] ?? NaN) * 1024;
	const rss = kb('VmRSS');
	const peak = kb('VmHWM');
	return Number.isFinite(rss) && Number.isFinite(peak) ? {rss, peak} : null;
}
