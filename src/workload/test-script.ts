/**
 * The paper's test script: T threads replay their records one at a time,
 * waiting `pace` after each record but the last; a project or task first
 * looks up its parent and is inserted only if found. Every record ends with
 * exactly one outcome (docs/model.md section 6). The run ends at the last
 * response.
 */
import { Kind } from '../schema/event-kinds.ts';
import type { Actor, Cluster } from '../cluster/cluster.ts';
import { isFailure, newRequest, Status, type Client, type Request, type Via } from '../cluster/request.ts';
import type { Simulation } from '../engine/simulation.ts';
import { zeroOutcomes, type OutcomeCounts, type RequestCounts } from '../metrics/run-metrics.ts';
import type { FailureCause, Outcome, RecordType } from '../schema/metric-names.ts';
import type { Scenario } from '../schema/schema.ts';
import { workloadServices } from '../schema/workload-services.ts';
import type { Call, Step } from './application.ts';
import type { ThreadRecords, WorkRecord } from './records.ts';
import { ResponseStats } from './response-stats.ts';

interface Route {
  readonly service: number;
  readonly via: Via;
}

export class TestScript implements Client, Actor {
  readonly counts: RequestCounts & { byCause: Partial<Record<FailureCause, number>> } = { requests: 0, failed: 0, insertRequests: 0, failedInserts: 0, byCause: {} };
  readonly outcomes: OutcomeCounts = { user: zeroOutcomes(), project: zeroOutcomes(), task: zeroOutcomes() };
  /** Latencies and failures as every workload reports them. */
  readonly stats = new ResponseStats();
  /** Every request and every record, when tracing. */
  readonly trace: Request<Call>[] | null;
  readonly recordTrace: WorkRecord[] | null;
  endTime = NaN;
  /** Each thread's next record, waiting for its pace to end. */
  private readonly upcoming: (WorkRecord | null)[];
  private running = 0;
  private readonly routes: Record<RecordType, Record<Step, Route>>;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: Cluster,
    scenario: Scenario,
    private readonly threads: readonly ThreadRecords[],
    trace: boolean,
  ) {
    this.trace = trace ? [] : null;
    this.recordTrace = trace ? [] : null;
    this.upcoming = threads.map(() => null);
    const via = scenario.workload.via;
    const route = (service: string, v: Via): Route => ({ service: cluster.serviceIndex(service), via: v });
    this.routes = {
      user: { lookup: route(workloadServices.user, 'ingress'), insert: route(workloadServices.user, via.user.insert) },
      project: { lookup: route(workloadServices.user, via.project.lookup), insert: route(workloadServices.project, via.project.insert) },
      task: { lookup: route(workloadServices.project, via.task.lookup), insert: route(workloadServices.task, via.task.insert) },
    };
    this.pace = scenario.workload.pace;
  }

  private readonly pace: number;

  /** Starts every thread now (at t0). */
  start(): void {
    for (const source of this.threads) {
      const first = source.next();
      if (first === null) continue;
      this.running++;
      this.begin(first);
    }
    if (this.running === 0) this.finish();
  }

  private begin(record: WorkRecord): void {
    record.start = this.sim.now;
    this.recordTrace?.push(record);
    this.send(record, record.type === 'user' ? 'insert' : 'lookup');
  }

  private send(record: WorkRecord, step: Step): void {
    const r = this.routes[record.type][step];
    const req = newRequest<Call>(this.cluster.requestId(), this, r.service, r.via, this.sim.now, { record, step });
    this.trace?.push(req);
    this.cluster.send(req);
  }

  /** A response reached the client. */
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
      return this.complete(record, 'failed');
    }
    if (step === 'lookup') {
      if (req.status === Status.notFound) return this.complete(record, 'orphaned');
      return this.send(record, 'insert');
    }
    if (req.status === Status.badRequest) return this.complete(record, 'rejected');
    this.complete(record, record.malicious ? 'inserted_malicious' : 'inserted_clean');
  };

  private complete(record: WorkRecord, outcome: Outcome): void {
    if (record.outcome !== null) throw new Error(`record ${record.id} got a second outcome`);
    record.outcome = outcome;
    record.end = this.sim.now;
    this.outcomes[record.type][outcome]++;
    const t = record.thread;
    const next = this.threads[t].next();
    if (next !== null) {
      this.upcoming[t] = next; // the pace wait follows every record but a thread's last
      this.sim.after(this.pace, Kind.threadNext, t, this.beginUpcoming, t);
    } else if (--this.running === 0) this.finish();
  }

  private readonly beginUpcoming = (thread: number): void => {
    const record = this.upcoming[thread]!;
    this.upcoming[thread] = null;
    this.begin(record);
  };

  private finish(): void {
    this.endTime = this.sim.now;
    this.sim.stop();
  }
}
