/**
 * Replications of one scenario (one cell), serially in this thread.
 * Replication r always uses the streams of index r, so any split of the
 * work across threads or machines gives the same results.
 */
import type { Scenario } from '../schema/schema.ts';
import { readDatasetFile } from '../dataset/dataset-file.ts';
import { generateDataset, type Dataset } from '../dataset/dataset.ts';
import { runReplication, type RunResult, type Trace } from './replication.ts';

export function loadDataset(s: Scenario): Dataset {
  const d = s.workload.dataset;
  return d.file !== undefined ? readDatasetFile(d.file) : generateDataset(d);
}

export interface CellRunOptions {
  /** Keep the trace of the first replication. */
  trace?: boolean;
  /** Called after each replication with the number done. */
  progress?: (done: number) => void;
}

export function runCell(scenario: Scenario, dataset: Dataset, reps: number, options: CellRunOptions = {}): RunResult[] {
  const results: RunResult[] = [];
  for (let r = 0; r < reps; r++) {
    results.push(runReplication(scenario, dataset, r, { trace: options.trace === true && r === 0 }));
    options.progress?.(r + 1);
  }
  return results;
}

/** The trace of one replication (the same run as in the sweep, recorded). */
export function traceReplication(scenario: Scenario, rep: number): Trace {
  const trace = runReplication(scenario, loadDataset(scenario), rep, { trace: true }).trace;
  if (!trace) throw new Error('traceReplication: the replication kept no trace');
  return trace;
}
