/** A deadline for a promise that cannot be cancelled (a CDP call, a child's exit). */

/** Resolves like `promise`, or rejects with `onTimeout()` after `ms`. Does not cancel `promise`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => reject(onTimeout()), ms);
		promise.then(
			value => {
				clearTimeout(timer);
				resolve(value);
			},
			error => {
				clearTimeout(timer);
				reject(error);
			},
		);
	});
}
