/**
 * One terminal line made of styled segments. Never wraps (wrap="truncate"), so a line can never add
 * rows to the frame; callers still size their text to the width so nothing useful is cut.
 */
import React from 'react';
import {Text} from 'ink';
import type {ColorName} from '../theme.js';

export interface Segment {
	text: string;
	color?: ColorName | undefined;
	bold?: boolean;
	inverse?: boolean;
}

export function Line({segments}: {segments: readonly Segment[]}): React.JSX.Element {
	return (
		<Text wrap="truncate">
			{segments.map((segment, i) => (
				<Text key={i} color={segment.color} bold={segment.bold} inverse={segment.inverse}>
					{segment.text}
				</Text>
			))}
		</Text>
	);
}

/** Total characters of a segment list (all text here is single-width). */
export function segmentsWidth(segments: readonly Segment[]): number {
	return segments.reduce((sum, segment) => sum + Array.from(segment.text).length, 0);
}

/** Drops or cuts trailing segments so the line is at most `width` characters. */
export function clipSegments(segments: readonly Segment[], width: number): Segment[] {
	const out: Segment[] = [];
	let left = width;
	for (const segment of segments) {
		if (left <= 0) break;
		const chars = Array.from(segment.text);
		if (chars.length <= left) {
			out.push(segment);
			left -= chars.length;
		} else {
			out.push({...segment, text: chars.slice(0, Math.max(0, left - 1)).join('') + '…'});
			left = 0;
		}
	}
	return out;
}
