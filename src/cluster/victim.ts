/**
 * The diversifier's decisions as pure functions (docs/model.md section 5), shared
 * by the simulator (src/cluster/diversifier.ts) and the real diversifier
 * (src/testbed/diversifier.ts), so the two cannot drift.
 */
import type { Rng } from '../engine/random.ts';

export type Select = 'any' | 'ready' | 'oldest';

/** What the rules need to know of a pod. */
export interface Candidate {
  readonly terminating: boolean;
}

/**
 * The victim among the service's existing pods (in creation order), or null.
 * `any` may return a Terminating pod (a label-selector list includes them);
 * deleting it is an ignored kill. One draw for `any` and `ready`, none for `oldest`.
 */
export function chooseVictim<P extends Candidate>(select: Select, pods: readonly P[], draw: Rng): P | null {
  switch (select) {
    case 'any':
      return pods.length > 0 ? pods[Math.floor(draw() * pods.length)] : null;
    case 'ready': {
      const alive = pods.filter((p) => !p.terminating);
      return alive.length > 0 ? alive[Math.floor(draw() * alive.length)] : null;
    }
    case 'oldest':
      return pods.find((p) => !p.terminating) ?? null;
  }
}

/** The interval after a deletion: P, or max(0, P + U(-J, J)) with jitter (one draw). */
export function nextInterval(period: number, jitter: number, draw: Rng): number {
  return jitter > 0 ? Math.max(0, period + (2 * draw() - 1) * jitter) : period;
}
