/**
 * The per-request log of a real run of the paper's test script, one row per
 * request, columns `timestamp,thread,type,name,malicious,http_status` (and
 * optionally `step`), read into the records of the run with their outcomes,
 * decided as the simulator's test script decides them (docs/model.md section 6):
 *
 * - `type` is the record's type (user, project, task), `name` its name. A
 *   user is one insert; a project or task is a lookup of its parent and, when
 *   the parent was found (2xx), an insert. Without a `step` column the first
 *   request of a record is its lookup and the next one with the same type and
 *   name on the same thread its insert.
 * - A request failed when its status is >= 500 or 0 (no response: a client
 *   error or timeout); the record is then `failed`. A lookup answered 404
 *   leaves it `orphaned`. An insert answered 2xx inserts it (malicious or
 *   clean by its `malicious` column), 4xx rejects it.
 * - Threads run their records one at a time, so each thread's rows are in
 *   time order; timestamps (seconds, or ISO 8601 times) must not go back.
 *
 * The simulator's own requests.csv (--trace) reads too: `time` and `status`
 * are accepted for `timestamp` and `http_status`, other columns are ignored.
 */
import { parseString } from 'fast-csv';
import type { Outcome, RecordType } from '../schema/metric-names.ts';
import { recordTypes } from '../schema/metric-names.ts';
import { sortIssues, UserError, type Issue } from '../util/errors.ts';
import { readTextFile } from '../util/text-file.ts';
import { dataRecordLines } from '../util/csv-lines.ts';
import type { RequestCounts } from '../metrics/run-metrics.ts';

export const logColumns = ['timestamp', 'thread', 'type', 'name', 'malicious', 'http_status'] as const;
const aliases: Record<string, string> = { time: 'timestamp', status: 'http_status' };

/** One record of the run, with what the log says happened to it. */
export interface LoggedRecord {
  thread: string;
  type: RecordType;
  name: string;
  malicious: boolean;
  outcome: Outcome;
  /** Its parents are clean (a project's user; a task's user and project: the thread's last ones), as the optimal run requires. */
  cleanLineage: boolean;
  /** Line of its first request. */
  line: number;
}

export interface RequestLog {
  records: LoggedRecord[];
  counts: RequestCounts;
}

interface Row {
  line: number;
  time: number;
  thread: string;
  type: RecordType;
  name: string;
  malicious: boolean;
  status: number;
  step?: 'lookup' | 'insert';
}

/** Reads and checks a log; every bad row is reported at once, with its line. Throws UserError. */
export async function readRequestLog(path: string): Promise<RequestLog> {
  return parseRequestLog(readTextFile(path, 'the log', maxLogBytes), path);
}

/** A log of a run has a few thousand requests; a file larger than this is not one. */
export const maxLogBytes = 256 << 20;

export async function parseRequestLog(text: string, file: string): Promise<RequestLog> {
  const issues: Issue[] = [];
  const raw = await csvRows(text, file);
  const rows = raw.rows.flatMap((r, i) => {
    if (Array.isArray(r)) {
      issues.push({ file, line: raw.lines[i], path: '', message: `expected ${raw.width} fields (as the header), found ${r.length}` });
      return [];
    }
    return parseRow(r, raw.lines[i], file, issues) ?? [];
  });
  const log = recordsOf(rows, file, issues);
  if (issues.length > 0) throw new UserError(sortIssues(issues));
  return log;
}

/** Data rows in file order: a mapping per row, or the fields of a row whose field count differs from the header's. */
async function csvRows(text: string, file: string): Promise<{ rows: (Record<string, string> | string[])[]; lines: number[]; width: number }> {
  const header = (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((h) => canonical(h.trim().replace(/^"|"$/g, '')));
  const missing = logColumns.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new UserError([{ file, line: 1, path: '', message: `missing column(s) ${missing.join(', ')}; a log has the columns ${logColumns.join(',')} (and optionally step)` }]);
  }
  const rows: (Record<string, string> | string[])[] = [];
  await new Promise<void>((resolve, reject) => {
    const headers = (h: (string | null | undefined)[]) => h.map((x) => (typeof x === 'string' ? canonical(x.trim()) : x));
    parseString(text, { headers, ignoreEmpty: true, strictColumnHandling: true })
      .on('data', (row: Record<string, string>) => rows.push(row))
      .on('data-invalid', (row: string[]) => rows.push(row))
      .on('error', (e: Error) => reject(new UserError([{ file, path: '', message: `not a CSV file: ${e.message}` }])))
      .on('end', () => resolve());
  });
  // Line numbers: where each record starts (a quoted field may hold a line break).
  return { rows, lines: dataRecordLines(text, rows.length) ?? rows.map((_, i) => i + 2), width: header.length };
}

const canonical = (h: string) => aliases[h] ?? h;

