/**
 * Named random streams (ns-3 style): each consumer owns one stream derived
 * from (seed, replication, name), so adding a consumer shifts no other
 * stream and cells of a sweep share draws (common random numbers).
 *
 * The generator is Alea (Baagoe), number for number the one seedrandom's
 * `alea` returns (a test compares them), written here as one closure over
 * four numbers: seedrandom's builds several more closures per stream, and
 * every replication makes dozens of streams.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  (): number;
}

export class RandomStreams {
  private streams = new Map<string, Rng>();

  constructor(
    readonly seed: number,
    readonly replication: number,
  ) {}

  /** The stream called `name`; the same object on every call. */
  stream(name: string): Rng {
    let s = this.streams.get(name);
    if (!s) {
      s = alea(`${this.seed}/${this.replication}/${name}`);
      this.streams.set(name, s);
    }
    return s;
  }
}

/** Baagoe's Mash state after hashing ' ' three times (what Alea's seeding starts with), and the three values. */
const blank = (() => {
  let n = 0xefc8249d;
  const v: number[] = [];
  for (let k = 0; k < 3; k++) {
    [n, v[k]] = mash(n, ' ');
  }
  return { n, s0: v[0], s1: v[1], s2: v[2] };
})();

/** Baagoe's Mash: folds `data` into the state `n`; returns the new state and the hash in [0, 1). */
function mash(n: number, data: string): [number, number] {
  for (let i = 0; i < data.length; i++) {
    n += data.charCodeAt(i);
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * 0x100000000; // 2^32
  }
  return [n, (n >>> 0) * 2.3283064365386963e-10]; // 2^-32
}

/** Alea seeded with `seed`, as seedrandom.alea(seed). */
export function alea(seed: string): Rng {
  let n = blank.n;
  let h: number;
  [n, h] = mash(n, seed);
  let s0 = blank.s0 - h;
  if (s0 < 0) s0 += 1;
  [n, h] = mash(n, seed);
  let s1 = blank.s1 - h;
  if (s1 < 0) s1 += 1;
  [, h] = mash(n, seed);
  let s2 = blank.s2 - h;
  if (s2 < 0) s2 += 1;
  let c = 1;
  return () => {
    const t = 2091639 * s0 + c * 2.3283064365386963e-10; // 2^-32
    s0 = s1;
    s1 = s2;
    return (s2 = t - (c = t | 0));
  };
}
