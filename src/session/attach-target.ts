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

export function attachTarget(choice: TargetChoice, options: {allowRemote: boolean; log?: (line: string) => void}): Promise<InspectorTarget> {
	return attach(toTargetSpec(choice), options);
}
