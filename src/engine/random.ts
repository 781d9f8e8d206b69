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
    const s = seedrandom.alea(`${this.seed}/${this.replication}/${name}`) as Rng;
    this.streams.set(name, s);
    return s;
  }
}
