/**
 * Named random streams (ns-3 style): each consumer owns one stream derived
 * from (seed, replication, name), so adding a consumer shifts no other
 * stream and cells of a sweep share draws (common random numbers).
 *
 * Alea is seedrandom's fastest generator with good statistical quality.
 */
import seedrandom from 'seedrandom';

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

  /**
   * The stream called `name`, for its one consumer: claiming a name twice is
   * an error (two consumers of one stream would shift each other's draws).
   */
  stream(name: string): Rng {
    if (this.streams.has(name)) throw new Error(`random stream '${name}' claimed twice: each stream has one consumer`);
    // seedrandom's own seeding of this key is replayed by aleaState (seedrandom.alea(key) draws the same).
    const s = seedrandom.alea('', { state: aleaState(`${this.seed}/${this.replication}/${name}`) }) as Rng;
    this.streams.set(name, s);
    return s;
  }
}

interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/**
 * The state seedrandom's Alea starts from for `seed` (its Baagøe seeding:
 * three hashes of ' ', minus three of the seed, by its Mash), computed here
 * with the same arithmetic in local variables: Mash keeps its hash in a
 * closure, so each character allocated a boxed double, and seeding the 33
 * streams of a replication cost about 110 us, 5 % of a paper replication.
 */
export function aleaState(seed: string): AleaState {
  let n = 0xefc8249d;
  n = mash(n, ' ');
  let s0 = fraction(n);
  n = mash(n, ' ');
  let s1 = fraction(n);
  n = mash(n, ' ');
  let s2 = fraction(n);
  n = mash(n, seed);
  s0 -= fraction(n);
  if (s0 < 0) s0 += 1;
  n = mash(n, seed);
  s1 -= fraction(n);
  if (s1 < 0) s1 += 1;
  n = mash(n, seed);
  s2 -= fraction(n);
  if (s2 < 0) s2 += 1;
  return { c: 1, s0, s1, s2 };
}

/** Baagøe's Mash: folds `data` into the hash state `n`. */
function mash(n: number, data: string): number {
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
  return n;
}

const fraction = (n: number): number => (n >>> 0) * 2.3283064365386963e-10; // 2^-32
