/**
 * The ingress-nginx controller: applies EndpointSlice changes under a token
 * bucket (syncRate per second, syncBurst, full at t = 0) and hands the new
 * backend lists to every worker's balancer at its next poll (docs/model.md
 * sections 4 and 10). One bucket for all services; a sync takes every
 * service's current slice.
 */
import type { Simulation } from '../engine/simulation.ts';
import type { Balancer } from './ingress-balancer.ts';
import type { Deployment } from './deployment.ts';
import { Kind } from '../schema/event-kinds.ts';
import type { Pod } from './pod.ts';
import { arrayOf } from '../util/arrays.ts';

export interface ControllerSettings {
  readonly syncRate: number;
  readonly syncBurst: number;
  readonly pollInterval: number;
}

export class IngressController {
  /** The backend lists as of the last sync, per service. */
  views: (readonly Pod[])[];
  private tokens: number;
  private tokensAt = 0;
  private syncPending = false;

  constructor(
    private readonly sim: Simulation,
    private readonly deployments: readonly Deployment[],
    private readonly balancers: readonly Balancer[],
    private readonly settings: ControllerSettings,
    /** Called after a balancer reloaded its lists. */
    private readonly onReload: (b: Balancer) => void,
  ) {
    this.views = arrayOf(deployments.length, () => []);
    this.tokens = settings.syncBurst;
  }

  /** A slice changed: make sure a sync will apply it. */
  sliceChanged(): void {
    if (this.syncPending) return;
    this.syncPending = true;
    this.sim.at(this.nextToken(), Kind.controllerSync, 0, this.sync, null);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.settings.syncBurst, this.tokens + (now - this.tokensAt) * this.settings.syncRate);
    this.tokensAt = now;
  }

  private nextToken(): number {
    const now = this.sim.now;
    this.refill(now);
    return this.tokens >= 1 ? now : now + (1 - this.tokens) / this.settings.syncRate;
  }

  private readonly sync = (): void => {
    const now = this.sim.now;
    this.refill(now);
    this.tokens = Math.max(0, this.tokens - 1); // the sync was timed for this token
    this.syncPending = false;
    for (let i = 0; i < this.deployments.length; i++) this.views[i] = this.deployments[i].slice.pods;
    for (const b of this.balancers) {
      const t = b.nextPoll(now, this.settings.pollInterval);
      if (t === b.nextReload) continue; // that poll will read this sync too
      b.nextReload = t;
      this.sim.at(t, Kind.balancerReload, b.worker, this.reload, b);
    }
  };

  private readonly reload = (b: Balancer): void => {
    b.nextReload = -1; // a sync later at this same instant needs a reload of its own
    b.lists = this.views.slice();
    this.onReload(b);
  };
}
