/**
 * What a testbed run measured: the ingress's per-request trace (its access
 * log, every try with its pod, status and time), the start-up and service
 * times of each implementation, and the invariants of the model that can be
 * observed from outside.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestLog } from '../live/request-log.ts';
import type { Dataset } from '../dataset/dataset.ts';
import { datasetTotals } from '../dataset/dataset.ts';
import type { RunResult } from './run.ts';

export interface Try {
  address: string;
  /** The upstream's status; 502 or 504 when nginx got none (refused, timed out). */
  status: number;
  seconds: number;
}

export interface IngressEntry {
  /** Run-clock seconds. */
  start: number;
  end: number;
  method: string;
  service: string;
  status: number;
  tries: Try[];
  implementation: string;
}

const split = (s: string) => (s === '-' || s === '' ? [] : s.split(/\s*,\s*/));

/** The access log of nginx.ts's `tries` format, in run-clock seconds. */
export function readAccessLog(file: string, epoch: number): IngressEntry[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l !== '').map((line) => {
    const [msec, rt, method, service, status, addrs, statuses, times, impl] = line.split('\t');
    const a = split(addrs);
    const st = split(statuses);
    const tm = split(times);
    const end = Number(msec) - epoch;
    return {
      start: end - Number(rt), end, method, service, status: Number(status),
      tries: a.map((address, i) => ({ address, status: Number(st[i]), seconds: Number(tm[i]) })),
      implementation: impl === '-' ? '' : impl,
    };
  });
}

const noAnswer = (s: number) => s === 502 || s === 504;

export interface Measured {
  /** Per implementation: start-up samples (creation until it listens) and service-time samples (s). */
  startup: Map<string, number[]>;
  serviceTime: Map<string, number[]>;
}

export function emptyMeasured(): Measured {
  return { startup: new Map(), serviceTime: new Map() };
}

const push = (m: Map<string, number[]>, k: string, v: number) => m.set(k, [...(m.get(k) ?? []), v]);

/** Adds a run's samples: each pod's start-up; each answered try's upstream time (connection, application, database). */
export function measure(run: RunResult, entries: readonly IngressEntry[], into: Measured): void {
  for (const p of run.pods) if (p.listening !== undefined && p.implementation) push(into.startup, p.implementation, p.listening - p.created);
  for (const e of entries) {
    const last = e.tries[e.tries.length - 1];
    if (last && !noAnswer(last.status) && e.implementation && Number.isFinite(last.seconds)) push(into.serviceTime, e.implementation, last.seconds);
  }
}

/** The model's invariants that a run shows from outside; each violation as a sentence. */
export function checkRun(run: RunResult, entries: readonly IngressEntry[], log: RequestLog, dataset: Dataset): string[] {
  const bad: string[] = [];
  const totals = datasetTotals(dataset);
  for (const type of ['user', 'project', 'task'] as const) {
    const n = log.records.filter((r) => r.type === type).length;
    if (n !== totals[type]) bad.push(`${n} ${type} records have an outcome, the dataset has ${totals[type]}: not every record has exactly one outcome`);
  }
  const byAddress = new Map(run.pods.map((p) => [p.address, p]));
  for (const e of entries) {
    for (const t of e.tries) {
      const pod = byAddress.get(t.address);
      if (pod === undefined) bad.push(`a request at ${e.start.toFixed(3)} s went to ${t.address}, which no pod of the run had`);
      // A try answered by a pod that was already gone when the request arrived.
      else if (!noAnswer(t.status) && pod.gone !== undefined && e.start > pod.gone + 0.002) {
        bad.push(`${pod.name} answered a request sent at ${e.start.toFixed(3)} s, after it was killed at ${pod.gone.toFixed(3)} s`);
      }
    }
  }
  if (entries.length !== log.counts.requests) bad.push(`the ingress logged ${entries.length} requests, the test script ${log.counts.requests}`);
  return bad;
}

/** trace.csv: one row per request at the ingress, every try with its pod. */
export function writeTrace(dir: string, run: RunResult, entries: readonly IngressEntry[]): string {
  const pods = new Map(run.pods.map((p) => [p.address, p.name]));
  const rows = entries.map((e) => [
    e.start.toFixed(6), e.end.toFixed(6), e.method, e.service, String(e.status), String(e.tries.length),
    e.tries.map((t) => pods.get(t.address) ?? t.address).join(' '), e.tries.map((t) => t.status).join(' '), e.implementation,
  ].join(','));
  const file = join(dir, 'trace.csv');
  writeFileSync(file, ['start,end,method,service,status,tries,pods,try_statuses,implementation', ...rows].join('\n') + '\n');
  return file;
}
