/**
 * Predictions checked against live results: every live row is matched to
 * the simulated cells with its period and replica count (a row without
 * replicas matches any; a row with period `all` is compared with the mean
 * over every period of each sweep variant), and gets a verdict: whether the
 * live value falls where a run of the simulation would put it.
 *
 * The range a live value should fall in: a live measurement is usually one
 * run, so for n <= 1 (or n unknown) it is the simulated p5..p95 of single
 * runs; for a live mean of n >= 2 runs it is the simulated mean
 * +- 1.645 sd / sqrt(n), the central 90 % of such means (normal
 * approximation), the same coverage as p5..p95.
 */
import { meanAcrossCells } from '../metrics/aggregate.ts';
import { summarize, type Stats } from '../metrics/summary.ts';
import { formatNumber } from '../util/number-format.ts';
import type { LiveRow } from '../live/live.ts';
import type { Cell, OutputData } from '../store/output-data.ts';

export type Verdict = 'inside' | 'outside' | 'unknown';

export type SimStats = Pick<Stats, 'n' | 'mean' | 'sd' | 'ci_low' | 'ci_high' | 'p5' | 'p95'>;

export interface Comparison {
  /** The cell number, or `all` for a mean over the periods of a variant. */
  cell: string;
  period: string;
  replicas: number;
  /** The other varied paths of the sweep and their values, in column order. */
  vary: Record<string, string>;
  metric: string;
  sim: SimStats;
  live: LiveRow;
  /** live - simulated mean. */
  diff: number;
  /** The range the live value should fall in (see the module comment). */
  low: number;
  high: number;
  verdict: Verdict;
}

export interface CompareResult {
  rows: Comparison[];
  /** Live rows that match no simulated cell, and other things the user should know. */
  notes: string[];
}

/** z of the central 90 % of a normal: the coverage of p5..p95. */
const z90 = 1.6448536269514722;

/** Metrics that are fractions in [0, 1], shown as percent. */
export function isFractionMetric(metric: string): boolean {
  return /(_frac|_share|_rate|_ratio|_success)$|^vulnerable_share_/.test(metric);
}

export function compareLive(data: OutputData, live: readonly LiveRow[]): CompareResult {
  const rows: Comparison[] = [];
  const notes: string[] = [];
  for (const row of live) {
    const found = row.period === 'all' ? compareAll(data, row, notes) : compareCells(data, row);
    if (found.length === 0) notes.push(`line ${row.line}: no simulated cell has ${describe(row)}; not compared`);
    rows.push(...found);
  }
  return { rows, notes };
}

const describe = (r: LiveRow) =>
  `period ${r.period}${r.replicas !== undefined ? ` and replicas ${r.replicas}` : ''}`;

const replicasMatch = (row: LiveRow, c: Cell) => row.replicas === undefined || row.replicas === c.replicas;

function compareCells(data: OutputData, row: LiveRow): Comparison[] {
  return data.cells
    .filter((c) => c.period === row.period && replicasMatch(row, c))
    .map((c) => {
      const s = data.stats.get(c.cell)?.get(row.metric);
      const sim: SimStats = s ?? { n: 0, mean: NaN, sd: NaN, ci_low: NaN, ci_high: NaN, p5: NaN, p95: NaN };
      return judge(String(c.cell), c.period, c.replicas, c.vary, row, sim);
    });
}

