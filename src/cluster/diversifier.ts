/**
 * The diversifier of one service (docs/model.md section 5): every interval it
 * deletes a randomly chosen pod. With `select: any` it may pick a pod that is
 * already Terminating (label-selector lists include them); Kubernetes ignores
 * that deletion, counted as an ignored kill.
 */
import type { Rng } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Diversifier as DiversifierSettings } from '../schema/schema.ts';
import type { Deployment } from './deployment.ts';
import { Kind } from '../schema/event-kinds.ts';
import type { Pod } from './pod.ts';
import { firstTick, nextInterval } from './interval.ts';
import { chooseVictim } from './victim.ts';

export class Diversifier {
  effectiveKills = 0;
  ignoredKills = 0;
  readonly abandoned = 0;
  readonly swapTime = 0;
  readonly timedSwaps = 0;

  get rotations(): number {
    return this.effectiveKills;
  }

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
    if (victim !== null) {
      if (this.deployment.delete(victim)) this.effectiveKills++;
      else this.ignoredKills++;
    }
    // kubectl delete waits for the pod to be gone, also after an ignored pick. A drain's exit is not known
    // while it drains, nor before its SIGTERM (a kubelet delay or a preStop hook): wait for the exit itself.
    if (this.settings.waitForDeletion && victim !== null && (victim.draining || (victim.settings.sigterm === 'drain' && victim.signalled > this.sim.now))) {
      return this.deployment.whenGone(victim, this.next);
    }
    const from = this.settings.waitForDeletion && victim !== null ? victim.gone : this.sim.now;
    this.sim.at(from + this.interval(), Kind.diversifierTick, this.deployment.created, this.tick, null);
  };

  private readonly next = (): void => {
    this.sim.at(this.sim.now + this.interval(), Kind.diversifierTick, this.deployment.created, this.tick, null);
  };

  private interval(): number {
    return nextInterval(this.settings, this.jitterRng);
  }

  private choose(): Pod | null {
    return chooseVictim(this.settings.select, this.deployment.pods, this.victimRng); // existing pods in creation order
  }
}
