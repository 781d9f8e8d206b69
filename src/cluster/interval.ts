/** When a rotation strategy acts: its first tick and the intervals after it, shared by every strategy. */
import type { Rng } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import { Kind } from '../schema/event-kinds.ts';
import type { Diversifier as DiversifierSettings } from '../schema/schema.ts';
import type { Deployment } from './deployment.ts';
import { nextInterval as interval } from './victim.ts';

/** Schedules a strategy's first tick at exactly t0 + P (jitter applies to later intervals); none with P = inf. */
export function firstTick(sim: Simulation, s: DiversifierSettings, deployment: Deployment, tick: () => void): void {
  if (s.period === 'inf') return;
  sim.after(s.period, Kind.diversifierTick, deployment.created, tick, null);
}

/** The next interval: P, or P + U(-J, J) floored at 0 with jitter (the rule the real diversifier follows too). */
export function nextInterval(s: DiversifierSettings, jitterRng: Rng): number {
  return interval(s.period as number, s.jitter, jitterRng);
}
