/**
 * An output directory of `sim run` / `sim sweep`, parsed for the figures
 * (formats in docs: runs.csv, summary.csv, the resolved scenario and, with
 * --trace, pods.csv and requests.csv). Only reads files; every list keeps
 * the order of the file, so figures built from it are deterministic.
 */
import { existsSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stats } from '../metrics/summary.ts';
import { readCsv, readTable } from './csv.ts';
import { UserError } from '../util/errors.ts';
import { normalizePeriod } from '../live/live.ts';

/** A summary.csv row's statistics. */
export type Stat = Stats;

function statOf(r: Record<string, string>): Stat {
  return {
    n: num(r.n), mean: num(r.mean), sd: num(r.sd), ci_low: num(r.ci_low), ci_high: num(r.ci_high),
    p5: num(r.p5), p50: num(r.p50), p95: num(r.p95), min: num(r.min), max: num(r.max),
  };
}

/** One sweep cell: its period (a number as written, or `inf`), replicas, and other varied paths. */
export interface Cell {
  cell: number;
  period: string;
  replicas: number;
  vary: Record<string, string>;
}

export interface RunRow {
  cell: number;
  rep: number;
  /** Metric values; NaN where the metric is undefined in that run. */
  values: Record<string, number>;
}

export interface PodRow {
  service: string;
  pod: string;
  implementation: string;
  vulnerable: boolean;
  /** Seconds; NaN when it never happened. */
  created: number;
  running: number;
  listening: number;
  ready: number;
  deleted: number;
  gone: number;
}

/** A request that failed (HTTP 5xx), the only kind the timeline draws. */
export interface FailedRequest {
  time: number;
  end: number;
  service: string;
  pod: string;
  status: string;
  cause: string;
  step: string;
  type: string;
  name: string;
}

export interface OutputData {
  dir: string;
  cells: Cell[];
  /** Varied scenario paths other than period and replicas, in column order. */
  varied: string[];
  stats: Map<number, Map<string, Stat>>;
  runs: RunRow[];
  resolved?: { file: string; text: string };
  /** The traced replication; `end` is when its last response arrived (NaN without requests.csv). */
  trace?: { pods: PodRow[]; failed: FailedRequest[]; end: number };
}

/** Parses a field: empty means undefined (NaN); `inf` is kept for periods only. */
export function num(s: string | undefined): number {
  return s === undefined || s === '' ? NaN : Number(s);
}

/** The statistics of one metric in one cell, if summary.csv has them. */
export function stat(data: OutputData, cell: number, metric: string): Stat | undefined {
  return data.stats.get(cell)?.get(metric);
}

/**
 * Reads an output directory; summary.csv is required, everything else
 * optional. `perRun: false` skips runs.csv and the trace (left empty), for
 * readers of the cell statistics only (the console's recommendation).
 */
export async function readOutput(dir: string, { perRun = true } = {}): Promise<OutputData> {
  await assertOutputFolder(dir);
  const summaryPath = join(dir, 'summary.csv');
  const summary = await readCsv(summaryPath).catch((e: unknown) => {
    throw new UserError([{ file: summaryPath, path: '', message: `not an output folder of sim: ${e instanceof Error ? e.message : String(e)}` }]);
  });
  const varied = columnsBetween(Object.keys(summary[0] ?? {}), 'replicas', 'metric');
  const cells = new Map<number, Cell>();
  const stats = new Map<number, Map<string, Stat>>();
  for (const row of summary) {
    const cell = Number(row.cell);
    if (!cells.has(cell)) cells.set(cell, cellOf(row, varied));
    if (!stats.has(cell)) stats.set(cell, new Map());
    stats.get(cell)!.set(row.metric, statOf(row));
  }
  return {
    dir,
    cells: [...cells.values()].sort((a, b) => a.cell - b.cell),
    varied,
    stats,
    runs: perRun ? await readRuns(join(dir, 'runs.csv')) : [],
    resolved: await readResolved(dir),
    trace: perRun ? await readTrace(dir) : undefined,
  };
}

/** The columns every summary.csv of sim starts with, and its statistics. */
const summaryColumns = ['cell', 'period', 'replicas', 'metric', 'n', 'mean', 'sd', 'ci_low', 'ci_high'];

/**
 * Throws UserError unless `dir` holds a summary.csv with sim's header: a
 * folder of another tool's, or of garbage, is refused before anything is
 * locked, drawn or replaced there.
 */
