/**
 * Ink decides once, when it is first imported, whether it runs "in CI" (the is-in-ci package reads
 * the CI and CONTINUOUS_INTEGRATION variables); in that mode it draws nothing until the app ends and
 * ignores resizes. The live view only starts on a real terminal (cli.tsx checks isTTY), so a CI flag
 * inherited by an interactive shell — a CI runner's debug session, a container built with CI=true —
 * must not blank the screen. The flags are hidden only while the UI modules are first evaluated and
 * put back at once, so the watched app (`-- COMMAND`, the demo) still inherits the user's environment.
 */
const CI_FLAGS = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

export async function importOutsideCi<T>(load: () => Promise<T>): Promise<T> {
	const saved = new Map<string, string>();
	for (const name of CI_FLAGS) {
		const value = process.env[name];
		if (value !== undefined) {
			saved.set(name, value);
			delete process.env[name];
		}
	}
	try {
		return await load();
	} finally {
		for (const [name, value] of saved) process.env[name] = value;
	}
}
