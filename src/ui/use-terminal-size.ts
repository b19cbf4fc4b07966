/**
 * Terminal columns and rows, updated on resize. Ink 6 has no useWindowSize (that is Ink 7), so this
 * listens to the stdout stream's 'resize' event itself.
 */
import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

export interface TerminalSize {
	columns: number;
	rows: number;
}

function read(stdout: NodeJS.WriteStream): TerminalSize {
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}

export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => read(stdout));
	useEffect(() => {
		const onResize = () => {
			const next = read(stdout);
			setSize(prev => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
		};
		onResize(); // the stream may have been resized between the first render and this effect
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
