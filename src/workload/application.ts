/**
 * The TODO application inside every pod, and its database: lookups find a
 * parent inserted before they reach the database; inserts of malicious
 * records succeed only on a vulnerable implementation (docs/model.md section 6).
 * An attacker's exploit succeeds on a vulnerable implementation too; a probe
 * is answered by any (its response tells the implementation apart).
 */
import type { Pod } from '../cluster/pod.ts';
import { isExploit, type Exploit } from '../cluster/exploit.ts';
import { Status, type Application, type Request } from '../cluster/request.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { WorkRecord } from './records.ts';

export type Step = 'lookup' | 'insert';

export interface Call {
  readonly record: WorkRecord;
  readonly step: Step;
}

export class TodoApplication implements Application<Call | Exploit> {
  /** Tables that lookups search: inserted users and projects, by name. */
  private readonly users = new Set<string>();
  private readonly projects = new Set<string>();

  /** `sim` stamps when exploits are handled (only attackers need it). */
  constructor(private readonly sim?: Simulation) {}

  serve(req: Request<Call | Exploit>, pod: Pod): number {
    const p = req.payload;
    if (isExploit(p)) {
      p.handledAt = this.sim?.now ?? NaN;
      if (p.probe) return Status.ok;
      return pod.implementation.vulnerable ? Status.created : Status.badRequest;
    }
    const { record, step } = p;
    if (step === 'lookup') {
      const table = record.type === 'project' ? this.users : this.projects;
      return table.has(record.parent) ? Status.ok : Status.notFound;
    }
    if (record.malicious && !pod.implementation.vulnerable) return Status.badRequest;
    if (record.type === 'user') this.users.add(record.name);
    else if (record.type === 'project') this.projects.add(record.name);
    return Status.created;
  }
}
