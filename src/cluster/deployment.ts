/**
 * A Deployment with its ReplicaSet: creates the pods, draws each one's
 * implementation and timeline, deletes pods on request and replaces every
 * effective deletion at once (a Terminating pod does not count as a replica,
 * docs/model.md section 3), and reports Ready changes and deletions to its
 * EndpointSlice after the propagation delay.
 */
import type { Simulation } from '../engine/simulation.ts';
import type { RandomStreams, Rng } from '../engine/random.ts';
import { Kind } from '../schema/event-kinds.ts';
import { EndpointSlice } from './endpoint-slice.ts';
import { Pod } from './pod.ts';
import type { ImplementationSettings, ServiceSettings } from './settings.ts';
import type { PodSignals } from './signals.ts';

export interface DeploymentHooks {
  /** A change reached the slice; `effective` when the slice's pod list changed. */
  sliceChanged(service: number, pod: Pod, change: 'ready' | 'deleted', effective: boolean): void;
  podGone(pod: Pod): void;
  podListening(pod: Pod): void;
}

/** Pod ids are global and follow creation order across services. */
export interface PodIds {
  next: number;
}

export class Deployment {
  /** Pods that exist (created, not gone), in creation order. */
  pods: Pod[] = [];
  /** Pods outside the ReplicaSet's count: a surge rotation's new pod until its victim is deleted. */
  readonly outside = new Set<Pod>();
  readonly slice = new EndpointSlice();
  created = 0;
  /** Schedule listening events: needed until the actors start, and after only while someone observes them. */
  watchListening = true;
  private readonly rng: { language: Rng; startup: Rng; containerStart: Rng; controller: Rng; endpoints: Rng; kubelet: Rng };
  private readonly totalWeight: number;

  constructor(
    private readonly sim: Simulation,
    streams: RandomStreams,
    /** Position of the service in the cluster. */
    readonly index: number,
    readonly settings: ServiceSettings,
    private readonly ids: PodIds,
    private readonly hooks: DeploymentHooks,
    private readonly signals: PodSignals,
    /** Every pod ever created, when tracing. */
    readonly history: Pod[] | null,
  ) {
    const n = settings.name;
    this.rng = {
      language: streams.stream(`language/${n}`),
      startup: streams.stream(`startup/${n}`),
      containerStart: streams.stream(`containerStart/${n}`),
      controller: streams.stream(`controller/${n}`),
      endpoints: streams.stream(`endpoints/${n}`),
      kubelet: streams.stream(`kubelet/${n}`),
    };
    this.totalWeight = settings.implementations.reduce((a, i) => a + i.weight, 0);
  }

  get name(): string {
    return this.settings.name;
  }

  /** Creates the initial replicas at the current time. */
  start(): void {
    for (let i = 0; i < this.settings.replicas; i++) this.createPod();
  }

  /** Pods that count as replicas: existing, not Terminating, not outside the count. */
  replicaCount(): number {
    let n = 0;
    for (const p of this.pods) if (!p.terminating && !this.outside.has(p)) n++;
    return n;
  }

  /** Creates a pod now; `outside` keeps it out of the ReplicaSet's count until adopt(). */
  create(outside: boolean): Pod {
    const pod = this.createPod();
    if (outside) this.outside.add(pod);
    return pod;
  }

  /** A pod outside the count joins it (its swap deleted the victim it replaces). */
  adopt(pod: Pod): void {
    this.outside.delete(pod);
  }

  /**
   * Deletes a pod now; false (a no-op) when it is already Terminating. The
   * ReplicaSet replaces it unless `replace` is false (a rotation that made
   * the replacement itself, or a pod outside the count).
   */
  delete(pod: Pod, replace = true): boolean {
    if (pod.terminating) return false;
    this.signals.deleted.emit(pod);
    const delay = this.settings.terminationDelay.sample(this.rng.kubelet);
    if (pod.terminate(this.sim.now, delay)) this.sim.at(pod.signalled, Kind.podSigterm, pod.id, this.onSigterm, pod);
    pod.goneEvent = this.sim.at(pod.gone, Kind.podGone, pod.id, this.onGone, pod);
    this.sim.after(this.settings.endpointSliceDelay.sample(this.rng.endpoints), Kind.sliceChange, pod.id, this.onSliceDelete, pod);
    if (replace && !this.outside.has(pod)) {
      this.sim.after(this.settings.controllerDelay.sample(this.rng.controller), Kind.podCreate, this.created, this.onCreate, null);
    }
    this.outside.delete(pod);
    return true;
  }

