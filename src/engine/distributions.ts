/**
 * Samplers of non-negative durations. Each draws from the stream it is given,
 * a fixed number of uniforms per sample except the truncated normal (which
 * resamples), so streams stay aligned across configurations.
 */
import type { Rng } from './random.ts';

export type DistributionSpec =
  | number
  | { dist: 'constant'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'normal'; mean: number; sd: number }
  | { dist: 'lognormal'; mean: number; sd: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'empirical'; samples: number[] };

export interface Sampler {
  sample(rng: Rng): number;
  readonly mean: number;
  /** False for a constant: sampling then draws nothing, so when it is sampled does not matter. */
  readonly draws: boolean;
}

/** A standard normal variate by Box-Muller (two uniforms, no cached pair). */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng(); // in (0, 1], keeps log finite
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const MAX_RESAMPLES = 1000;

export function sampler(spec: DistributionSpec): Sampler {
  if (typeof spec === 'number') return constant(spec);
  switch (spec.dist) {
    case 'constant':
      return constant(spec.value);
    case 'uniform': {
      const { min, max } = spec;
      return { mean: (min + max) / 2, draws: true, sample: (rng) => min + (max - min) * rng() };
    }
    case 'normal': {
      const { mean, sd } = spec;
      return {
        mean,
        draws: true,
        sample(rng) {
          for (let i = 0; i < MAX_RESAMPLES; i++) {
            const x = mean + sd * standardNormal(rng);
            if (x >= 0) return x;
          }
          return 0;
        },
      };
    }
    case 'lognormal': {
      // Parameters from the variable's own mean m and sd s (docs/model.md section 10).
      const sigma2 = Math.log(1 + (spec.sd * spec.sd) / (spec.mean * spec.mean));
      const sigma = Math.sqrt(sigma2);
      const mu = Math.log(spec.mean) - sigma2 / 2;
      return { mean: spec.mean, draws: true, sample: (rng) => Math.exp(mu + sigma * standardNormal(rng)) };
    }
    case 'exponential': {
      const { mean } = spec;
      return { mean, draws: true, sample: (rng) => -mean * Math.log(1 - rng()) };
    }
    case 'empirical': {
      const xs = spec.samples.slice();
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return { mean, draws: true, sample: (rng) => xs[Math.floor(rng() * xs.length)] };
    }
  }
}

function constant(value: number): Sampler {
  return { mean: value, draws: false, sample: () => value };
}
