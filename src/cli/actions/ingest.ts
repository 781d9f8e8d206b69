/** What `sim ingest` does; its options are in commands/ingest.ts. */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { writeToString } from 'fast-csv';
import { writeCsvFile } from '../../util/atomic.ts';
import { liveCsvRow, liveHeader, liveRowsFromRuns, logMetrics, mergeLiveRows } from '../../live/ingest.ts';
import { readLive } from '../../live/live.ts';
import { readRequestLog, type RequestLog } from '../../live/request-log.ts';
import { UserError, type Issue } from '../../util/errors.ts';

export interface IngestArgs {
  logs: string[];
  period: string;
  replicas: number;
  out?: string;
  source?: string;
}

export async function action(args: IngestArgs): Promise<void> {
  const period = checkPeriod(args.period);
  if (!(Number.isInteger(args.replicas) && args.replicas >= 1)) {
    throw new UserError([{ file: 'command line', path: '', message: `--replicas: expected a positive integer, found ${args.replicas}` }]);
  }
  const logs = await readLogs(args.logs);
  const source = args.source ?? `ingest of ${args.logs.map((l) => basename(l)).join(' + ')}`;
  const rows = liveRowsFromRuns(logs.map(logMetrics), { period, replicas: args.replicas, source });
  const records = logs.reduce((a, l) => a + l.records.length, 0);
  const requests = logs.reduce((a, l) => a + l.counts.requests, 0);
  const summary = `${logs.length} log(s), ${records} records, ${requests} requests: ${rows.length} metrics at period ${period}, replicas ${args.replicas}`;
  if (args.out === undefined) {
    process.stdout.write(`${await writeToString([liveHeader, ...rows.map(liveCsvRow)])}\n`);
    process.stderr.write(`sim: ${summary}\n`);
    return;
  }
  const existing = existsSync(args.out) ? await readLive(args.out) : [];
  const merged = mergeLiveRows(existing, rows);
  await writeCsvFile(args.out, liveHeader, merged.map(liveCsvRow));
  process.stderr.write(`sim: ${summary}; wrote ${merged.length} rows to ${args.out}\n`);
}

function checkPeriod(p: string): string {
  const t = String(p).trim();
  if (t === 'inf') return t;
  const x = Number(t);
  // Decimal only: Number() also reads 0x10 and Infinity.
  if (!/^\+?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) || !(Number.isFinite(x) && x > 0)) {
    throw new UserError([{ file: 'command line', path: '', message: `--period: expected a positive number of seconds or inf, found ${JSON.stringify(p)}` }]);
  }
  return String(x);
}

/** Every log, with the issues of all of them reported together. */
async function readLogs(paths: readonly string[]): Promise<RequestLog[]> {
  const logs: RequestLog[] = [];
  const issues: Issue[] = [];
  for (const p of paths) {
    try {
      logs.push(await readRequestLog(p));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      // One push per issue: a log of 200k bad rows has 200k issues, too many arguments for one call.
      for (const i of e.issues) issues.push(i);
    }
  }
  if (issues.length > 0) throw new UserError(issues);
  return logs;
}
