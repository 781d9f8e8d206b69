/**
 * The compact per-cell table printed after a sweep: the cell's parameters,
 * then the paper's headline metric (the insert failure rate, its figure 9,
 * as in fig2, fig5 and the report), the failure rate over all requests, and
 * the malicious share of inserted tasks, each as mean and 95 % CI, in percent.
 * A sweep without records (the clients and arrivals workloads) shows the
 * failure rate over all requests and the failed requests per rotation.
 */
import { summarize, type Stats } from '../metrics/summary.ts';
import { formatSignificant } from './table.ts';
import type { CellValues } from '../store/sweep-assemble.ts';
import type { PlanFile } from '../store/sweep-files.ts';

const shown = [
  ['insert_failure_rate', 'insert failure rate %'],
  ['failure_rate', 'failure rate, all requests %'],
  ['task_malicious_share', 'task malicious share %'],
] as const;
const perRotation = ['failures_per_rotation', 'failures per rotation'] as const;

export interface SweepTableRow {
  /** period, replicas, then the other varied paths, as written in runs.csv. */
  params: string[];
  stats: Stats[];
  /** No record in any run: a clients or arrivals workload. */
  traffic: boolean;
}

/** The table row of one cell (call from assemble's onCell: the values are not kept). */
export function sweepTableRow(plan: PlanFile, cell: number, values: CellValues): SweepTableRow {
  const c = plan.cells[cell];
  const traffic = (values.user_records ?? []).every((x) => x === 0) && values[perRotation[0]] !== undefined;
  const metrics = traffic ? [shown[1][0], perRotation[0]] : shown.map(([m]) => m);
  return { params: [c.period, c.replicas, ...c.extra], stats: metrics.map((m) => summarize(values[m] ?? [])), traffic };
}

export function formatSweepTable(plan: PlanFile, rows: readonly SweepTableRow[]): string {
  const traffic = rows.length > 0 && rows.every((r) => r.traffic);
  const pct = (x: number) => formatSignificant(x * 100);
  // A rate's t interval can reach below 0 when few runs fail; shown clipped to [0, 100] % (summary.csv keeps it raw).
  const ci = (s: Stats) => `[${pct(Math.max(0, s.ci_low))}, ${pct(Math.min(1, s.ci_high))}]`;
  const plain = (s: Stats) => `[${formatSignificant(Math.max(0, s.ci_low))}, ${formatSignificant(s.ci_high)}]`;
  const labels = traffic ? [shown[1][1], perRotation[1]] : shown.map(([, label]) => label);
  const header = ['period', 'replicas', ...plan.paramColumns, ...labels.flatMap((label) => [label, '95 % CI'])];
  const body = rows.map((r) => [
    ...r.params,
    ...r.stats.flatMap((s, i) => {
      const raw = traffic && i === 1;
      return [raw ? formatSignificant(s.mean) : pct(s.mean), Number.isNaN(s.ci_low) ? '' : raw ? plain(s) : ci(s)];
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const numeric = header.length - 2 * labels.length;
  const line = (cells: string[]) => cells.map((c, i) => (i < numeric ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}
