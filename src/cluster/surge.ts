/**
 * Surge rotation (replicate first, as an MTD controller that applies a new
 * Deployment does): every interval it creates the replacement as a pod
 * outside the ReplicaSet's count, polls it every `pollInterval` until it is
 * Running or Ready (`waitFor`), waits `settle` more seconds and deletes the
 * victim, without replacement: the new pod takes its place in the count. A
 * new pod not up within `timeout` is deleted and the swap abandoned. The
 * next interval runs from the swap's end, or from its start (`from`).
 */
import type { Rng } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Diversifier as DiversifierSettings } from '../schema/schema.ts';
import type { Deployment } from './deployment.ts';
import { Kind } from '../schema/event-kinds.ts';
import { firstTick, nextInterval } from './interval.ts';
import type { Pod } from './pod.ts';

interface Swap {
  readonly victim: Pod;
  readonly fresh: Pod;
  readonly start: number;
}

export class Surge {
  effectiveKills = 0;
  ignoredKills = 0;
  rotations = 0;
  abandoned = 0;
  swapTime = 0;
  timedSwaps = 0;
  private swap: Swap | null = null;

  constructor(
    private readonly sim: Simulation,
    private readonly deployment: Deployment,
    private readonly settings: DiversifierSettings,
    private readonly victimRng: Rng,
    private readonly jitterRng: Rng,
  ) {}

  start(): void {
    firstTick(this.sim, this.settings, this.deployment, this.tick);
  }

  private readonly tick = (): void => {
    const victim = this.choose();
    if (victim === null) return this.next(this.sim.now);
    const fresh = this.deployment.create(true);
    this.swap = { victim, fresh, start: this.sim.now };
    this.poll();
  };

  private poll(): void {
    this.sim.after(this.settings.pollInterval, Kind.rotation, this.swap!.fresh.id, this.check, null);
  }

  private readonly check = (): void => {
    const { fresh, start } = this.swap!;
    const now = this.sim.now;
    const up = this.settings.waitFor === 'running' ? fresh.running <= now : fresh.ready <= now;
    if (up) {
      this.sim.after(this.settings.settle, Kind.rotation, fresh.id, this.finish, null);
    } else if (now - start >= this.settings.timeout) {
      this.deployment.delete(fresh, false);
      this.abandoned++;
      this.swap = null;
      this.next(start);
    } else this.poll();
  };

  private readonly finish = (): void => {
    const { victim, fresh, start } = this.swap!;
    this.swap = null;
    this.deployment.adopt(fresh);
    if (this.deployment.delete(victim, false)) this.effectiveKills++;
    else this.ignoredKills++; // someone else deleted it meanwhile; the ReplicaSet replaced it
    this.rotations++;
    this.swapTime += this.sim.now - start;
    this.timedSwaps++;
    this.next(start);
  };

  /** Schedules the next swap, from the end of this one (now) or its start. */
  private next(start: number): void {
    const from = this.settings.from === 'start' ? start : this.sim.now;
    const t = Math.max(this.sim.now, from + nextInterval(this.settings, this.jitterRng));
    this.sim.at(t, Kind.diversifierTick, this.deployment.created, this.tick, null);
  }

  /** The victim: a counted pod that is not Terminating, by `select` (`any` and `ready` alike, as Terminating pods are not swapped). */
  private choose(): Pod | null {
    const pods = this.deployment.pods.filter((p) => !p.terminating && !this.deployment.outside.has(p));
    if (pods.length === 0) return null;
    if (this.settings.select === 'oldest') return pods[0];
    return pods[Math.floor(this.victimRng() * pods.length)];
  }
}
