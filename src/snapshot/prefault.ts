/**
 * Touching, ahead of time, the memory pages another thread is about to fill.
 *
 * The first write to a fresh page of a big array makes the kernel supply the page: on an ordinary
 * machine ~0.25 µs per 4 KiB, on the virtual machines heaptop was measured on ~13 µs, so the edge
 * thread of a file parse spent half its time on faults for the arrays it fills. The thread that waits
 * for it can take those faults instead: it walks the same shared arrays from the end backwards, one
 * write per page, while the filler works forwards, and stops where they meet. Each touch is an atomic
 * add of 0, which writes the value back unchanged even if the filler got there first: nothing it wrote
 * is ever lost, so the meeting point needs no lock, only a margin to keep the two apart.
 */

const PAGE_BYTES = 4096;
/** performance.now() is read every this many pages. */
const PAGES_PER_CLOCK = 32;

type SharedArray = Uint8Array | Uint32Array;

export class BackwardPrefault {
	/** the next element (of the arrays' common index) whose pages are touched */
	private cursor: number;
	/** elements per page of the widest element type: the step of the walk */
	private readonly step: number;

	constructor(private readonly arrays: readonly SharedArray[], count: number) {
		const widest = Math.max(1, ...arrays.map(a => a.BYTES_PER_ELEMENT));
		this.step = PAGE_BYTES / widest;
		this.cursor = count - 1;
	}

	/** Elements from here up have had their pages touched. */
	get touchedFrom(): number {
		return Math.max(0, this.cursor + 1);
	}

	/**
	 * Touches pages from the end backwards until the walk reaches `floor` (an element index: the filler
	 * is below it) or performance.now() passes `deadline`. Returns false once there is nothing left to do
	 * above `floor`.
	 */
	run(floor: number, deadline: number): boolean {
		const {arrays, step} = this;
		let e = this.cursor;
		let pages = 0;
		while (e >= floor && e >= 0) {
			for (const array of arrays) {
				// narrower arrays hold more elements per page: touch them only where a page of theirs starts
				const perPage = PAGE_BYTES / array.BYTES_PER_ELEMENT;
				if (perPage === step || e % perPage < step) Atomics.add(array, e, 0);
			}
			e -= step;
			if (++pages % PAGES_PER_CLOCK === 0 && performance.now() >= deadline) break;
		}
		this.cursor = e;
		return e >= floor && e >= 0;
	}
}
