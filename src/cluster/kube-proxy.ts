/**
 * kube-proxy's view of one Service (iptables mode): Ready endpoints, updated
 * proxy.syncDelay after each slice change, picked uniformly per connection.
 * With no Ready endpoint it falls back to the Terminating pods it has heard
 * of that were Ready before their deletion and are not gone (README, "kube-proxy").
 *
 * "Were Ready before deletion" is the pod's own state (tr < td): the
 * deletion's slice change carries it as the EndpointSlice's `serving`
 * condition, so kube-proxy knows it as soon as it hears of the deletion, even
 * when it never heard of the Ready change (the deletion overtook it, in the
 * slice or in kube-proxy's own sync). "Not gone" is the pod's own state too (t < ts).
 */
import type { Sampler } from '../engine/distributions.ts';
import type { Rng } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import { Kind } from '../schema/event-kinds.ts';
import type { Pod } from './pod.ts';

export class KubeProxy {
  private ready: Pod[] = [];
  private readonly terminating: Pod[] = [];
  /** Pods whose Ready change is on its way to the view, and those of them whose deletion got there first. */
  private readonly readyInFlight = new Set<Pod>();
  private readonly overtaken = new Set<Pod>();
  /** Called after a Ready pod entered the view (the cluster waits for LoadBalancer views before t0). */
  onReady: (() => void) | null = null;

  constructor(
    private readonly sim: Simulation,
    private readonly syncDelay: Sampler,
    private readonly syncRng: Rng,
    private readonly pickRng: Rng,
  ) {}

  /**
   * A slice change; the view follows after its own delay. Every change draws
   * its delay (one draw per slice change). A Ready change that did not alter
   * the slice changes nothing; every deletion is heard (its `serving`
   * condition can make the pod a fallback candidate).
   */
  sliceChanged(pod: Pod, change: 'ready' | 'deleted', effective: boolean): void {
    const delay = this.syncDelay.sample(this.syncRng);
    if (change === 'ready' && !effective) return;
    if (change === 'ready') this.readyInFlight.add(pod);
    const handler = change === 'ready' ? this.applyReady : this.applyDeleted;
    this.sim.after(delay, Kind.proxySync, pod.id, handler, pod);
  }

  /** Pods the view keeps track of besides its lists (tests: only changes still in flight). */
  get remembered(): number {
    return this.readyInFlight.size + this.overtaken.size;
  }

  /** The backend of a new connection, or null when it is rejected. */
  pick(now: number): Pod | null {
    if (this.ready.length > 0) return this.ready[Math.floor(this.pickRng() * this.ready.length)];
    dropGone(this.terminating, now);
    const n = this.terminating.length;
    return n > 0 ? this.terminating[Math.floor(this.pickRng() * n)] : null;
  }

  private readonly applyReady = (pod: Pod): void => {
    this.readyInFlight.delete(pod);
    if (this.overtaken.delete(pod)) return; // its deletion overtook it
    let i = this.ready.length;
    while (i > 0 && this.ready[i - 1].id > pod.id) i--;
    this.ready.splice(i, 0, pod);
    this.onReady?.();
  };

  /** The Ready pods it picks among, in creation order. */
  get view(): readonly Pod[] {
    return this.ready;
  }

  private readonly applyDeleted = (pod: Pod): void => {
    // Remembered only while its Ready change is still coming: a set of every deleted pod grew with the run.
    if (this.readyInFlight.has(pod)) this.overtaken.add(pod);
    const i = this.ready.indexOf(pod);
    if (i >= 0) this.ready.splice(i, 1);
    // Serving when deleted: Ready before its deletion (pod.ready is Infinity for a pod deleted before Ready).
    if (pod.ready < pod.deleted) {
      dropGone(this.terminating, this.sim.now);
      this.terminating.push(pod);
    }
  };
}

/**
 * Removes the pods gone by `now`, in place, keeping the order: fallback
 * candidates must not pile up over a run of many rotations (and a pick
 * must not allocate).
 */
function dropGone(pods: Pod[], now: number): void {
  let k = 0;
  for (const p of pods) if (p.gone > now) pods[k++] = p;
  if (k < pods.length) pods.length = k;
}
