/**
 * The paper's test script: T threads replay their records one at a time,
 * waiting `pace` after each record but the last; a project or task first
 * looks up its parent and is inserted only if found. Every record ends with
 * exactly one outcome (docs/model.md section 6). The run ends at the last
 * response.
 *
 * The script hears its responses ahead (`Client.hearsAhead`): what it does
 * next depends only on the response, so it acts as soon as the router knows
 * when the response arrives, sending the next request with that time (plus
 * the pace). No event marks a response's arrival or a pace's end; the
 * requests leave at the same instants as if one did.
 */
import { Kind } from '../schema/event-kinds.ts';
import type { Actor, Cluster } from '../cluster/cluster.ts';
import { isFailure, newRequest, Status, type Client, type Request, type Via } from '../cluster/request.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { OutcomeCounts, RequestCounts } from '../metrics/run-metrics.ts';
import { outcomes, recordTypes, type FailureCause, type Outcome, type RecordType } from '../schema/metric-names.ts';
import type { Scenario } from '../schema/schema.ts';
import { workloadServices } from '../schema/workload-services.ts';
import type { Call, Step } from './application.ts';
import type { ThreadRecords, WorkRecord } from './records.ts';
import { ResponseStats } from './response-stats.ts';
import { mapped } from '../util/arrays.ts';

interface Route {
  readonly service: number;
  readonly via: Via;
}

export class TestScript implements Client, Actor {
  readonly counts: RequestCounts & { byCause: Partial<Record<FailureCause, number>> } = { requests: 0, failed: 0, insertRequests: 0, failedInserts: 0, byCause: {} };
  /** Outcomes by record type and outcome index: a count keyed by two strings was, per record, a megamorphic lookup. */
  private readonly tally = new Int32Array(recordTypes.length * outcomes.length);
  /** Latencies and failures as every workload reports them. */
  readonly stats = new ResponseStats();
  /** Every request and every record, when tracing. */
  readonly trace: Request<Call>[] | null;
  readonly recordTrace: WorkRecord[] | null;
  endTime = NaN;
  private running = 0;
  /** By record type index, then lookup (0) or insert (1). */
  private readonly routes: readonly (readonly [Route, Route])[];

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: Cluster,
    scenario: Scenario,
    private readonly threads: readonly ThreadRecords[],
    trace: boolean,
    /** False in tests: every response then arrives at an event of its own, and so does each pace's end (the script as it was). */
    readonly hearsAhead = true,
  ) {
    this.trace = trace ? [] : null;
    this.recordTrace = trace ? [] : null;
    const via = scenario.workload.via;
    const route = (service: string, v: Via): Route => ({ service: cluster.serviceIndex(service), via: v });
    const routes: Record<RecordType, [Route, Route]> = {
      user: [route(workloadServices.user, 'ingress'), route(workloadServices.user, via.user.insert)],
      project: [route(workloadServices.user, via.project.lookup), route(workloadServices.project, via.project.insert)],
      task: [route(workloadServices.project, via.task.lookup), route(workloadServices.task, via.task.insert)],
    };
    this.routes = mapped(recordTypes, (t) => routes[t]);
    this.pace = scenario.workload.pace;
  }

  private readonly pace: number;

  /** Starts every thread now (at t0). */
  start(): void {
    for (const source of this.threads) {
      const first = source.next();
      if (first === null) continue;
      this.running++;
      this.begin(first, this.sim.now);
    }
    if (this.running === 0) {
      this.endTime = this.sim.now;
      this.sim.stop();
    }
  }

  private begin(record: WorkRecord, at: number): void {
    record.start = at;
    this.recordTrace?.push(record);
    this.send(record, record.type === 'user' ? 'insert' : 'lookup', at);
  }

  private send(record: WorkRecord, step: Step, at: number): void {
    const r = this.routes[recordTypes.indexOf(record.type)][step === 'lookup' ? 0 : 1];
    const req = newRequest<Call>(this.cluster.requestId(), this, r.service, r.via, at, { record, step });
    this.trace?.push(req);
    this.cluster.send(req);
  }

  /** A response reaches the client at req.end (now or later). */
  readonly receive = (req: Request): void => {
    const { record, step } = (req as Request<Call>).payload;
    const failed = isFailure(req.status);
    this.stats.response(req);
    const c = this.counts;
    c.requests++;
    if (step === 'insert') c.insertRequests++;
    if (failed) {
      c.failed++;
      if (step === 'insert') c.failedInserts++;
      if (req.cause !== '') c.byCause[req.cause] = (c.byCause[req.cause] ?? 0) + 1;
      return this.complete(record, 'failed', req.end);
    }
    if (step === 'lookup') {
      if (req.status === Status.notFound) return this.complete(record, 'orphaned', req.end);
      return this.send(record, 'insert', req.end);
    }
    if (req.status === Status.badRequest) return this.complete(record, 'rejected', req.end);
    this.complete(record, record.malicious ? 'inserted_malicious' : 'inserted_clean', req.end);
  };

  private complete(record: WorkRecord, outcome: Outcome, at: number): void {
    if (record.outcome !== null) throw new Error(`record ${record.id} got a second outcome`);
    record.outcome = outcome;
    record.end = at;
    this.tally[recordTypes.indexOf(record.type) * outcomes.length + outcomes.indexOf(outcome)]++;
    const next = this.threads[record.thread].next();
    // The pace wait follows every record but a thread's last; without hearing ahead (tests), it is an event.
    if (next === null) {
      if (--this.running === 0) this.finish(at);
    } else if (this.hearsAhead) this.begin(next, at + this.pace);
    else this.sim.at(at + this.pace, Kind.threadNext, record.thread, this.beginNow, next);
  }

  private readonly beginNow = (record: WorkRecord): void => {
    this.begin(record, this.sim.now);
  };

  /** Each record type's outcome counts. */
  get outcomes(): OutcomeCounts {
    const byType = (t: number) => Object.fromEntries(outcomes.map((o, i) => [o, this.tally[t * outcomes.length + i]])) as Record<Outcome, number>;
    return Object.fromEntries(recordTypes.map((t, i) => [t, byType(i)])) as OutcomeCounts;
  }

  /** The run ends when the last response arrives (an event then, as its arrival would have been). */
  private finish(at: number): void {
    this.endTime = at;
    this.sim.at(at, Kind.scriptEnd, 0, this.stop, null);
  }

  private readonly stop = (): void => {
    this.sim.stop();
  };
}
