/**
 * Arrays built by push, for the objects every replication builds anew.
 *
 * `Array.prototype.map` and `Array.from` return PACKED or HOLEY arrays
 * depending on whether the calling code runs in V8's interpreter or is
 * optimized (TurboFan inlines them): when a garbage collection or a rare
 * path deoptimizes a constructor, its next arrays take another hidden class,
 * and every optimized function that reads them deoptimizes in turn and is
 * compiled again. In the paper sweep that recompiling took a fifth of a
 * worker's CPU. An array grown by push from `[]` has one elements kind
 * whatever the tier.
 */

/** [f(0), ..., f(n - 1)]. */
export function arrayOf<T>(n: number, f: (i: number) => T): T[] {
  const a: T[] = [];
  for (let i = 0; i < n; i++) a.push(f(i));
  return a;
}

/** xs.map(f), built by push. */
export function mapped<S, T>(xs: readonly S[], f: (x: S, i: number) => T): T[] {
  const a: T[] = [];
  for (let i = 0; i < xs.length; i++) a.push(f(xs[i], i));
  return a;
}
