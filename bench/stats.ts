/** Median and spread of repeated measurements, after a warm-up run. */
export interface Measured {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function measure(runs: number, once: () => number): Measured {
  once(); // warm-up: JIT, caches
  return summary(Array.from({ length: runs }, once));
}

/** Median, min and max of values in any order (the upper median of an even count). */
export function summary(xs: readonly number[]): Measured {
  const s = xs.slice().sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], runs: s.length };
}

export function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export const fmt = (x: number, digits = 3): string =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toPrecision(digits);

export const spread = (m: Measured): string => `${fmt(m.median)} (${fmt(m.min)}–${fmt(m.max)}, n=${m.runs})`;

/** The bare heap's rate on the machine the targets were set on (an idle AMD EPYC core, bench/results.md of the first landing). */
export const referenceHeap = 9.5e6;

/**
 * measure(), with the machine's speed taken right after each run (a bare
 * heap's rate over the reference's): this VM's speed swings by 2x from one
 * minute to the next, so a target is scaled by the speed of the same
 * minutes, not of the start of the suite. `perSpeed` is the median over the
 * runs of each run's value over the speed beside it: the value at the
 * reference machine's speed, paired run by run.
 */
export function measurePaired(runs: number, once: () => number, probe: () => number): Measured & { speed: Measured; perSpeed: number } {
  const speeds: number[] = [];
  const values: number[] = [];
  const m = measure(runs, () => {
    const x = once();
    values.push(x);
    speeds.push(probe() / referenceHeap);
    return x;
  });
  // The warm-up's pair is left out, as measure() leaves it out.
  const s = speeds.slice(1);
  return { ...m, speed: summary(s), perSpeed: summary(values.slice(1).map((x, i) => x / s[i])).median };
}
