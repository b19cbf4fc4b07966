/**
 * meow, imported without the ICU collator its bundled dependencies would load for nothing.
 *
 * meow's build evaluates normalize-package-data as it is imported, and with it spdx-correct, which
 * sorts a table of licence-name typos with String.prototype.localeCompare. That first localeCompare
 * of the process loads ICU's collation data: ~3 MiB of RSS and ~5 ms on every heaptop run, for an
 * order that only spdx-correct's typo fixing reads, which meow runs only when a caller reads
 * `cli.pkg` (heaptop never does). So the import runs with a plain code-unit comparison in its place,
 * and the real one is put back as soon as the import settles (nothing of heaptop's compares strings
 * by locale meanwhile: the CLI is waiting for this import). (dist/'s build now makes that evaluation
 * wait for meow's first call of normalizePackageData, which heaptop never makes: scripts/build.mjs. This
 * stays for a meow whose build the build script does not recognize, and for runs from the sources.)
 */
import type meowFunction from 'meow';

export async function importMeow(): Promise<typeof meowFunction> {
	const localeCompare = String.prototype.localeCompare;
	String.prototype.localeCompare = function (this: string, that: string): number {
		return this < that ? -1 : this > that ? 1 : 0;
	};
	try {
		return (await import('meow')).default;
	} finally {
		String.prototype.localeCompare = localeCompare;
	}
}