/** One comparison per variant (replicas and other varied values) the row applies to. */
function compareAll(data: OutputData, row: LiveRow, notes: string[]): Comparison[] {
  const groups = new Map<string, Cell[]>();
  for (const c of data.cells) {
    if (!replicasMatch(row, c)) continue;
    const key = JSON.stringify([c.replicas, ...data.varied.map((p) => c.vary[p])]);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: Comparison[] = [];
  for (const cells of groups.values()) {
    const sim = overPeriods(data, cells, row.metric);
    if (sim === undefined) {
      notes.push(`line ${row.line}: runs.csv is missing, so the spread over periods is unknown; only the mean is compared`);
    }
    const periods = cells.map((c) => c.period).join(', ');
    const variant = [`R=${cells[0].replicas}`, ...data.varied.map((p) => `${p}=${cells[0].vary[p]}`)].join(', ');
    notes.push(`line ${row.line}: period all is compared with the mean over the simulated periods ${periods} (${variant})`);
    const stats = sim ?? meanOfMeans(data, cells, row.metric);
    out.push(judge('all', 'all', cells[0].replicas, cells[0].vary, row, stats));
  }
  return out;
}

/** Statistics of the per-replication mean over the cells, from runs.csv; undefined without runs. */
function overPeriods(data: OutputData, cells: readonly Cell[], metric: string): SimStats | undefined {
  const byCell = cells.map((c) => new Map(data.runs.filter((r) => r.cell === c.cell).map((r) => [r.rep, r.values[metric] ?? NaN])));
  if (byCell.some((m) => m.size === 0)) return undefined;
  const reps = [...byCell[0].keys()].filter((rep) => byCell.every((m) => m.has(rep))).sort((a, b) => a - b);
  const s = summarize(meanAcrossCells(byCell.map((m) => reps.map((rep) => m.get(rep) as number))));
  return { n: s.n, mean: s.mean, sd: s.sd, ci_low: s.ci_low, ci_high: s.ci_high, p5: s.p5, p95: s.p95 };
}

function meanOfMeans(data: OutputData, cells: readonly Cell[], metric: string): SimStats {
  const means = cells.map((c) => data.stats.get(c.cell)?.get(metric)?.mean ?? NaN).filter((m) => !Number.isNaN(m));
  const mean = means.length > 0 ? means.reduce((a, b) => a + b, 0) / means.length : NaN;
  return { n: NaN, mean, sd: NaN, ci_low: NaN, ci_high: NaN, p5: NaN, p95: NaN };
}

function judge(cell: string, period: string, replicas: number, vary: Record<string, string>, live: LiveRow, sim: SimStats): Comparison {
  const n = live.n ?? 1;
  const half = (z90 * sim.sd) / Math.sqrt(n);
  const [low, high] = n <= 1 ? [sim.p5, sim.p95] : [sim.mean - half, sim.mean + half];
  const verdict: Verdict = Number.isNaN(low) || Number.isNaN(high) ? 'unknown' : live.value >= low && live.value <= high ? 'inside' : 'outside';
  return { cell, period, replicas, vary, metric: live.metric, sim, live, diff: live.value - sim.mean, low, high, verdict };
}

/** compare.csv header: cell, period, replicas, other varied paths, then the comparison. */
export function compareHeader(varied: readonly string[]): string[] {
  return [
    'cell', 'period', 'replicas', ...varied, 'metric',
    'sim_n', 'sim_mean', 'sim_ci_low', 'sim_ci_high', 'sim_p5', 'sim_p95',
    'live_value', 'live_ci_low', 'live_ci_high', 'live_n', 'diff', 'range_low', 'range_high', 'verdict', 'source',
  ];
}

const opt = (x: number | undefined) => (x === undefined ? '' : formatNumber(x));

export function compareCsvRow(c: Comparison, varied: readonly string[]): string[] {
  const s = c.sim;
  return [
    c.cell, c.period, formatNumber(c.replicas), ...varied.map((p) => c.vary[p] ?? ''), c.metric,
    formatNumber(s.n), formatNumber(s.mean), formatNumber(s.ci_low), formatNumber(s.ci_high), formatNumber(s.p5), formatNumber(s.p95),
    formatNumber(c.live.value), opt(c.live.ci_low), opt(c.live.ci_high), opt(c.live.n),
    formatNumber(c.diff), formatNumber(c.low), formatNumber(c.high), c.verdict, c.live.source,
  ];
}

/** A short label of where a comparison was made: `P=10 s, R=3, ingress.tries=1`. */
export function placeLabel(c: Comparison, varied: readonly string[]): string {
  const period = c.period === 'all' ? 'all periods' : c.period === 'inf' ? 'P=inf' : `P=${c.period} s`;
  return [period, `R=${c.replicas}`, ...varied.map((p) => `${p}=${c.vary[p]}`)].join(', ');
}
