/** Options.target (what the user typed) → a connected InspectorTarget, via the protocol layer. */
import type {TargetChoice} from '../options.js';
import type {InspectorTarget} from '../target/target.js';
import {attach} from '../target/attach.js';
import {commandSpec, parsePid, parseTargetString, type TargetSpec} from '../target/target-spec.js';

export function toTargetSpec(choice: TargetChoice): TargetSpec {
	switch (choice.kind) {
		case 'address': return parseTargetString(choice.spec);
		case 'pid': return parsePid(choice.pid);
		case 'command': return commandSpec(choice.argv);
		case 'demo': return {kind: 'demo'};
	}
}

/** `worker`: --worker, a worker thread of the target to watch instead of its main thread. */
export function attachTarget(
	choice: TargetChoice,
	options: {allowRemote: boolean; worker?: string | null; log?: (line: string) => void; notice?: (line: string) => void},
): Promise<InspectorTarget> {
	const {worker, ...rest} = options;
	return attach(toTargetSpec(choice), worker == null ? rest : {...rest, worker});
}
