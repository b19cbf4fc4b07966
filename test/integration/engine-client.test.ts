/**
 * The engine behind EngineClient, hosted two ways: a worker thread (the live view) and this thread
 * (`heaptop analyze`). Both must answer the same questions the same way on a real snapshot of a real
 * process, report a bad file as a format error, and refuse work once closed.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {EngineClient, EngineError} from '../../src/pipeline/engine-client.js';

const dir = mkdtempSync(join(tmpdir(), 'heaptop-engine-client-'));
const snapshot = join(dir, 'child.heapsnapshot');
const program = `
class EngineClientMarker { constructor(i) { this.i = i; } }
globalThis.kept = Array.from({length: 1234}, (_, i) => new EngineClientMarker(i));
require('v8').writeHeapSnapshot(${JSON.stringify(snapshot)});
`;
const child = spawnSync(process.execPath, ['-e', program]);
assert.equal(child.status, 0, String(child.stderr));
const truncated = join(dir, 'truncated.heapsnapshot');
writeFileSync(truncated, '{"snapshot":{"meta":{"node_fields":["type"');

test.after(() => rmSync(dir, {recursive: true, force: true}));

for (const [how, make] of [['in a worker thread', async () => new EngineClient()], ['on this thread', () => EngineClient.inProcess()]] as const) {
	test(`engine ${how}: a real snapshot's classes and paths, a format error for a bad file, nothing after close`, async () => {
		const engine = await make();
		try {
			const phases = new Set<string>();
			const {summary} = await engine.parseFile(snapshot, {generationBoundaries: [], retained: true}, p => phases.add(p.phase));
			assert.ok(phases.has('analysing'), 'progress reports the analysis phase');
			const marker = summary.classes.find(c => c.name === 'EngineClientMarker');
			assert.equal(marker?.count, 1234);
			assert.ok((marker?.retainedSize ?? 0) >= marker!.selfSize);
			const paths = await engine.classRetainers('EngineClientMarker');
			assert.match(JSON.stringify(paths), /kept/, 'the path names the global that keeps them');

			await assert.rejects(engine.parseFile(truncated, {generationBoundaries: [], retained: false}), (error: unknown) => error instanceof EngineError && error.format);
		} finally {
			await engine.close();
		}
		await assert.rejects(engine.parseFile(snapshot, {generationBoundaries: [], retained: false}), /shut down/);
	});
}
