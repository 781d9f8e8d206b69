/** Rotation intervals, shared by every strategy. */
import type { Rng } from '../engine/random.ts';
import type { Diversifier as DiversifierSettings } from '../schema/schema.ts';

/** The next interval: P, or P + U(-J, J) floored at 0 with jitter (docs/model.md section 10). */
export function nextInterval(s: DiversifierSettings, jitterRng: Rng): number {
  const p = s.period as number;
  const j = s.jitter;
  return j > 0 ? Math.max(0, p + (2 * jitterRng() - 1) * j) : p;
}
