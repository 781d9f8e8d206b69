/**
 * The paper's test script for real, against any base URL (an ingress that
 * routes /users, /projects and /tasks): T threads replay their records one
 * at a time (src/workload/records.ts, the simulator's order), waiting `pace`
 * after each record but a thread's last; a project or task first looks up
 * its parent by name (GET /users/NAME, GET /projects/NAME) and is inserted
 * (POST) only when found. A malicious record's name carries Cyrillic
 * characters (a suffix when its dataset name has none), which only the
 * vulnerable implementation accepts.
 *
 * Writes the per-request log that `sim ingest` reads: timestamp (seconds
 * when the request was sent), thread, type, name, malicious, http_status
 * (0: no response), step, and for the trace latency (s), implementation
 * and pod (response headers X-Implementation, X-Pod).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Dataset } from '../dataset/dataset.ts';
import { threadRecords, type WorkRecord } from '../workload/records.ts';

export const scriptLogColumns = ['timestamp', 'thread', 'type', 'name', 'malicious', 'http_status', 'step', 'latency', 'implementation', 'pod'];

export interface ScriptOptions {
  baseUrl: string;
  threads: number;
  pace: number;
  dataset: Dataset;
  logFile: string;
  /** Seconds on the caller's clock (timestamps of the log). */
  clock: () => number;
  /** A request without an answer after this many seconds is logged with status 0. */
  timeout?: number;
  onRecord?: (done: number) => void;
}

const cyrillic = /[\u0400-\u04FF]/;
/** The name sent for a record: malicious ones carry Cyrillic characters. */
export const realName = (name: string, malicious: boolean) => (malicious && !cyrillic.test(name) ? `${name}-вред` : name);

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export async function runScript(o: ScriptOptions): Promise<{ requests: number; records: number }> {
  const out = createWriteStream(o.logFile, { encoding: 'utf8' });
  out.write(`${scriptLogColumns.join(',')}\n`);
  let requests = 0;
  let records = 0;
  const timeout = (o.timeout ?? 120) * 1000;
  const base = o.baseUrl.replace(/\/$/, '');

  const send = async (r: WorkRecord, step: 'lookup' | 'insert', method: string, path: string, body?: object): Promise<number> => {
    const t = o.clock();
    let status = 0;
    let impl = '';
    let pod = '';
    try {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeout),
      });
      await res.arrayBuffer();
      status = res.status;
      impl = res.headers.get('x-implementation') ?? '';
      pod = res.headers.get('x-pod') ?? '';
    } catch {
      status = 0; // no response: a client error or a timeout
    }
    const latency = o.clock() - t;
    requests++;
    const row = [t.toFixed(6), String(r.thread), r.type, csvField(realName(r.name, r.malicious)), String(r.malicious), String(status), step, latency.toFixed(6), impl, pod];
    if (!out.write(`${row.join(',')}\n`)) await once(out, 'drain');
    return status;
  };

  const thread = async (source: ReturnType<typeof threadRecords>[number]) => {
    const names = new Map<string, string>(); // dataset name -> name sent, for the lookups of children
    let r = source.next();
    while (r !== null) {
      const name = realName(r.name, r.malicious);
      if (r.type !== 'task') names.set(`${r.type}/${r.name}`, name);
      const svc = r.type === 'user' ? 'users' : r.type === 'project' ? 'projects' : 'tasks';
      if (r.type === 'user') await send(r, 'insert', 'POST', '/users', { name });
      else {
        const parentType = r.type === 'project' ? 'user' : 'project';
        const parent = names.get(`${parentType}/${r.parent}`) ?? r.parent;
        const found = await send(r, 'lookup', 'GET', `/${parentType}s/${encodeURIComponent(parent)}`);
        if (found >= 200 && found < 300) await send(r, 'insert', 'POST', `/${svc}`, { name, parent });
      }
      records++;
      o.onRecord?.(records);
      const next = source.next();
      if (next !== null && o.pace > 0) await new Promise((res) => setTimeout(res, o.pace * 1000));
      r = next;
    }
  };
  await Promise.all(threadRecords(o.dataset, o.threads).map(thread));
  out.end();
  await once(out, 'finish');
  return { requests, records };
}
