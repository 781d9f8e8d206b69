/**
 * The TODO application inside every pod, and its database: lookups find a
 * parent inserted before they reach the database; inserts of malicious
 * records succeed only on a vulnerable implementation (docs/model.md section 6).
 */
import type { Pod } from '../cluster/pod.ts';
import type { Application, Request } from '../cluster/request.ts';
import type { WorkRecord } from './records.ts';

export type Step = 'lookup' | 'insert';

export interface Call {
  readonly record: WorkRecord;
  readonly step: Step;
}

export const Status = { ok: 200, created: 201, badRequest: 400, notFound: 404 } as const;

export class TodoApplication implements Application<Call> {
  /** Tables that lookups search: inserted users and projects, by name. */
  private readonly users = new Set<string>();
  private readonly projects = new Set<string>();

  serve(req: Request<Call>, pod: Pod): number {
    const { record, step } = req.payload;
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
