/**
 * Bytes to JS strings. Buffer's own latin1Slice/utf8Slice (what toString calls after checking its
 * arguments) take about half the time of toString for the ~10-character strings a snapshot is full
 * of. They are not in Node's typings, so they are looked up once and toString stays the fallback.
 */
type SliceFn = (this: Buffer, start: number, end: number) => string;
const proto = Buffer.prototype as unknown as {latin1Slice?: SliceFn; utf8Slice?: SliceFn};
const nativeLatin1 = typeof proto.latin1Slice === 'function' ? proto.latin1Slice : null;
const nativeUtf8 = typeof proto.utf8Slice === 'function' ? proto.utf8Slice : null;

export function latin1Slice(buf: Buffer, start: number, end: number): string {
	return nativeLatin1 ? nativeLatin1.call(buf, start, end) : buf.toString('latin1', start, end);
}

export function utf8Slice(buf: Buffer, start: number, end: number): string {
	return nativeUtf8 ? nativeUtf8.call(buf, start, end) : buf.toString('utf8', start, end);
}
