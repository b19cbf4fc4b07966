/**
 * The snapshot reader's one error type. The message says what is wrong with the input ("the snapshot
 * ends in the middle of the edges section (truncated?)", "no such file"); callers prefix where the input
 * came from (a file name, "the snapshot from <target>").
 */
export class SnapshotFormatError extends Error {
	override readonly name = 'SnapshotFormatError';
}
