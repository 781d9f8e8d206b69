/**
 * An HTTP request as the cluster sees it. The payload is the client's and
 * the application's business (records, database); the cluster only routes.
 */
import type { EventHandle } from '../engine/simulation.ts';
import type { FailureCause } from '../schema/metric-names.ts';
import type { Pod } from './pod.ts';

/** loadBalancer: a Service of type LoadBalancer or NodePort reached from outside (client -> node -> kube-proxy -> pod). */
export type Via = 'ingress' | 'clusterIP' | 'loadBalancer';

/** Whoever sent a request: hears its response (each actor on the cluster is one). */
export interface Client {
  receive(req: Request): void;
  /**
   * The client's reaction to a response depends on nothing but the response:
   * the router hands it over as soon as it knows when it arrives (`req.end`,
   * possibly later than now), and the client sends what follows with `sent`
   * at or after that time. This saves the arrival event; the trajectory is
   * the same.
   */
  readonly hearsAhead?: boolean;
}

export interface Request<P = unknown> {
  readonly id: number;
  /** Where the response goes. */
  readonly client: Client;
  /** Index of the target service in the cluster. */
  readonly service: number;
  readonly via: Via;
  /** When the client sends it (now, or later for a client that hears ahead). */
  readonly sent: number;
  readonly payload: P;
  /** Ingress worker handling it; the node for loadBalancer; 0 for clusterIP. */
  worker: number;
  tries: number;
  /** When the current try left the ingress (or the client, via clusterIP). */
  trySent: number;
  /** The pod of the current or last try. */
  pod: Pod | null;
  /** HTTP status once answered, 0 before. */
  status: number;
  cause: FailureCause | '';
  /** When the response reached the client. */
  end: number;
  /** Drawn on acceptance: the request will fail with 500 (noise). */
  noisy: boolean;
  /** The current try left an ingress worker and its outcome is not back there yet (the balancing policy hears both). */
  counted: boolean;
  /** The end of its service, while being served (-1 otherwise). */
  serviceEvent: EventHandle;
}

/** The application inside the pods: decides the status of a served request. */
export interface Application<P = unknown> {
  serve(req: Request<P>, pod: Pod): number;
}

export function newRequest<P>(id: number, client: Client, service: number, via: Via, sent: number, payload: P): Request<P> {
  return {
    id, client, service, via, sent, payload,
    worker: 0, tries: 0, trySent: sent, pod: null, status: 0, cause: '', end: 0, noisy: false, counted: false, serviceEvent: -1,
  };
}

/** The HTTP statuses the application answers with. */
export const Status = { ok: 200, created: 201, badRequest: 400, notFound: 404 } as const;

export const isFailure = (status: number): boolean => status >= 500;
