/**
 * The live view in a real terminal (tmux), as a user starts it: `node bin/heaptop.js` in the repo root
 * with no target, which starts the bundled demo app (examples/demo-app.js, a leaky order service) and
 * watches it. Checks what a person would: the charts and status line come up, the growth table finds
 * `Session`, its retaining path runs through `sessions` with the cache hint, no line is wider than the
 * terminal, `q` exits 0 and gives the terminal back, and the demo app is gone afterwards.
 *
 * Every wait polls the screen with a deadline (generous: the machine may be loaded); every test kills
 * its tmux server and any demo app it started, also when it fails.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {commandLine, descendants, isAlive, pollUntil} from '../helpers/e2e-process.js';
import {ROOT} from '../helpers/run-cli.js';
import {readIfExists, shellQuote, TmuxSession} from '../helpers/tmux.js';

interface Harness {
	tmux: TmuxSession;
	exitFile: string;
	/** demo-app processes seen under the pane (filled by findDemoApps) */
	demoPids: number[];
	findDemoApps(): number[];
	/** heaptop's exit code once `sh` wrote it, else null */
	exitCode(): number | null;
	cleanup(): void;
}

function startHeaptop(columns: number, rows: number, args: string[] = []): Harness {
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-e2e-'));
	const exitFile = join(dir, 'exit');
	const command = `${shellQuote(process.execPath)} bin/heaptop.js ${args.map(shellQuote).join(' ')}; echo "EXIT=$?" > ${shellQuote(exitFile)}`;
	const tmux = TmuxSession.start({columns, rows, command, cwd: ROOT});
	const harness: Harness = {
		tmux,
		exitFile,
		demoPids: [],
		findDemoApps() {
			const found = descendants(tmux.panePid()).filter(pid => commandLine(pid).includes('demo-app'));
			for (const pid of found) if (!harness.demoPids.includes(pid)) harness.demoPids.push(pid);
			return found;
		},
		exitCode() {
			const m = /EXIT=(\d+)/.exec(readIfExists(exitFile) ?? '');
			return m ? Number(m[1]) : null;
		},
		cleanup() {
			tmux.kill();
			// the demo apps this test started, if heaptop failed to stop them
			for (const pid of harness.demoPids) {
				try {
					if (isAlive(pid)) process.kill(pid, 'SIGKILL');
				} catch {
					// gone
				}
			}
			rmSync(dir, {recursive: true, force: true});
		},
	};
	return harness;
}

/** Lines wider than the terminal (tmux capture with -J joins a wrapped line back into one). */
function overWide(screen: string, columns: number): string[] {
	return screen.split('\n').filter(line => Array.from(line).length > columns);
}

const isOverview = (s: string) => /Heap used/.test(s) && /^RSS /m.test(s) && /GC pause/.test(s) && /snapshot/.test(s) && /q quit/.test(s);

/** `q`, then: exit code 0, the heaptop frame gone from the screen, no demo app left. */
async function quitAndCheckRestored(h: Harness): Promise<void> {
	await h.tmux.keys('q');
	assert.ok(await pollUntil(() => h.exitCode() !== null, 30_000, 200), `heaptop did not exit after q; screen:\n${h.tmux.capture()}`);
	assert.equal(h.exitCode(), 0);
	const after = h.tmux.capture();
	assert.ok(!/Heap used|q quit|heaptop LIVE/.test(after), `the heaptop frame is still on the screen after exit:\n${after}`);
	assert.ok(await pollUntil(() => h.demoPids.every(pid => !isAlive(pid)), 15_000, 200), `demo app still running: ${h.demoPids.filter(isAlive).join(', ')}`);
}

test('npm start at 100×30: charts and status line appear, q exits 0, the terminal is restored, no demo app is left', {timeout: 120_000}, async () => {
	const h = startHeaptop(100, 30);
	try {
		const screen = await h.tmux.waitFor(isOverview, 45_000, 'the heap/RSS/GC charts and the status line');
		assert.match(screen, /^heaptop LIVE · pid \d+ · node v\d+/m);
		assert.match(screen, /examples\//, 'the header names the demo app (examples/demo-app.js, cut to the width)');
		assert.deepEqual(overWide(screen, 100), []);
		assert.ok(await pollUntil(() => h.findDemoApps().length > 0, 10_000, 200), 'the demo app runs under heaptop');
		await quitAndCheckRestored(h);
	} finally {
		h.cleanup();
	}
});

for (const [columns, rows] of [[80, 24], [200, 50]] as const) {
	test(`${columns}×${rows}, --snapshot-every 5s: the growth table shows Session, Enter shows its path through \`sessions\` with the cache hint`, {timeout: 150_000}, async () => {
		const h = startHeaptop(columns, rows, ['--snapshot-every', '5s']);
		try {
			const first = await h.tmux.waitFor(isOverview, 45_000, 'the overview');
			assert.deepEqual(overWide(first, columns), []);
			h.findDemoApps();
			// three snapshots: the fewest the growth ranking judges on (the status line counts them)
			await h.tmux.waitFor(s => /\b([3-9]|\d\d+) snapshots\b/.test(s), 90_000, 'three snapshots');
			await h.tmux.keys('2');
			const table = await h.tmux.waitFor(s => /^\s*[›▸ ]?\s*Session\b/m.test(s) && /Keeps rising/i.test(s), 30_000, 'Session in the growth table');
			assert.deepEqual(overWide(table, columns), []);
			const lines = table.split('\n');
			const header = lines.findIndex(l => /Keeps rising/i.test(l));
			const sessionRow = lines.findIndex(l => /^\s*[›▸]?\s*Session\b/.test(l));
			assert.ok(sessionRow > header && sessionRow - header <= 5, `Session near the top of the table:\n${table}`);
			// select it (it may not be the first row) and open its retainers
			for (let i = 0; i < 5 && !/^›\s*Session\b/m.test(h.tmux.capture()); i++) await h.tmux.keys('j');
			await h.tmux.waitFor(s => /^›\s*Session\b/m.test(s), 10_000, 'Session selected');
			await h.tmux.keys('Enter');
			const paths = await h.tmux.waitFor(s => /Retainers of Session/.test(s) && /\bsessions\b/.test(s) && /cache \/ collection/.test(s), 45_000,
				'the retaining path through sessions with the cache hint');
			assert.deepEqual(overWide(paths, columns), []);
			await quitAndCheckRestored(h);
		} finally {
			h.cleanup();
		}
	});
}
