/**
 * The files of a `sim run` (one cell) as the first, serial implementation
 * wrote them: runs.csv, summary.csv and scenario.resolved.yaml. Kept as the
 * reference the pooled implementation must match byte for byte.
 */
import { join } from 'node:path';
import type { RunResult } from '../../src/experiment/replication.ts';
import { metricNames } from '../../src/schema/metric-names.ts';
import type { Scenario } from '../../src/schema/schema.ts';
import { scenarioToYaml } from '../../src/scenario/serialize.ts';
import { ensureDir, writeFileAtomic, writeCsvFile } from '../../src/util/atomic.ts';
import { runRow, runsHeader, summaryHeader, summaryRows, type CellParams } from '../../src/store/csv.ts';

export function cellParams(s: Scenario): CellParams {
  return { period: s.diversifier.period === 'inf' ? Infinity : s.diversifier.period, replicas: s.cluster.replicas, extra: [] };
}

/** Per-metric value arrays of a cell's runs, for the summary. */
export function valuesByMetric(names: readonly string[], results: readonly RunResult[]): Record<string, number[]> {
  return Object.fromEntries(names.map((n, i) => [n, results.map((r) => r.metrics[i])]));
}

export async function writeRunOutputs(dir: string, scenario: Scenario, results: readonly RunResult[]): Promise<string[]> {
  await ensureDir(dir);
  const names = metricNames(Object.keys(scenario.services));
  const params = cellParams(scenario);
  const runs = join(dir, 'runs.csv');
  const summary = join(dir, 'summary.csv');
  const resolved = join(dir, 'scenario.resolved.yaml');
  await writeCsvFile(runs, runsHeader([], names), results.map((r, i) => runRow(0, params, i, r.metrics, r.fingerprint)));
  await writeCsvFile(summary, summaryHeader([]), summaryRows(0, params, names, valuesByMetric(names, results)));
  await writeFileAtomic(resolved, scenarioToYaml(scenario));
  return [runs, summary, resolved];
}

