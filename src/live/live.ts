/**
 * Live results: numbers measured on a real cluster (or published), to draw
 * beside the simulation. Long form, one value per row:
 * `period,replicas,metric,value,ci_low,ci_high,n,denominator,source` (format in
 * scenarios/live/README.md). Every problem in the file is reported at once,
 * with its line and column.
 */
import { parseString } from 'fast-csv';
import { metricNames } from '../schema/metric-names.ts';
import { UserError, didYouMean, quote, type Issue } from '../util/errors.ts';
import { readTextFile } from '../util/text-file.ts';
import type { LiveValue } from '../metrics/live-value.ts';
import { dataRecordLines } from '../util/csv-lines.ts';

export type LiveRow = LiveValue;

export const liveColumns = ['period', 'replicas', 'metric', 'value', 'ci_low', 'ci_high', 'n', 'denominator', 'source'] as const;
const requiredColumns = ['period', 'metric', 'value', 'source'];

const knownMetrics = new Set(metricNames(['users', 'projects', 'tasks']));
const perServiceMetric = /^(empty_time|vulnerable_share)_[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Metrics that are fractions in [0, 1] (a value of 0.5 means 50 %). */
const fractionMetric = /(_frac|_share|_rate|_ratio|_success)$|^vulnerable_share_/;

export function isKnownMetric(m: string): boolean {
  return knownMetrics.has(m) || perServiceMetric.test(m);
}

/** Live-results files are a few hundred rows; larger ones are refused. */
export const maxLiveBytes = 16 << 20;

/** Reads and validates a live-results CSV; throws UserError listing every issue. */
export async function readLive(path: string): Promise<LiveRow[]> {
  const text = readTextFile(path, 'the live-results file', maxLiveBytes);
  const header = (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
  const issues: Issue[] = [];
  checkHeader(path, header, issues);
  if (issues.length > 0) throw new UserError(issues);
  const rows = await csvRows(text, path);
  const lines = dataLines(text, rows.length);
  const column = (name: string) => header.indexOf(name) + 1;
  const out: LiveRow[] = [];
  rows.forEach((row, i) => {
    if (Array.isArray(row)) {
      issues.push({ file: path, line: lines[i], path: '', message: `expected ${header.length} fields (as the header), found ${row.length}` });
      return;
    }
    const parsed = parseRow(row, { file: path, line: lines[i], column }, issues);
    if (parsed) out.push(parsed);
  });
  if (issues.length > 0) throw new UserError(issues);
  return out;
}

/** Data rows in file order: a mapping per row, or the fields of a row whose field count differs from the header's. */
function csvRows(text: string, file: string): Promise<(Record<string, string> | string[])[]> {
  const rows: (Record<string, string> | string[])[] = [];
  return new Promise((resolve, reject) => {
    parseString(text, { headers: true, ignoreEmpty: true, strictColumnHandling: true })
      .on('data', (row: Record<string, string>) => rows.push(row))
      .on('data-invalid', (row: string[]) => rows.push(row))
      .on('error', (e: Error) => reject(new UserError([{ file, path: '', message: `not a CSV file: ${e.message}` }])))
      .on('end', () => resolve(rows));
  });
}

function checkHeader(file: string, header: readonly string[], issues: Issue[]): void {
  header.forEach((h, i) => {
    if (!(liveColumns as readonly string[]).includes(h)) {
      const hint = didYouMean(h, liveColumns);
      const message = `unknown column ${quote(h)}${hint ? ` (did you mean ${hint}?)` : ''}; columns are ${liveColumns.join(',')}`;
      issues.push({ file, line: 1, column: i + 1, path: '', message });
    }
  });
  for (const c of requiredColumns) {
    if (!header.includes(c)) issues.push({ file, line: 1, path: '', message: `missing column ${c}` });
  }
}

/** Line numbers of the data rows: where each record starts (a quoted field may hold a line break). */
function dataLines(text: string, count: number): number[] {
  return dataRecordLines(text, count) ?? Array.from({ length: count }, (_, i) => i + 2);
}

interface Where {
  file: string;
  line: number;
  column: (name: string) => number;
}

function parseRow(row: Record<string, string>, at: Where, issues: Issue[]): LiveRow | undefined {
  const before = issues.length;
  const fail = (col: string, message: string) =>
    issues.push({ file: at.file, line: at.line, column: at.column(col), path: col, message });
  const field = (c: string) => (row[c] ?? '').trim();

  const period = field('period');
  if (!(period === 'inf' || period === 'all' || (decimal(period) ?? 0) > 0)) {
    fail('period', `expected a positive number of seconds, inf or all, found ${JSON.stringify(period)}`);
  }
  const replicas = optionalCount(field('replicas'));
  if (replicas !== undefined && !(replicas >= 1)) {
    fail('replicas', `expected a positive integer or nothing, found ${JSON.stringify(field('replicas'))}`);
  }
  const metric = field('metric');
  if (!isKnownMetric(metric)) {
    const hint = didYouMean(metric, knownMetrics);
    fail('metric', `unknown metric ${JSON.stringify(metric)}${hint ? ` (did you mean ${hint}?)` : ''}; names are summary.csv's`);
  }
  const value = decimal(field('value')) ?? NaN;
  if (!Number.isFinite(value)) fail('value', `expected a number, found ${JSON.stringify(field('value'))}`);
  else if (fractionMetric.test(metric) && (value < 0 || value > 1)) {
    fail('value', `${metric} is a fraction in [0, 1] (0.01 means 1 %), found ${value}`);
  }
  const ci_low = optionalNumber(field('ci_low'));
  const ci_high = optionalNumber(field('ci_high'));
  for (const [c, v] of [['ci_low', ci_low], ['ci_high', ci_high]] as const) {
    if (v !== undefined && !Number.isFinite(v)) fail(c, `expected a number or nothing, found ${JSON.stringify(field(c))}`);
  }
  if (ci_low !== undefined && Number.isFinite(value) && ci_low > value) fail('ci_low', `ci_low ${ci_low} is above value ${value}`);
  if (ci_high !== undefined && Number.isFinite(value) && ci_high < value) fail('ci_high', `ci_high ${ci_high} is below value ${value}`);
  const n = optionalCount(field('n'));
  if (n !== undefined && !(n >= 0)) fail('n', `expected a count or nothing, found ${JSON.stringify(field('n'))}`);
  const denominator = optionalCount(field('denominator'));
  if (denominator !== undefined && !(denominator >= 1)) {
    fail('denominator', `expected a count of trials (a positive integer) or nothing, found ${JSON.stringify(field('denominator'))}`);
  }
  const source = field('source');
  if (source === '') fail('source', 'every row needs a source (where the number comes from)');
  if (issues.length > before) return undefined;
  const out: LiveRow = { period: normalizePeriod(period), metric, value, source, line: at.line };
  if (replicas !== undefined) out.replicas = replicas;
  if (ci_low !== undefined) out.ci_low = ci_low;
  if (ci_high !== undefined) out.ci_high = ci_high;
  if (n !== undefined) out.n = n;
  if (denominator !== undefined) out.denominator = denominator;
  return out;
}

/**
 * A finite number written in decimal (`0.25`, `-1`, `2.5e-3`), else
 * undefined: `Infinity`, `1e400`, `0x10` and `` are not measured values,
 * though Number() reads them.
 */
function decimal(s: string): number | undefined {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

function optionalNumber(s: string): number | undefined {
  return s === '' ? undefined : (decimal(s) ?? NaN);
}

/** A whole number of things written as digits (`3`, not `-0`, `3.0` or `1e3`); NaN if not one. */
function optionalCount(s: string): number | undefined {
  if (s === '') return undefined;
  return /^\d{1,15}$/.test(s) ? Number(s) : NaN;
}

/** `10.0` and `10` are the same period; `inf` stays a word. */
export function normalizePeriod(p: string): string {
  const t = p.trim();
  return t === 'inf' || t === 'all' ? t : String(Number(t));
}
