/**
 * `kubectl rollout restart` every interval: the Deployment controller's
 * rolling update (pkg/controller/deployment/rolling.go). The pods existing
 * at the restart are the old ReplicaSet's; new pods are created while the
 * service has fewer than replicas + maxSurge pods that are not
 * Terminating, and old pods are deleted (without replacement) while at
 * least replicas - maxUnavailable pods stay available (Ready for
 * minReadySeconds). The controller reacts at once (its own delays are far
 * below a pod's start-up). The rollout is done when every old pod is
 * deleted and every new one is available; the next one starts an interval
 * after its end (or after its start, `from`, but never before its end).
 */
import type { Rng } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Diversifier as DiversifierSettings } from '../schema/schema.ts';
import type { Deployment } from './deployment.ts';
import { Kind } from '../schema/event-kinds.ts';
import { firstTick, nextInterval } from './interval.ts';
import type { Pod } from './pod.ts';

/** An IntOrString bound against the replica count (deployment util ResolveFenceposts). */
export function resolveBound(v: number | string, replicas: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const x = (Number.parseInt(v, 10) * replicas) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export class Rollout {
  effectiveKills = 0;
  ignoredKills = 0;
  rotations = 0;
  readonly abandoned = 0;
  swapTime = 0;
  timedSwaps = 0;
  private old: Pod[] = [];
  private fresh: Pod[] = [];
  private began = NaN;
  private readonly maxSurge: number;
  private readonly maxUnavailable: number;

  constructor(
    private readonly sim: Simulation,
    private readonly deployment: Deployment,
    private readonly settings: DiversifierSettings,
    private readonly jitterRng: Rng,
  ) {
    const r = deployment.settings.replicas;
    this.maxSurge = resolveBound(settings.maxSurge, r, true);
    this.maxUnavailable = resolveBound(settings.maxUnavailable, r, false);
    if (this.maxSurge === 0 && this.maxUnavailable === 0) this.maxUnavailable = 1; // as Kubernetes does
  }

  start(): void {
    firstTick(this.sim, this.settings, this.deployment, this.tick);
  }

  private readonly tick = (): void => {
    this.began = this.sim.now;
    this.old = this.deployment.pods.filter((p) => !p.terminating);
    this.fresh = [];
    this.reconcile();
  };

  /** One pass of the rolling update; runs again whenever a new pod becomes available. */
  private readonly reconcile = (): void => {
    // A pod's availability event can come after the rollout it belonged to is done: nothing to do then
    // (a second done() would schedule a second tick, from a NaN start).
    if (Number.isNaN(this.began)) return;
    const now = this.sim.now;
    const r = this.deployment.settings.replicas;
    const minReady = this.settings.minReadySeconds;
    const available = (p: Pod) => !p.terminating && p.ready + minReady <= now;
    for (;;) {
      const oldAlive = this.old.filter((p) => !p.terminating);
      const newAvailable = this.fresh.filter(available).length;
      if (oldAlive.length === 0 && newAvailable === this.fresh.length && this.fresh.length >= r) return this.done();
      // Scale up the new ReplicaSet within replicas + maxSurge.
      if (this.fresh.length < r && oldAlive.length + this.fresh.length < r + this.maxSurge) {
        const pod = this.deployment.create(false);
        this.fresh.push(pod);
        this.sim.at(pod.readyTime() + minReady, Kind.rotation, pod.id, this.reconcile, null);
        continue;
      }
      // Scale down the old one (reconcileOldReplicaSets): unavailable old pods first, while
      // old + new available pods stay above replicas - maxUnavailable; then available ones,
      // newest first, while every available pod above that bound allows.
      const minAvailable = r - this.maxUnavailable;
      const oldAvailable = oldAlive.filter(available);
      const unhealthy = oldAlive.filter((p) => !available(p));
      let victim: Pod | null = null;
      if (unhealthy.length > 0 && oldAlive.length + newAvailable - minAvailable > 0) victim = unhealthy[unhealthy.length - 1];
      else if (oldAvailable.length > 0 && oldAvailable.length + newAvailable - minAvailable > 0) victim = oldAvailable[oldAvailable.length - 1];
      if (victim === null) return;
      this.deployment.delete(victim, false);
      this.effectiveKills++;
    }
  };

  private done(): void {
    this.rotations++;
    this.swapTime += this.sim.now - this.began;
    this.timedSwaps++;
    const began = this.began;
    this.began = NaN;
    this.schedule(began);
  }

  private schedule(start: number): void {
    const from = this.settings.from === 'start' ? start : this.sim.now;
    const t = Math.max(this.sim.now, from + nextInterval(this.settings, this.jitterRng));
    this.sim.at(t, Kind.diversifierTick, this.deployment.created, this.tick, null);
  }
}
