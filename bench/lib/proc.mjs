// Linux /proc readers for the overhead and soak benches: CPU time, RSS and open fds of a process.
import {readFileSync, readdirSync} from 'node:fs';
import {execFileSync} from 'node:child_process';

let clkTck = null;
/** Clock ticks per second (USER_HZ), usually 100. */
export function clockTicks() {
	if (clkTck === null) {
		try {
			clkTck = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
		} catch {
			clkTck = 100;
		}
	}
	return clkTck;
}

/** utime + stime of a process in seconds, or null when it is gone. */
export function cpuSeconds(pid) {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// the command name (field 2) may contain spaces; fields after ')' are fixed
		const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(rest[11]) + Number(rest[12])) / clockTicks(); // fields 14 and 15
	} catch {
		return null;
	}
}

/** VmRSS and VmHWM in bytes, or null when the process is gone. */
export function memory(pid) {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = key => Number((new RegExp(`^${key}:\\s*(\\d+)`, 'm').exec(status) ?? [])[1] ?? NaN) * 1024;
		return {rss: kb('VmRSS'), hwm: kb('VmHWM')};
	} catch {
		return null;
	}
}

/** Number of open file descriptors, or null when the process is gone. */
export function fdCount(pid) {
	try {
		return readdirSync(`/proc/${pid}/fd`).length;
	} catch {
		return null;
	}
}