function parseRow(r: Record<string, string>, line: number, file: string, issues: Issue[]): Row | undefined {
  const before = issues.length;
  const bad = (column: string, message: string) => issues.push({ file, line, path: column, message });
  const f = (c: string) => (r[c] ?? '').trim();
  const time = parseTime(f('timestamp'));
  if (Number.isNaN(time)) bad('timestamp', `expected seconds or an ISO 8601 time, found ${JSON.stringify(f('timestamp'))}`);
  const thread = f('thread');
  if (thread === '') bad('thread', 'expected the thread that sent the request, found nothing');
  const type = f('type').toLowerCase() as RecordType;
  if (!recordTypes.includes(type)) bad('type', `expected ${recordTypes.join(', ')} (the record's type), found ${JSON.stringify(f('type'))}`);
  const name = f('name');
  if (name === '') bad('name', "expected the record's name, found nothing");
  const malicious = parseBool(f('malicious'));
  if (malicious === undefined) bad('malicious', `expected true or false, found ${JSON.stringify(f('malicious'))}`);
  const status = Number(f('http_status'));
  if (!(f('http_status') !== '' && Number.isInteger(status) && (status === 0 || (status >= 100 && status <= 599)))) {
    bad('http_status', `expected an HTTP status (100-599, or 0 for no response), found ${JSON.stringify(f('http_status'))}`);
  }
  const step = f('step').toLowerCase();
  if (step !== '' && step !== 'lookup' && step !== 'insert') bad('step', `expected lookup or insert, found ${JSON.stringify(f('step'))}`);
  if (issues.length > before) return undefined;
  return { line, time, thread, type, name, malicious: malicious as boolean, status, ...(step !== '' ? { step: step as Row['step'] } : {}) };
}

/** Seconds, or an ISO 8601 time (milliseconds since the epoch / 1000); only the order within a thread matters. */
function parseTime(s: string): number {
  if (s === '') return NaN;
  const x = Number(s);
  if (Number.isFinite(x)) return x;
  return /^\d{4}-\d\d-\d\d[T ]/.test(s) ? Date.parse(s) / 1000 : NaN;
}

function parseBool(s: string): boolean | undefined {
  const v = s.toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  return undefined;
}

const failedStatus = (s: number) => s === 0 || s >= 500;
const ok = (s: number) => s >= 200 && s < 300;

interface ThreadState {
  /** A project or task whose lookup found its parent, waiting for its insert. */
  open?: { row: Row; cleanLineage: boolean };
  lastTime: number;
  lastLine: number;
  cleanUser: boolean;
  cleanProject: boolean;
}

/** Walks each thread's rows in order, closing records as the test script does. */
function recordsOf(rows: readonly Row[], file: string, issues: Issue[]): RequestLog {
  const counts: RequestCounts = { requests: 0, failed: 0, insertRequests: 0, failedInserts: 0 };
  const records: LoggedRecord[] = [];
  const threads = new Map<string, ThreadState>();
  const bad = (line: number, path: string, message: string) => issues.push({ file, line, path, message });
  const close = (first: Row, cleanLineage: boolean, outcome: Outcome) =>
    records.push({ thread: first.thread, type: first.type, name: first.name, malicious: first.malicious, outcome, cleanLineage, line: first.line });

  for (const row of rows) {
    let t = threads.get(row.thread);
    if (!t) threads.set(row.thread, (t = { lastTime: -Infinity, lastLine: 0, cleanUser: true, cleanProject: true }));
    if (row.time < t.lastTime) bad(row.line, 'timestamp', `goes back in time on thread ${row.thread} (line ${t.lastLine} is later)`);
    t.lastTime = Math.max(t.lastTime, row.time);
    t.lastLine = row.line;
    const open = t.open;
    const isInsertOfOpen = open !== undefined && open.row.type === row.type && open.row.name === row.name && row.step !== 'lookup';
    if (open && !isInsertOfOpen) {
      bad(open.row.line, 'http_status', `the lookup of ${open.row.type} ${JSON.stringify(open.row.name)} found its parent, but no insert of it follows on thread ${row.thread}`);
      t.open = undefined;
    }
    counts.requests++;
    const failed = failedStatus(row.status);
    if (failed) counts.failed++;
    if (isInsertOfOpen && open) {
      t.open = undefined;
      if (row.malicious !== open.row.malicious) bad(row.line, 'malicious', `differs from the lookup of the same record (line ${open.row.line})`);
      insert(row, open.row, open.cleanLineage);
      continue;
    }
    // A new record: remember its lineage for the optimal run, then its first request.
    const cleanLineage = row.type === 'user' ? true : row.type === 'project' ? t.cleanUser : t.cleanUser && t.cleanProject;
    if (row.type === 'user') t.cleanUser = !row.malicious;
    if (row.type === 'project') t.cleanProject = !row.malicious;
    if (row.type === 'user') {
      if (row.step === 'lookup') bad(row.line, 'step', 'a user record has no lookup, only an insert');
      else insert(row, row, cleanLineage);
      continue;
    }
    if (row.step === 'insert') {
      bad(row.line, 'step', `an insert of ${row.type} ${JSON.stringify(row.name)} without a lookup before it`);
      continue;
    }
    if (failed) close(row, cleanLineage, 'failed');
    else if (row.status === 404) close(row, cleanLineage, 'orphaned');
    else if (ok(row.status)) t.open = { row, cleanLineage };
    else bad(row.line, 'http_status', `expected 2xx, 404 or a failure (>= 500, 0) for a lookup, found ${row.status}`);
  }
  for (const [thread, t] of threads) {
    if (t.open) bad(t.open.row.line, 'http_status', `the lookup of ${t.open.row.type} ${JSON.stringify(t.open.row.name)} found its parent, but the log of thread ${thread} ends before its insert`);
  }
  return { records, counts };

  function insert(row: Row, first: Row, cleanLineage: boolean): void {
    counts.insertRequests++;
    if (failedStatus(row.status)) {
      counts.failedInserts++;
      close(first, cleanLineage, 'failed');
    } else if (ok(row.status)) close(first, cleanLineage, first.malicious ? 'inserted_malicious' : 'inserted_clean');
    else if (row.status >= 400) close(first, cleanLineage, 'rejected');
    else bad(row.line, 'http_status', `expected 2xx, 4xx or a failure (>= 500, 0) for an insert, found ${row.status}`);
  }
}
