/**
 * A pod: one replica of a Deployment running one implementation. Its
 * timeline (docs/model.md section 3) is fixed at creation except for deletion:
 *   created <= running (container up) <= listening (application accepts)
 *   ready: when the kubelet reports Ready (Infinity if never)
 *   deleted (Terminating from then) <= closed (listener closed) <= gone (network torn down).
 * With `sigterm: drain` the listener closes at the deletion and the pod is
 * gone as soon as it holds no request, at the latest at its drain deadline.
 */
import type { EventHandle } from '../engine/simulation.ts';
import type { ImplementationSettings, PodSettings } from './settings.ts';
import type { Request } from './request.ts';

export class Pod {
  /** Ready transition time; Infinity until known and if deleted before it. */
  ready = Infinity;
  deleted = Infinity;
  gone = Infinity;
  /** From then a new connection is refused: the deletion with `drain`, else `gone`. */
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
  /** Requests being served, and those waiting for a slot (FIFO from queueHead). */
  readonly serving: Request[] = [];
  readonly waiting: Request[] = [];
  waitingHead = 0;
  /** Tries in flight per ingress worker, for least-request. */
  inFlight: Int32Array | null = null;

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
   * SIGTERM now (the deletion): when the listener closes and the latest
   * instant the pod is gone. A draining pod that holds no request exits at once.
   */
  terminate(now: number): void {
    this.deleted = now;
    this.gone = this.stopTime(now);
    if (this.settings.sigterm === 'drain') {
      this.closed = now;
      if (this.holdsRequests()) this.draining = true;
      else this.gone = now;
    } else this.closed = this.gone;
  }

  /** When a pod deleted now is gone at the latest (a draining pod may go earlier). */
  stopTime(now: number): number {
    const s = this.settings;
    switch (s.sigterm) {
      case 'ignore':
        return now + s.grace;
      case 'exit':
        return now + Math.min(s.shutdownDelay, s.grace);
      case 'drain':
        return now + Math.min(s.drain, s.grace);
    }
  }
}
