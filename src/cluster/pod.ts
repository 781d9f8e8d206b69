/**
 * A pod: one replica of a Deployment running one implementation. Its
 * timeline (MODEL.md section 3) is fixed at creation except for deletion:
 *   created <= running (container up) <= listening (application accepts)
 *   ready: when the kubelet reports Ready (Infinity if never)
 *   deleted (Terminating from then) <= gone (network torn down).
 */
import type { ImplementationSettings, PodSettings } from './settings.ts';
import type { Request } from './request.ts';

export class Pod {
  /** Ready transition time; Infinity until known and if deleted before it. */
  ready = Infinity;
  deleted = Infinity;
  gone = Infinity;
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

  /** When a pod deleted now stops listening and is gone. */
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
