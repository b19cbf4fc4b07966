/**
 * How the threads heaptop starts get their hot loops compiled. Each runs long loops from cold (the
 * second parse thread: a snapshot's edges, then shallow sizes and the shortest-path tree; the live
 * view's engine: whole snapshots). V8 optimizes a hot loop on a background compile thread while the
 * loop goes on in slower code; when heaptop's two threads keep both cores of a 2-core host busy, that
 * compile thread waits for a core, and the loop runs slow code for longer. Threads started after this
 * call compile on their own thread instead (V8's --no-concurrent-recompilation, which V8 reads when it
 * creates an isolate: this thread, whose isolate exists already, keeps its background compiles).
 * Measured on a 50 MB `heaptop analyze`: wall −3 %, 30 paired runs (README, Performance). Process-wide,
 * so the CLI calls it, not the engine: a program that uses heaptop's engine keeps its own settings.
 */
import {setFlagsFromString} from 'node:v8';

let done = false;

export function compileInStartedThreads(): void {
	if (done) return;
	done = true;
	try {
		setFlagsFromString('--no-concurrent-recompilation');
	} catch {
		// a Node without the flag: threads compile as V8 does by default
	}
}
