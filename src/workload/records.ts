/**
 * The test script's records, in the order each thread replays them
 * (docs/model.md section 6): users go round-robin to threads; a thread handles
 * each of its users, then each of its projects followed by all of that
 * project's tasks. Records are made one at a time as a thread reaches them,
 * so memory does not grow with the dataset.
 */
import type { Outcome, RecordType } from '../schema/metric-names.ts';
import type { Dataset, User } from '../dataset/dataset.ts';
import { arrayOf } from '../util/arrays.ts';

export interface WorkRecord {
  /** Index in thread-major order (all of thread 0's records, then thread 1's, ...). */
  readonly id: number;
  readonly thread: number;
  readonly type: RecordType;
  readonly name: string;
  /** Name of the parent (user of a project, project of a task); '' for users. */
  readonly parent: string;
  readonly malicious: boolean;
  outcome: Outcome | null;
  start: number;
  end: number;
}

/** One thread's records, produced in order. */
export class ThreadRecords {
  private user = 0;
  /** -1: the user record is next; else the project being replayed. */
  private project = -1;
  /** -1: the project record is next; else the next task. */
  private task = -1;
  private nextId: number;

  constructor(
    readonly thread: number,
    private readonly users: readonly User[],
    firstId: number,
  ) {
    this.nextId = firstId;
  }

  /** The next record, or null when the thread is done. */
  next(): WorkRecord | null {
    for (;;) {
      const u = this.users[this.user];
      if (u === undefined) return null;
      if (this.project < 0) {
        this.project = 0;
        return this.make('user', u.name, '', u.malicious);
      }
      const p = u.projects[this.project];
      if (p === undefined) {
        this.user++;
        this.project = -1;
        continue;
      }
      if (this.task < 0) {
        this.task = 0;
        return this.make('project', p.name, u.name, p.malicious);
      }
      const t = p.tasks[this.task++];
      if (t !== undefined) return this.make('task', t.name, p.name, t.malicious);
      this.project++;
      this.task = -1;
    }
  }

  private make(type: RecordType, name: string, parent: string, malicious: boolean): WorkRecord {
    return { id: this.nextId++, thread: this.thread, type, name, parent, malicious, outcome: null, start: NaN, end: NaN };
  }
}

/** Every thread's record source: thread t replays users t, t + T, t + 2T, ... */
export function threadRecords(dataset: Dataset, threads: number): ThreadRecords[] {
  let firstId = 0;
  return arrayOf(threads, (t) => {
    const users = arrayOf(Math.ceil((dataset.length - t) / threads), (k) => dataset[t + k * threads]);
    const source = new ThreadRecords(t, users, firstId);
    for (const u of users) firstId += 1 + u.projects.reduce((a, p) => a + 1 + p.tasks.length, 0);
    return source;
  });
}