export async function assertOutputFolder(dir: string): Promise<void> {
  const path = join(dir, 'summary.csv');
  if (!existsSync(path)) {
    throw new UserError([{ file: dir, path: '', message: 'not an output directory: summary.csv is missing' }]);
  }
  const handle = await open(path, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
  const columns = head.split(/\r?\n/)[0].split(',');
  const missing = summaryColumns.filter((c) => !columns.includes(c));
  if (missing.length > 0 || columns[0] !== 'cell') {
    const found = columns.slice(0, 6).join(',');
    throw new UserError([{ file: dir, path: '', message: `not an output folder of sim: summary.csv has no ${missing.join(', ') || 'leading cell'} column${missing.length > 1 ? 's' : ''} (found ${JSON.stringify(found.slice(0, 80))})` }]);
  }
}

function cellOf(row: Record<string, string>, varied: readonly string[]): Cell {
  return {
    cell: Number(row.cell),
    period: normalizePeriod(row.period),
    replicas: Number(row.replicas),
    vary: Object.fromEntries(varied.map((p) => [p, row[p]])),
  };
}

/** Column names strictly between two columns, in file order (the sweep's other varied paths). */
function columnsBetween(keys: readonly string[], after: string, before: string): string[] {
  const i = keys.indexOf(after);
  const j = keys.indexOf(before);
  return i < 0 || j < 0 ? [] : keys.slice(i + 1, j);
}

const runKeys = new Set(['cell', 'period', 'replicas', 'rep', 'fingerprint']);

async function readRuns(path: string): Promise<RunRow[]> {
  if (!existsSync(path)) return [];
  // Field arrays, not a column -> text object per row: 6000 rows of 80 columns made and read by name were most of the read.
  const table = await readTable(path);
  const { header } = table;
  const varied = new Set(columnsBetween(header, 'replicas', 'rep'));
  const metrics = header.map((k, i) => ({ k, i })).filter(({ k }) => !runKeys.has(k) && !varied.has(k));
  const [cell, rep] = [header.indexOf('cell'), header.indexOf('rep')];
  return table.rows.map((fields) => {
    const values: Record<string, number> = {};
    for (const { k, i } of metrics) values[k] = num(fields[i]);
    return { cell: Number(fields[cell]), rep: Number(fields[rep]), values };
  });
}

/**
 * The resolved scenario of the experiment in the folder. A run into a folder
 * that held a sweep (or the other way round) leaves the other's file behind;
 * the one written last belongs to the current summary.csv.
 */
async function readResolved(dir: string): Promise<OutputData['resolved']> {
  const found = ['sweep.resolved.yaml', 'scenario.resolved.yaml']
    .map((file) => ({ file, path: join(dir, file) }))
    .filter((f) => existsSync(f.path))
    .map((f) => ({ ...f, written: statSync(f.path).mtimeMs }));
  const latest = found.sort((a, b) => b.written - a.written)[0];
  return latest && { file: latest.file, text: await readFile(latest.path, 'utf8') };
}

async function readTrace(dir: string): Promise<OutputData['trace']> {
  const podsPath = join(dir, 'pods.csv');
  if (!existsSync(podsPath)) return undefined;
  const pods = (await readCsv(podsPath)).map((r) => ({
    service: r.service,
    pod: r.pod,
    implementation: r.implementation,
    vulnerable: r.vulnerable === 'true' || r.vulnerable === '1',
    created: num(r.created),
    running: num(r.running),
    listening: num(r.listening),
    ready: num(r.ready),
    deleted: num(r.deleted),
    gone: num(r.gone),
  }));
  const requestsPath = join(dir, 'requests.csv');
  const requests = existsSync(requestsPath) ? await readCsv(requestsPath) : [];
  const failed = requests
    .filter((r) => r.cause !== '' && r.cause !== undefined)
    .map((r) => ({
      time: num(r.time),
      end: num(r.end),
      service: r.service,
      pod: r.pod,
      status: r.status,
      cause: r.cause,
      step: r.step,
      type: r.type,
      name: r.name,
    }));
  // The run ends with the last response; pods.csv may hold later, merely scheduled, times (a grace period running out).
  const ends = requests.map((r) => num(r.end)).filter(Number.isFinite);
  return { pods, failed, end: ends.length ? ends.reduce((a, b) => Math.max(a, b)) : NaN };
}
