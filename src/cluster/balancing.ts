/**
 * How an ingress worker picks the backend of each try (ingress-nginx's
 * `load-balance`: balancer.lua's round_robin, a uniform pick, and
 * least-request, which ingress-nginx does as EWMA; here the fewest tries in
 * flight from this worker, ties broken at random). One policy object per
 * worker, behind one interface; each owns its state: round-robin its
 * position per service, least-request its tries in flight per pod.
 */
import type { Rng } from '../engine/random.ts';
import type { Pod } from './pod.ts';

export type Policy = 'round-robin' | 'random' | 'least-request';

export interface BalancingPolicy {
  /**
   * Whether the policy must hear when a try's outcome is back at the ingress
   * (tryEnded): the router then spends an event there for every response.
   */
  readonly tracksTries: boolean;
  /** The backend of the next try to `service`, from its current list (not empty). */
  pick(service: number, list: readonly Pod[]): Pod;
  /** A try to `pod` left the worker. */
  tryStarted(pod: Pod): void;
  /** The outcome of a try to `pod` is back at the worker (a response, a refusal, a timeout, a kill). */
  tryEnded(pod: Pod): void;
}

/** The policy of one worker; `rng` is the ingress's pick stream, shared by its workers in event order. */
export function balancingPolicy(policy: Policy, services: number, rng: Rng): BalancingPolicy {
  switch (policy) {
    case 'round-robin':
      return new RoundRobin(services);
    case 'random':
      return new RandomPick(rng);
    case 'least-request':
      return new LeastRequest(rng);
  }
}

/** One position per service, advanced on every try, modulo the current list's length. */
class RoundRobin implements BalancingPolicy {
  readonly tracksTries = false;
  private readonly position: number[];

  constructor(services: number) {
    this.position = new Array<number>(services).fill(0);
  }

  pick(service: number, list: readonly Pod[]): Pod {
    return list[this.position[service]++ % list.length];
  }

  tryStarted(): void {}
  tryEnded(): void {}
}

class RandomPick implements BalancingPolicy {
  readonly tracksTries = false;

  constructor(private readonly rng: Rng) {}

  pick(_service: number, list: readonly Pod[]): Pod {
    return list[Math.floor(this.rng() * list.length)];
  }

  tryStarted(): void {}
  tryEnded(): void {}
}

export class LeastRequest implements BalancingPolicy {
  readonly tracksTries = true;
  /** Tries in flight from this worker, by pod id (ids are small and dense). */
  private readonly counts: number[] = [];

  constructor(private readonly rng: Rng) {}

  /** Tries in flight from this worker to `pod`. */
  inFlight(pod: Pod): number {
    return this.counts[pod.id] ?? 0;
  }

  pick(_service: number, list: readonly Pod[]): Pod {
    let best = Infinity;
    let ties = 0;
    for (const p of list) {
      const n = this.inFlight(p);
      if (n < best) {
        best = n;
        ties = 1;
      } else if (n === best) ties++;
    }
    let k = ties > 1 ? Math.floor(this.rng() * ties) : 0;
    for (const p of list) if (this.inFlight(p) === best && k-- === 0) return p;
    throw new Error('unreachable: least-request found no backend');
  }

  tryStarted(pod: Pod): void {
    while (this.counts.length <= pod.id) this.counts.push(0);
    this.counts[pod.id]++;
  }

  tryEnded(pod: Pod): void {
    this.counts[pod.id]--;
  }
}
