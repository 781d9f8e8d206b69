/**
 * The tables of report.html: the key results per cell, the full summary,
 * and the live rows. HTML strings built from escaped text only.
 */
import { isFractionMetric, type CompareResult } from './compare.ts';
import { compareCells, compareHeadings, rangeNote, verdictCounts } from './compare-table.ts';
import type { LiveRow } from '../live/live.ts';
import { stat, type OutputData } from '../store/output-data.ts';
import { comparePeriods } from './plots/theme.ts';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Three significant digits, trailing zeros dropped; '-' for undefined. */
export function sig(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '-' : String(x);
  if (Math.abs(x) >= 1000) return String(Math.round(x));
  const t = x.toPrecision(3);
  return t.includes('e') || !t.includes('.') ? t : t.replace(/\.?0+$/, '');
}

const percent = (x: number) => (Number.isFinite(x) ? `${sig(x * 100)} %` : '-');
/** A fraction's t interval can pass 0 or 1 when few runs differ: shown clipped to [0, 1], as in every table (summary.csv keeps it raw). */
const clip01 = (x: number) => Math.min(1, Math.max(0, x));

/** The metrics of the key table: [metric, heading, is a fraction]. */
const keyMetrics: [string, string, boolean][] = [
  ['insert_failure_rate', 'insert failure rate', true],
  ['failure_rate', 'failure rate, all requests', true],
  ['task_malicious_share', 'malicious share of inserted tasks', true],
  ['project_malicious_share', 'malicious share of inserted projects', true],
  ['user_malicious_share', 'malicious share of inserted users', true],
  ['tasks_inserted', 'tasks inserted', false],
  ['kills_effective', 'pods killed', false],
];

function table(head: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/** Cells in figure order: by variant as listed, then period (inf first). */
function orderedCells(data: OutputData) {
  return [...data.cells].sort((a, b) => a.replicas - b.replicas || comparePeriods(a.period, b.period) || a.cell - b.cell);
}

function cellColumns(data: OutputData): string[] {
  return ['cell', 'period (s)', 'replicas', ...data.varied];
}

function cellFields(data: OutputData, c: OutputData['cells'][number]): string[] {
  return [String(c.cell), c.period, String(c.replicas), ...data.varied.map((p) => c.vary[p])].map(escapeHtml);
}

/** Mean and 95 % CI of the key metrics, one row per cell. */
export function keyTable(data: OutputData): string {
  const metrics = keyMetrics.filter(([m]) => data.cells.some((c) => stat(data, c.cell, m)));
  const head = [...cellColumns(data), 'runs', ...metrics.map(([, h, frac]) => `${h}${frac ? ' (%)' : ''}`)];
  const rows = orderedCells(data).map((c) => {
    const runs = stat(data, c.cell, metrics[0]?.[0] ?? '')?.n ?? NaN;
    const values = metrics.map(([m, , frac]) => {
      const s = stat(data, c.cell, m);
      if (!s) return '-';
      const f = frac ? percent : sig;
      const [lo, hi] = frac ? [clip01(s.ci_low), clip01(s.ci_high)] : [s.ci_low, s.ci_high];
      const ci = Number.isFinite(s.ci_low) ? ` <span class="ci">[${f(lo)}, ${f(hi)}]</span>` : '';
      return `${f(s.mean)}${ci}`;
    });
    return [...cellFields(data, c), sig(runs), ...values];
  });
  return table(head, rows, 'key');
}

/** Every metric of every cell (summary.csv as it is, numbers shortened). */
/**
 * Rows of the full summary in report.html at most: a sweep of a thousand cells has 80,000 (a 15 MB
 * page). Beyond it the table shows the first cells whole and says so; summary.csv has every row.
 */
export const maxSummaryRows = 10_000;

export function fullSummaryTable(data: OutputData): string {
  const stats = ['n', 'mean', 'sd', 'ci_low', 'ci_high', 'p5', 'p50', 'p95', 'min', 'max'] as const;
  const rows: string[][] = [];
  const cells = orderedCells(data);
  let shown = 0;
  for (const c of cells) {
    const metrics = data.stats.get(c.cell) ?? new Map();
    if (shown > 0 && rows.length + metrics.size > maxSummaryRows) break;
    for (const [metric, s] of metrics) rows.push([...cellFields(data, c), escapeHtml(metric), ...stats.map((k) => sig(s[k]))]);
    shown++;
  }
  const note = shown < cells.length ? `<p class="note">The first ${shown} of ${cells.length} cells (at most ${maxSummaryRows} rows here); summary.csv has every cell.</p>\n` : '';
  return note + table([...cellColumns(data), 'metric', ...stats], rows, 'full');
}

/** The live rows as given, fractions shown as percent like every other table of the report. */
export function liveTable(live: readonly LiveRow[]): string {
  const opt = (x: number | undefined) => (x === undefined ? '' : String(x));
  const rows = live.map((r) => {
    const v = (x: number | undefined) => (x === undefined ? '' : isFractionMetric(r.metric) ? percent(x) : sig(x));
    return [r.period, opt(r.replicas), r.metric, v(r.value), v(r.ci_low), v(r.ci_high), opt(r.n), r.source].map(escapeHtml);
  });
  return table(['period', 'replicas', 'metric', 'value', 'ci_low', 'ci_high', 'n', 'source'], rows, 'live');
}

/** The verdict of every live value: where the simulation expected it (see sim compare), and whether it fell there. */
export function compareHtmlTable(result: CompareResult, varied: readonly string[]): string {
  const rows = result.rows.map((c) => {
    const cells = compareCells(c, varied).map(escapeHtml);
    cells[6] = `<span class="verdict-${c.verdict}">${cells[6]}</span>`;
    return cells;
  });
  return `<p>${escapeHtml(verdictCounts(result.rows))} ${escapeHtml(rangeNote[0].toUpperCase() + rangeNote.slice(1))}</p>
${table(compareHeadings, rows, 'compare')}${result.notes.length ? `\n<ul class="note">${result.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}`;
}
