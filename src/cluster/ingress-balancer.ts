/**
 * One ingress-nginx worker's balancer (balancer.lua): its own copy of every
 * service's backend list, reloaded at its polls, and its own balancing
 * policy. Lists are the controller's immutable arrays, in pod-creation
 * order.
 */
import type { BalancingPolicy } from './balancing.ts';
import type { Pod } from './pod.ts';
import { arrayOf } from '../util/arrays.ts';

export class Balancer {
  lists: (readonly Pod[])[];
  /** Time of the reload already scheduled, to schedule each poll once. */
  nextReload = -1;

  constructor(
    readonly worker: number,
    services: number,
    /** Polls happen at phase + k * pollInterval. */
    readonly phase: number,
    readonly policy: BalancingPolicy,
  ) {
    this.lists = arrayOf(services, () => []);
  }

  /** The first poll at or after `t`. */
  nextPoll(t: number, interval: number): number {
    let p = this.phase + Math.ceil((t - this.phase) / interval) * interval;
    if (p < t) p += interval; // floating-point guard
    return p;
  }

  /** The backend for the next try; the list must not be empty. */
  pick(service: number): Pod {
    return this.policy.pick(service, this.lists[service]);
  }
}
