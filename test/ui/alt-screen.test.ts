import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {ENTER_ALTERNATE_SCREEN, LEAVE_ALTERNATE_SCREEN} from '../../src/ui/screen.js';

const child = fileURLToPath(new URL('./fixtures/alt-screen-child.ts', import.meta.url));

function runChild(how: string, onStderr?: (text: string, kill: () => void) => void): Promise<{stdout: string; code: number | null; signal: string | null}> {
	return new Promise((resolve, reject) => {
		const proc = spawn(process.execPath, ['--import', 'tsx', child, how], {stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		proc.stdout.on('data', chunk => (stdout += chunk));
		proc.stderr.on('data', chunk => onStderr?.(String(chunk), () => proc.kill('SIGTERM')));
		proc.on('error', reject);
		proc.on('close', (code, signal) => resolve({stdout, code, signal}));
	});
}

const count = (text: string, part: string) => text.split(part).length - 1;

test('leave() restores the normal screen once, and output continues after it', async () => {
	const {stdout, code} = await runChild('leave');
	assert.equal(code, 0);
	assert.ok(stdout.startsWith(ENTER_ALTERNATE_SCREEN));
	assert.equal(count(stdout, LEAVE_ALTERNATE_SCREEN), 1);
	assert.ok(stdout.indexOf(LEAVE_ALTERNATE_SCREEN) < stdout.indexOf('after'));
});

test('a crash still restores the normal screen (and keeps the failing exit code)', async () => {
	const {stdout, code} = await runChild('crash');
	assert.notEqual(code, 0);
	assert.equal(count(stdout, LEAVE_ALTERNATE_SCREEN), 1);
});

test('SIGTERM restores the normal screen, then the process dies of the signal', async () => {
	const {stdout, signal} = await runChild('signal', (text, kill) => {
		if (text.includes('ready')) kill();
	});
	assert.equal(signal, 'SIGTERM');
	assert.equal(count(stdout, LEAVE_ALTERNATE_SCREEN), 1);
});
