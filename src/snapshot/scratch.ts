/**
 * Node-sized Uint32Arrays handed from one analysis phase to the next. A phase's big temporary arrays
 * would otherwise linger until the GC notices them (V8 frees an ArrayBuffer only after a collection),
 * while the next phase allocates its own: on a 250 MB snapshot that overlap was ~60 MB of peak RSS.
 * Whoever takes an array owns it; only arrays that do not escape into a result are given back.
 */
export class ScratchArrays {
	private free: Uint32Array[] = [];

	/** An array of `length` elements with unspecified contents (fill it yourself). */
	take(length: number): Uint32Array {
		let best = -1;
		for (let i = 0; i < this.free.length; i++) {
			const size = this.free[i]!.buffer.byteLength;
			if (size >= length * 4 && (best < 0 || size < this.free[best]!.buffer.byteLength)) best = i;
		}
		if (best < 0) return new Uint32Array(length);
		const [array] = this.free.splice(best, 1);
		return new Uint32Array(array!.buffer, 0, length);
	}

	give(...arrays: Uint32Array[]): void {
		for (const array of arrays) if (array.byteOffset === 0 && array.buffer.byteLength > 0) this.free.push(array);
	}

	/** Drops every free array (for the GC to reclaim) once no big phase is left to run. */
	clear(): void {
		this.free = [];
	}
}

/** `array` copied into one twice as long (at least 1024): a list that outgrew its array. */
export function grown(array: Uint32Array): Uint32Array<ArrayBuffer> {
	const next = new Uint32Array(Math.max(1024, array.length * 2));
	next.set(array);
	return next;
}

type Resizable = ArrayBuffer & {resize(byteLength: number): void; readonly resizable: boolean};
const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: {maxByteLength: number}) => Resizable;

/**
 * Memory that can be given back to the system at once with releaseBuffer(), not only when the GC
 * gets round to it (a resizable ArrayBuffer, shrunk to 0; Node 20+). Access through it is somewhat
 * slower (V8 checks its length), so it suits big temporaries read once or twice, not hot arrays.
 */
export function releasableBuffer(byteLength: number): ArrayBuffer {
	const buffer = new ResizableArrayBuffer(byteLength, {maxByteLength: byteLength});
	return buffer.resizable ? buffer : new ArrayBuffer(byteLength);
}

export function releaseBuffer(buffer: ArrayBufferLike): void {
	const resizable = buffer as Partial<Resizable>;
	if (resizable.resizable === true) resizable.resize!(0);
}
