/**
 * The test script's records, laid out per thread (MODEL.md section 6): users
 * go round-robin to threads; a thread handles each of its users, then each
 * of its projects followed by all of that project's tasks.
 */
import type { Outcome, RecordType } from '../metrics/names.ts';
import type { Dataset } from './dataset.ts';

export interface WorkRecord {
  /** Global index, in thread-major order. */
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

export function recordsPerThread(dataset: Dataset, threads: number): WorkRecord[][] {
  const perThread: WorkRecord[][] = Array.from({ length: threads }, () => []);
  let id = 0;
  const push = (thread: number, type: RecordType, name: string, parent: string, malicious: boolean) =>
    perThread[thread].push({ id: 0, thread, type, name, parent, malicious, outcome: null, start: NaN, end: NaN });
  dataset.forEach((user, i) => {
    const t = i % threads;
    push(t, 'user', user.name, '', user.malicious);
    for (const project of user.projects) {
      push(t, 'project', project.name, user.name, project.malicious);
      for (const task of project.tasks) push(t, 'task', task.name, project.name, task.malicious);
    }
  });
  for (const list of perThread) for (const r of list) (r as { id: number }).id = id++;
  return perThread;
}
