/**
 * Running one unit (a block of replications of one cell) in the current
 * thread: what a worker does per message, and what the main thread does when
 * it runs the sweep alone. Replication r always uses the streams of index r.
 */
import type { Scenario } from '../schema/schema.ts';
import type { Dataset } from '../dataset/dataset.ts';
import { runReplication } from './replication.ts';
import { RunLimitError } from './run-limit-error.ts';
import { loadDataset } from './run.ts';
import type { Unit } from './units.ts';

export interface UnitResult {
  unit: Unit;
  /** Row-major: replication from + k has its metrics at [k * width, (k + 1) * width). */
  metrics: Float64Array;
  width: number;
  fingerprints: string[];
}

/** A replication that threw, with where it happened; `limit` names the setting when a limit stopped it (a user error, not a bug). */
export class ReplicationError extends Error {
  constructor(
    readonly cell: number,
    readonly rep: number,
    readonly reason: string,
    readonly limit?: string,
  ) {
    super(`replication ${rep} of cell ${cell} failed: ${reason}`);
    this.name = 'ReplicationError';
  }
}

/** The dataset of the last cell seen: consecutive units mostly share it, and generating it is not free. */
export class DatasetCache {
  private key = '';
  private dataset: Dataset | undefined;

  get(s: Scenario): Dataset {
    const key = JSON.stringify(s.workload.dataset);
    if (this.dataset === undefined || key !== this.key) [this.key, this.dataset] = [key, loadDataset(s)];
    return this.dataset;
  }
}

export function runUnit(scenario: Scenario, unit: Unit, datasets: DatasetCache): UnitResult {
  const dataset = datasets.get(scenario);
  const fingerprints: string[] = [];
  let metrics: Float64Array | undefined;
  let width = 0;
  for (let rep = unit.from; rep < unit.to; rep++) {
    let r;
    try {
      r = runReplication(scenario, dataset, rep);
    } catch (e) {
      const error = new ReplicationError(unit.cell, rep, e instanceof Error ? e.message : String(e), e instanceof RunLimitError ? e.path : undefined);
      if (e instanceof Error && !(e instanceof RunLimitError)) error.stack = e.stack;
      throw error;
    }
    if (metrics === undefined) {
      width = r.metrics.length;
      metrics = new Float64Array(width * (unit.to - unit.from));
    }
    metrics.set(r.metrics, (rep - unit.from) * width);
    fingerprints.push(r.fingerprint);
  }
  return { unit, metrics: metrics ?? new Float64Array(0), width, fingerprints };
}
