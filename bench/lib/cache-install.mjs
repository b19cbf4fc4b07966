// Installs bench-only npm packages (memlab, VS Code's parser) into bench/.cache/<name> on first use.
// They are not heaptop dependencies; --ignore-scripts skips install hooks (puppeteer's browser download).
// A failed install is reported, not thrown: the bench then shows the tool as "unavailable (reason)" and
// measures the others. When npm fails, `npm view` tells an unreachable registry from any other cause.
import {existsSync, mkdirSync} from 'node:fs';
import {spawnSync} from 'node:child_process';

const NETWORK_ERROR = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|proxy|timed? ?out/i;

/**
 * @param {{dir: string, specs: string[], marker: string, log?: (msg: string) => void}} opts
 *   marker: a file inside dir that exists once the install is complete
 * @returns {{ok: true} | {ok: false, reason: string}}
 */
export function installIntoCache({dir, specs, marker, log = msg => process.stderr.write(msg + '\n')}) {
	if (existsSync(marker)) return {ok: true};
	mkdirSync(dir, {recursive: true});
	log(`installing ${specs.join(' ')} into ${dir} (first use only)…`);
	const r = spawnSync('npm', ['install', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, ...specs], {
		encoding: 'utf8',
		timeout: 5 * 60_000,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	if (r.status === 0 && existsSync(marker)) return {ok: true};
	const output = `${r.error?.message ?? ''}\n${r.stdout ?? ''}\n${r.stderr ?? ''}`;
	log(output.trim().split('\n').slice(-8).join('\n'));
	if (r.error?.code === 'ENOENT') return {ok: false, reason: 'npm not found on PATH'};
	// Ask the registry about the first package: if that fails too, the registry is the problem.
	const name = specs[0].replace(/@[^@/]+$/, '');
	const view = spawnSync('npm', ['view', name, 'version'], {encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe']});
	if (view.status !== 0) {
		const why = `${view.error?.message ?? ''}\n${view.stderr ?? ''}`.split('\n').find(l => NETWORK_ERROR.test(l))?.trim() ?? `npm view exited ${view.status ?? view.signal}`;
		return {ok: false, reason: `npm registry not reachable from this machine (${why.slice(0, 160)})`};
	}
	const line = output.split('\n').find(l => /ERR!/.test(l))?.trim() ?? `npm install exited ${r.status ?? r.signal}`;
	return {ok: false, reason: `npm install failed: ${line.slice(0, 160)}`};
}
