/**
 * What a client saw of its requests, for every workload: how many, which
 * failed and why (cause, and the HTTP status when one came back), and the
 * latency of each successful one (from sending to the response).
 */
import { isFailure, type Request } from '../cluster/request.ts';
import type { FailureCause } from '../schema/metric-names.ts';

export class ResponseStats {
  requests = 0;
  failed = 0;
  readonly byCause: Partial<Record<FailureCause, number>> = {};
  /** Failed requests answered with an HTTP status (not a connection failure or the client's own timeout), by code. */
  readonly byStatus: Record<number, number> = {};
  /** Latency of every successful request (s), in completion order. */
  readonly latencies: number[] = [];

  /** A response (or a connection failure) reached the client at req.end. */
  response(req: Request): void {
    this.requests++;
    if (!isFailure(req.status)) {
      this.latencies.push(req.end - req.sent);
      return;
    }
    this.fail(req.cause === '' ? 'noise' : req.cause);
    if (req.via !== 'loadBalancer') this.byStatus[req.status] = (this.byStatus[req.status] ?? 0) + 1;
  }

  /** The client gave up waiting. */
  timedOut(): void {
    this.requests++;
    this.fail('client_timeout');
  }

  private fail(cause: FailureCause): void {
    this.failed++;
    this.byCause[cause] = (this.byCause[cause] ?? 0) + 1;
  }
}
