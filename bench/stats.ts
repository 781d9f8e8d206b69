/** Median and spread of repeated measurements, after a warm-up run. */
export interface Measured {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function measure(runs: number, once: () => number): Measured {
  once(); // warm-up: JIT, caches
  const xs = Array.from({ length: runs }, once).sort((a, b) => a - b);
  return { median: xs[Math.floor(xs.length / 2)], min: xs[0], max: xs[xs.length - 1], runs };
}

export function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export const fmt = (x: number, digits = 3): string =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toPrecision(digits);

export const spread = (m: Measured): string => `${fmt(m.median)} (${fmt(m.min)}–${fmt(m.max)}, n=${m.runs})`;
