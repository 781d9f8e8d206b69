/**
 * One ingress-nginx worker's balancer (balancer.lua): its own copy of every
 * service's backend list, reloaded at its polls, and its own round-robin
 * positions. Lists are the controller's immutable arrays, in pod-creation
 * order.
 */
import type { Rng } from '../engine/random.ts';
import type { Pod } from './pod.ts';

export type Policy = 'round-robin' | 'random' | 'least-request';

export class Balancer {
  lists: (readonly Pod[])[];
  private readonly position: number[];
  /** Time of the reload already scheduled, to schedule each poll once. */
  nextReload = -1;

  constructor(
    readonly worker: number,
    services: number,
    /** Polls happen at phase + k * pollInterval. */
    readonly phase: number,
  ) {
    this.lists = Array.from({ length: services }, () => []);
    this.position = new Array<number>(services).fill(0);
  }

  /** The first poll at or after `t`. */
  nextPoll(t: number, interval: number): number {
    let p = this.phase + Math.ceil((t - this.phase) / interval) * interval;
    if (p < t) p += interval; // floating-point guard
    return p;
  }

  /** The backend for the next try; the list must not be empty. */
  pick(service: number, policy: Policy, rng: Rng): Pod {
    const list = this.lists[service];
    switch (policy) {
      case 'round-robin': {
        // One position per service, advanced on every try; modulo the current list's length.
        const i = this.position[service]++ % list.length;
        return list[i];
      }
      case 'random':
        return list[Math.floor(rng() * list.length)];
      case 'least-request':
        return this.leastRequest(list, rng);
    }
  }

  private leastRequest(list: readonly Pod[], rng: Rng): Pod {
    const w = this.worker;
    let best = Infinity;
    let ties = 0;
    for (const p of list) {
      const n = p.inFlight![w];
      if (n < best) {
        best = n;
        ties = 1;
      } else if (n === best) ties++;
    }
    let k = ties > 1 ? Math.floor(rng() * ties) : 0;
    for (const p of list) if (p.inFlight![w] === best && k-- === 0) return p;
    throw new Error('unreachable: least-request found no backend');
  }
}
