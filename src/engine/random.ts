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

  /** The stream called `name`; the same object on every call. */
  stream(name: string): Rng {
    let s = this.streams.get(name);
    if (!s) {
      s = seedrandom.alea(`${this.seed}/${this.replication}/${name}`) as Rng;
      this.streams.set(name, s);
    }
    return s;
  }
}
