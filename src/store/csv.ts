/**
 * The rows of runs.csv and summary.csv (notes/formats.md) and the reader the
 * plots, compare and merge use. Rows are arrays of strings in header order,
 * ready for AtomicCsvWriter; numbers are written so files are byte-identical
 * across machines.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { parse } from 'fast-csv';
import { attackCellEstimates, attackCellMetrics, attackersInMetrics } from '../metrics/attack.ts';
import { summarize } from '../metrics/summary.ts';
import type { Stats } from '../metrics/summary.ts';
import { formatNumber } from '../util/number-format.ts';

/** A value of a varied scenario path, as it appears in a parameter column. */
export type ParamValue = number | string | boolean;

/** The parameter columns of a cell: `period` and `replicas` always, then the other varied paths. */
export interface CellParams {
  /** `diversifier.period` (Infinity is written `inf`). */
  period: number;
  /** `cluster.replicas`. */
  replicas: number;
  /** Values of the other varied paths, in the order of the `paramColumns` given to the headers. */
  extra: readonly ParamValue[];
}

const statColumns = ['n', 'mean', 'sd', 'ci_low', 'ci_high', 'p5', 'p50', 'p95', 'min', 'max'] as const satisfies readonly (keyof Stats)[];

function formatParam(v: ParamValue): string {
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

function paramFields(params: CellParams): string[] {
  return [formatNumber(params.period), formatNumber(params.replicas), ...params.extra.map(formatParam)];
}

/** runs.csv header: cell, period, replicas, other varied paths, rep, metrics, fingerprint. */
export function runsHeader(paramColumns: readonly string[], metrics: readonly string[]): string[] {
  return ['cell', 'period', 'replicas', ...paramColumns, 'rep', ...metrics, 'fingerprint'];
}

/** One runs.csv row; `metrics` in the header's metric order. */
export function runRow(cell: number, params: CellParams, rep: number, metrics: readonly number[], fingerprint: string): string[] {
  return [String(cell), ...paramFields(params), String(rep), ...metrics.map(formatNumber), fingerprint];
}

/** summary.csv header: cell, period, replicas, other varied paths, metric, then the statistics. */
export function summaryHeader(paramColumns: readonly string[]): string[] {
  return ['cell', 'period', 'replicas', ...paramColumns, 'metric', ...statColumns];
}

/** The summary.csv rows of one cell, one per metric in `metricNames` order, over its per-run values. */
export function summaryRows(
  cell: number,
  params: CellParams,
  metricNames: readonly string[],
  valuesByMetric: Readonly<Record<string, readonly number[]>>,
): string[][] {
  const prefix = [String(cell), ...paramFields(params)];
  const rows = metricNames.map((metric) => {
    const values = valuesByMetric[metric];
    if (values === undefined) throw new Error(`summaryRows: no values for metric ${metric}`);
    const stats = summarize(values);
    return [...prefix, metric, ...statColumns.map((c) => formatNumber(stats[c]))];
  });
  // Each attacker's cell-level estimates follow (README "Attack metrics"): value in mean, its 95 % interval in ci_low/ci_high.
  for (const { name } of attackersInMetrics(metricNames)) {
    const v = (m: string) => valuesByMetric[`attack_${name}_${m}`] ?? [];
    const estimates = attackCellEstimates(v('compromised'), v('time'), v('horizon'));
    attackCellMetrics(name).forEach((metric, i) => {
      const e = estimates[i];
      const stats: Record<string, number> = { n: e.n, mean: e.value, ci_low: e.low, ci_high: e.high };
      rows.push([...prefix, metric, ...statColumns.map((c) => formatNumber(stats[c] ?? NaN))]);
    });
  }
  return rows;
}

/** A CSV file as its header and each row's fields, in order. */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

/**
 * The fast path of reading a CSV file: a file with no quote, carriage
 * return, BOM, empty line or line that starts blank (every runs.csv and
 * summary.csv of numbers) is split by hand, about ten times faster than the
 * parser; anything else, or a row of the wrong length, is left to fast-csv
 * (undefined), which reads it or says what is wrong.
 */
async function readPlainTable(path: string): Promise<CsvTable | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined; // fast-csv's path reports it
  }
  // fast-csv reads a blank first field or a blank line its own way: those files are its to read too.
  if (!text.endsWith('\n') || /["\r\uFEFF]|\n\n|(^|\n)[ \t]/.test(text) || text.startsWith('\n')) return undefined;
  const lines = text.slice(0, -1).split('\n');
  const header = lines[0].split(',');
  if (new Set(header).size !== header.length) return undefined;
  const rows: string[][] = [];
  for (let k = 1; k < lines.length; k++) {
    const fields = lines[k].split(',');
    if (fields.length !== header.length) return undefined;
    rows.push(fields);
  }
  return { header, rows };
}

/** Rows as column -> text objects, as fast-csv gives them with headers: true. */
function rowObjects({ header, rows }: CsvTable): Record<string, string>[] {
  return rows.map((fields) => {
    const row: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) row[header[i]] = fields[i];
    return row;
  });
}

/** Every row of a CSV file with a header line, as column -> text (fast-csv's reading of it). */
export async function readCsv(path: string): Promise<Record<string, string>[]> {
  const plain = await readPlainTable(path);
  return plain !== undefined ? rowObjects(plain) : parsedRows(path);
}

/** A CSV file with a header line as field arrays (what readCsv reads, without an object per row). */
export async function readTable(path: string): Promise<CsvTable> {
  const plain = await readPlainTable(path);
  if (plain !== undefined) return plain;
  const rows = await parsedRows(path);
  const header = Object.keys(rows[0] ?? {});
  return { header, rows: rows.map((r) => header.map((k) => r[k])) };
}

/** fast-csv's reading, for the files the plain reader leaves to it. */
async function parsedRows(path: string): Promise<Record<string, string>[]> {
  const rows: Record<string, string>[] = [];
  try {
    // pipeline, not pipe: a missing file must reject here, not crash the process.
    await pipeline(createReadStream(path), parse({ headers: true }), async (source: AsyncIterable<Record<string, string>>) => {
      for await (const row of source) rows.push(row);
    });
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    const reason = code === 'ENOENT' ? 'no such file' : err instanceof Error ? err.message : String(err);
    throw new Error(`cannot read ${path}: ${reason}`, { cause: err });
  }
  return rows;
}