  /** A draining pod holds no more requests: it exits now instead of at its drain deadline. */
  drained(pod: Pod): void {
    if (!pod.draining) return;
    pod.draining = false;
    this.sim.cancel(pod.goneEvent);
    pod.gone = this.sim.now;
    pod.goneEvent = this.sim.at(pod.gone, Kind.podGone, pod.id, this.onGone, pod);
  }

  /** Calls `f` when `pod` is gone, after its requests failed (the diversifier's waitForDeletion). */
  whenGone(pod: Pod, f: () => void): void {
    const list = this.goneWaiters.get(pod);
    if (list) list.push(f);
    else this.goneWaiters.set(pod, [f]);
  }

  private readonly goneWaiters = new Map<Pod, (() => void)[]>();

  /** SIGTERM after the kubelet's delay and the preStop hook: a draining pod that holds nothing exits now. */
  private readonly onSigterm = (pod: Pod): void => {
    if (pod.settings.sigterm !== 'drain') return;
    pod.draining = true;
    if (!pod.holdsRequests()) this.drained(pod);
  };

  private readonly onCreate = (): void => {
    this.createPod();
  };

  private createPod(): Pod {
    const now = this.sim.now;
    const impl = this.drawImplementation();
    const startup = impl.startup.sample(this.rng.startup);
    const containerStart = Math.min(this.settings.containerStart.sample(this.rng.containerStart), startup);
    const pod = new Pod(this.ids.next++, this.name, impl, this.settings, now, now + containerStart, now + startup);
    this.created++;
    this.pods.push(pod);
    this.history?.push(pod);
    this.sim.at(pod.readyTime(), Kind.podReady, pod.id, this.onReady, pod);
    if (this.watchListening || this.signals.listening.observed) this.sim.at(pod.listening, Kind.podListen, pod.id, this.hooks.podListening, pod);
    this.signals.created.emit(pod);
    return pod;
  }

  private drawImplementation(): ImplementationSettings {
    const impls = this.settings.implementations;
    let u = this.rng.language() * this.totalWeight;
    for (const impl of impls) {
      if (u < impl.weight) return impl;
      u -= impl.weight;
    }
    // Rounding can leave u just above the last weight: take the last positive one.
    for (let i = impls.length - 1; i >= 0; i--) if (impls[i].weight > 0) return impls[i];
    return impls[impls.length - 1];
  }

  private readonly onReady = (pod: Pod): void => {
    if (pod.terminating) return; // deleted before Ready: never becomes Ready
    pod.ready = this.sim.now;
    this.signals.ready.emit(pod);
    this.sim.after(this.settings.endpointSliceDelay.sample(this.rng.endpoints), Kind.sliceChange, pod.id, this.onSliceReady, pod);
  };

  private readonly onSliceReady = (pod: Pod): void => {
    this.hooks.sliceChanged(this.index, pod, 'ready', this.slice.addReady(pod));
  };

  private readonly onSliceDelete = (pod: Pod): void => {
    this.hooks.sliceChanged(this.index, pod, 'deleted', this.slice.remove(pod));
  };

  private readonly onGone = (pod: Pod): void => {
    const i = this.pods.indexOf(pod);
    if (i >= 0) this.pods.splice(i, 1);
    pod.draining = false;
    this.hooks.podGone(pod);
    const waiters = this.goneWaiters.get(pod);
    if (waiters) {
      this.goneWaiters.delete(pod);
      for (const f of waiters) f();
    }
  };
}
