/**
 * What every rotation strategy of a service reports (README "Rotation
 * strategies"), and the factory that builds the one a service asks for.
 */
import type { Rng } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Diversifier as DiversifierSettings } from '../schema/schema.ts';
import type { Deployment } from './deployment.ts';
import { Diversifier } from './diversifier.ts';
import { Rollout } from './rollout.ts';
import { Surge } from './surge.ts';

export interface Rotation {
  start(): void;
  /** Deletions that took effect / hit a pod already Terminating. */
  readonly effectiveKills: number;
  readonly ignoredKills: number;
  /** Rotations made: kills (delete), finished swaps (surge), finished rollouts (rollout). */
  readonly rotations: number;
  /** Surge swaps given up because the new pod was not up within `timeout`. */
  readonly abandoned: number;
  /** Total duration of the finished swaps or rollouts, and how many there were. */
  readonly swapTime: number;
  readonly timedSwaps: number;
}

export function rotation(sim: Simulation, d: Deployment, s: DiversifierSettings, victimRng: Rng, jitterRng: Rng): Rotation {
  switch (s.strategy) {
    case 'delete':
      return new Diversifier(sim, d, s, victimRng, jitterRng);
    case 'surge':
      return new Surge(sim, d, s, victimRng, jitterRng);
    case 'rollout':
      return new Rollout(sim, d, s, jitterRng);
  }
}
