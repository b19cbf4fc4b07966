/**
 * Maps allocation sites in compiled JavaScript back to the sources the user wrote (TypeScript,
 * bundles), using the source maps the target's scripts point to on disk: `//# sourceMappingURL=` as
 * a file next to the script or inline as a data: URL. Only for a target on this host, where its
 * script paths are this machine's paths. A site without a readable map is returned unchanged.
 */
import {readFileSync, statSync} from 'node:fs';
import {SourceMap} from 'node:module';
import {dirname, isAbsolute, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {AllocationFrame, AllocationSite} from '../model/types.js';

/** Scripts or maps larger than this are not read (a map is loaded whole). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAPPING_URL = /\/[/*][#@]\s*sourceMappingURL=(\S+?)\s*(?:\*\/)?\s*$/;

export class SourceMapResolver {
	/** per script path: its map and the folder its sources are relative to, or null when it has none */
	private readonly maps = new Map<string, {map: SourceMap; base: string} | null>();

	mapSite(site: AllocationSite): AllocationSite {
		return {...site, ...this.mapFrame(site), stack: site.stack.map(frame => this.mapFrame(frame))};
	}

	mapFrame<T extends AllocationFrame>(frame: T): T {
		const path = scriptPath(frame.url);
		if (!path) return frame;
		const loaded = this.load(path);
		if (!loaded) return frame;
		// the profile's lines and columns are 1-based here; SourceMap wants 0-based
		const entry = loaded.map.findEntry(frame.line - 1, frame.column - 1) as {originalSource?: string; originalLine?: number; originalColumn?: number};
		if (!entry.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) return frame;
		const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(loaded.base, entry.originalSource);
		return {...frame, url: source, line: entry.originalLine + 1, column: entry.originalColumn + 1};
	}

	private load(path: string): {map: SourceMap; base: string} | null {
		if (this.maps.has(path)) return this.maps.get(path)!;
		let loaded: {map: SourceMap; base: string} | null = null;
		try {
			const script = readSmall(path);
			const url = script ? MAPPING_URL.exec(script.slice(-4096))?.[1] : undefined;
			if (url) loaded = parseMap(url, path);
		} catch {
			loaded = null; // no map, an unreadable one, or a malformed one: show the compiled location
		}
		this.maps.set(path, loaded);
		return loaded;
	}
}

function parseMap(url: string, scriptFile: string): {map: SourceMap; base: string} | null {
	if (url.startsWith('data:')) {
		const comma = url.indexOf(',');
		const payload = url.slice(comma + 1);
		const json = /;base64$/.test(url.slice(0, comma)) ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
		return withBase(JSON.parse(json), dirname(scriptFile));
	}
	const mapFile = url.startsWith('file://') ? fileURLToPath(url) : resolve(dirname(scriptFile), url);
	const text = readSmall(mapFile);
	return text ? withBase(JSON.parse(text), dirname(mapFile)) : null;
}

function withBase(payload: {sourceRoot?: string}, folder: string): {map: SourceMap; base: string} {
	const root = payload.sourceRoot ?? '';
	const base = root.startsWith('file://') ? fileURLToPath(root) : resolve(folder, root);
	return {map: new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]), base};
}

function scriptPath(url: string): string | null {
	if (url.startsWith('file://')) return fileURLToPath(url);
	return isAbsolute(url) ? url : null;
}

function readSmall(path: string): string | null {
	const stat = statSync(path);
	if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return null;
	return readFileSync(path, 'utf8');
}
