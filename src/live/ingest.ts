/**
 * Real runs' logs to live results: the metrics of docs/model.md section 7 that a
 * request log can support, by the simulator's own definitions, and several logs of one period combined into
 * one live row per metric (mean, Student-t 95 % CI and n over the logs).
 *
 * Not from a log: failures by cause (a status does not say why), pod and
 * kill counts, ingress tries, backend-list metrics, t0, end_time, events.
 */
import { metricNames } from '../schema/metric-names.ts';
import { recordMetrics, zeroOutcomes } from '../metrics/run-metrics.ts';
import { summarize } from '../metrics/summary.ts';
import { formatNumber } from '../util/number-format.ts';
import type { LiveRow } from './live.ts';
import type { RequestLog } from './request-log.ts';

/**
 * The metrics of one logged run, by name, defined by the simulator's own
 * function (src/metrics/run-metrics.ts) from the log's counts.
 */
export function logMetrics(log: RequestLog): Record<string, number> {
  const counts = { user: zeroOutcomes(), project: zeroOutcomes(), task: zeroOutcomes() };
  for (const r of log.records) counts[r.type][r.outcome]++;
  const optimal = log.records.filter((r) => r.type === 'task' && !r.malicious && r.cleanLineage).length;
  return recordMetrics({ outcomes: counts, requests: log.counts, tasksOptimal: optimal });
}

export interface IngestOptions {
  /** `inf` or a positive number of seconds, as written in the live file. */
  period: string;
  replicas: number;
  source: string;
}

/**
 * One live row per metric that every run defines, in summary.csv's metric
 * order: the value of a single run, or the mean over several runs with n and
 * the 95 % CI of the mean.
 */
export function liveRowsFromRuns(runs: readonly Record<string, number>[], o: IngestOptions): LiveRow[] {
  const rows: LiveRow[] = [];
  for (const metric of metricNames([])) {
    const values = runs.map((r) => r[metric]);
    if (values.some((v) => v === undefined || Number.isNaN(v))) continue;
    const s = summarize(values);
    const row: LiveRow = { period: o.period, replicas: o.replicas, metric, value: s.mean, n: s.n, source: o.source, line: 0 };
    if (s.n >= 2) Object.assign(row, { ci_low: s.ci_low, ci_high: s.ci_high });
    rows.push(row);
  }
  return rows;
}

/**
 * Rows of an existing live file merged with new ones: a new row replaces an
 * old one with the same period, replicas, metric and source; the others keep
 * their order, new rows follow.
 */
export function mergeLiveRows(existing: readonly LiveRow[], added: readonly LiveRow[]): LiveRow[] {
  const key = (r: LiveRow) => JSON.stringify([r.period, r.replicas ?? null, r.metric, r.source]);
  const replaced = new Set(added.map(key));
  return [...existing.filter((r) => !replaced.has(key(r))), ...added];
}

export const liveHeader = ['period', 'replicas', 'metric', 'value', 'ci_low', 'ci_high', 'n', 'source'];

const opt = (x: number | undefined) => (x === undefined ? '' : formatNumber(x));

export function liveCsvRow(r: LiveRow): string[] {
  return [r.period, opt(r.replicas), r.metric, formatNumber(r.value), opt(r.ci_low), opt(r.ci_high), opt(r.n), r.source];
}
