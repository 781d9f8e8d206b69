/**
 * The trace files of one replication (README "Outputs"): requests.csv,
 * records.csv and pods.csv.
 */
import { join } from 'node:path';
import type { Trace } from '../experiment/replication.ts';
import { writeCsvFile } from '../util/atomic.ts';
import { formatNumber } from '../util/number-format.ts';

const time = (t: number): string => (t === Infinity ? '' : formatNumber(t));


/** The files writeTrace writes. */
export const traceFiles = ['requests.csv', 'records.csv', 'pods.csv'] as const;

export async function writeTrace(dir: string, trace: Trace, services: readonly string[]): Promise<string[]> {
  const files = traceFiles.map((f) => join(dir, f));
  await writeCsvFile(
    files[0],
    ['time', 'end', 'thread', 'record', 'type', 'name', 'malicious', 'step', 'service', 'via', 'worker', 'pod', 'implementation', 'tries', 'status', 'cause'],
    trace.requests.map((q) => {
      const p = q.payload;
      // Requests of the clients and arrivals workloads have a thread but no record.
      const rec = 'record' in p ? [String(p.record.thread), String(p.record.id), p.record.type, p.record.name, String(p.record.malicious), p.step] : [String(p.thread), '', '', '', '', ''];
      return [
        time(q.sent), time(q.end), ...rec,
        services[q.service], q.via, String(q.worker), q.pod ? String(q.pod.id) : '', q.pod?.implementation.name ?? '',
        String(q.tries), String(q.status), q.cause,
      ];
    }),
  );
  await writeCsvFile(
    files[1],
    ['thread', 'record', 'type', 'name', 'malicious', 'outcome', 'start', 'end'],
    trace.records.map((r) => [String(r.thread), String(r.id), r.type, r.name, String(r.malicious), r.outcome ?? '', time(r.start), time(r.end)]),
  );
  await writeCsvFile(
    files[2],
    ['service', 'pod', 'implementation', 'vulnerable', 'created', 'running', 'listening', 'ready', 'endpoints_in', 'endpoints_out', 'deleted', 'gone'],
    trace.pods.map((p) => [
      p.service, String(p.id), p.implementation.name, String(p.implementation.vulnerable), time(p.created), time(p.running),
      time(p.listening), time(p.ready), time(p.endpointsIn), time(p.endpointsOut), time(p.deleted), time(p.gone),
    ]),
  );
  return files;
}
