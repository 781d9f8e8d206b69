/**
 * Lifecycle signals of the cluster's pods and requests, for observers (an
 * attacker's foothold dies with its pod; a test checks an invariant). A
 * signal calls its observers synchronously, in the order they subscribed,
 * inside the event that changed the state: observing draws nothing and
 * changes no result. It adds no event either, except `listening`, which
 * is an event of its own once the actors have started (then scheduled only
 * while observed, so an observer of it adds events to the fingerprint).
 */
import type { Pod } from './pod.ts';
import type { Request } from './request.ts';

export class Signal<T> {
  private readonly observers: ((x: T) => void)[] = [];

  on(observer: (x: T) => void): void {
    this.observers.push(observer);
  }

  get observed(): boolean {
    return this.observers.length > 0;
  }

  emit(x: T): void {
    for (const o of this.observers) o(x);
  }
}

/** What happens to a pod, in the order of its timeline (docs/model.md section 3). */
export class PodSignals {
  /** The ReplicaSet (or a rotation) created it. */
  readonly created = new Signal<Pod>();
  /** Its application accepts connections (pod.listening). Only signalled while observed, from when the observer subscribed. */
  readonly listening = new Signal<Pod>();
  /** The kubelet reported it Ready. */
  readonly ready = new Signal<Pod>();
  /** It was deleted: Terminating from now. */
  readonly deleted = new Signal<Pod>();
  /** It stopped running (ts), after the requests it held failed. */
  readonly gone = new Signal<Pod>();
}

export class RequestSignals {
  /** A try reached a pod that refused it (not listening) or was gone (no answer: it will time out); req.pod is that pod. */
  readonly tryFailed = new Signal<Request>();
}
