/**
 * A pod: one replica of a Deployment running one implementation. Its
 * timeline (docs/model.md section 3) is fixed at creation except for deletion:
 *   created <= running (container up) <= listening (application accepts)
 *   ready: when the kubelet reports Ready (Infinity if never)
 *   deleted (Terminating from then) <= signalled (SIGTERM) <= closed (listener closed) <= gone (network torn down).
 * With `sigterm: drain` the listener closes at SIGTERM and the pod is gone as
 * soon as it holds no request, at the latest at its deadline; with `exit` and
 * `ignore` it listens until it is gone.
 */
import type { EventHandle } from '../engine/simulation.ts';
import type { ImplementationSettings, PodSettings } from './settings.ts';

/** A request as a pod holds it: the router's Request is one. */
export interface Held {
  /** The end of its service, while being served. */
  serviceEvent: EventHandle;
}

export class Pod {
  /** Ready transition time; Infinity until known and if deleted before it. */
  ready = Infinity;
  deleted = Infinity;
  gone = Infinity;
  /** SIGTERM: the deletion, plus the kubelet's delay and the preStop hook. */
  signalled = Infinity;
  /** From then a new connection is refused: SIGTERM with `drain`, `gone` with `exit` and `ignore`. */
  closed = Infinity;
  /** Draining (`sigterm: drain`, deleted, not gone): it exits as soon as it holds no request. */
  draining = false;
  /** The scheduled podGone event (a drain can bring it forward). */
  goneEvent: EventHandle = -1;
  /** When the pod entered and left ingress worker 0's backend list (traces, invariants). */
  endpointsIn = Infinity;
  endpointsOut = Infinity;
  /** The EndpointSlice holds it (Ready change arrived, deletion not yet). */
  inSlice = false;
  /** Its deletion has reached the EndpointSlice: it can never (re-)enter. */
  sliceDeleted = false;
  /**
   * Requests being served, and those waiting for a slot (FIFO from
   * waitingHead). The router's requests; typed here only as what they are to
   * a pod, so that pod.ts need not import request.ts (which names Pod).
   */
  readonly serving: Held[] = [];
  readonly waiting: Held[] = [];
  waitingHead = 0;

  constructor(
    readonly id: number,
    readonly service: string,
    readonly implementation: ImplementationSettings,
    readonly settings: PodSettings,
    readonly created: number,
    readonly running: number,
    readonly listening: number,
  ) {}

  get terminating(): boolean {
    return this.deleted !== Infinity;
  }

  /** The instant the kubelet would report Ready, before any deletion. */
  readyTime(): number {
    const s = this.settings;
    if (s.readiness === 'none') return this.running;
    // Probes at running + initialDelay + k * period; Ready at the first one at or after listening.
    const first = this.running + s.initialDelay;
    if (first >= this.listening) return first;
    let t = first + Math.ceil((this.listening - first) / s.probePeriod) * s.probePeriod;
    if (t < this.listening) t += s.probePeriod; // guards floating-point rounding
    return t;
  }

  /** Whether requests are being served or wait for a slot. */
  holdsRequests(): boolean {
    return this.serving.length > 0 || this.waitingHead < this.waiting.length;
  }

  /**
   * The deletion now: when SIGTERM comes, when the listener closes and the
   * latest instant the pod is gone. The kubelet acts `kubeletDelay` after the
   * deletion; it runs the preStop sleep (the pod keeps serving), then sends
   * SIGTERM, at the latest at the end of the grace period, which it counts
   * from when it acted (pkg/kubelet/kuberuntime/kuberuntime_container.go
   * killContainer: the hook's time comes off the grace, which stays at least
   * 2 s after a hook). From SIGTERM an application that drains has closed
   * its listener; one that exits or ignores it listens until it is gone.
   * Returns whether SIGTERM comes later than now (the deployment then
   * schedules it); when it comes now, a draining pod that holds no request
   * exits at once.
   */
  terminate(now: number, kubeletDelay = 0): boolean {
    const s = this.settings;
    const hook = Math.min(s.preStop, s.grace);
    const remaining = hook > 0 ? Math.max(s.grace - hook, 2) : s.grace;
    this.deleted = now;
    this.signalled = now + kubeletDelay + hook;
    this.gone = this.stopTime(this.signalled, remaining);
    this.closed = s.sigterm === 'drain' ? this.signalled : this.gone;
    if (this.signalled > now) return true;
    if (s.sigterm === 'drain') {
      if (this.holdsRequests()) this.draining = true;
      else this.gone = now;
    }
    return false;
  }

  /** When a pod signalled at `t` with `grace` seconds left is gone at the latest (a draining pod may go earlier). */
  stopTime(t: number, grace = this.settings.grace): number {
    const s = this.settings;
    switch (s.sigterm) {
      case 'ignore':
        return t + grace;
      case 'exit':
        return t + Math.min(s.shutdownDelay, grace);
      case 'drain':
        return t + Math.min(s.drain, grace);
    }
  }
}
