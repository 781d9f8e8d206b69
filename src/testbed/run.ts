/**
 * One testbed run of one cell: a fresh database and ingress, the pods of
 * every service, then, once every service has R listening pods in the
 * ingress's lists (t0), the diversifiers and the test script; at the last
 * response everything is torn down. Whatever happens, no process of the run
 * is left (procs.ts kills every group at exit, too).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceSettings } from '../cluster/settings.ts';
import { RandomStreams } from '../engine/random.ts';
import { loadDataset } from '../experiment/run.ts';
import type { Scenario } from '../schema/schema.ts';
import { runDiversifier, type Kill, type PodBackend } from './diversifier.ts';
import { EndpointPublisher } from './endpoints.ts';
import type { Database } from './mariadb.ts';
import { startNginx } from './nginx.ts';
import { sleep } from './procs.ts';
import { runScript } from './script.ts';
import { Supervisor, type RealPod } from './supervisor.ts';

export const testbedImplementations = ['python', 'node', 'php'] as const;

export interface RunResult {
  dir: string;
  logFile: string;
  accessLog: string;
  pods: RealPod[];
  kills: Kill[];
  syncs: { at: number; lists: Map<string, string[]> }[];
  t0: number;
  end: number;
  /** Epoch seconds of the run's clock zero (nginx logs epoch times). */
  epoch: number;
  warnings: string[];
}

export interface RunOptions {
  dir: string;
  db: Database;
  /** Index of the run: seeds the testbed's own draws (delays, picks), as a replication index does. */
  index: number;
  say: (line: string) => void;
}

export async function runTestbed(scenario: Scenario, o: RunOptions): Promise<RunResult> {
  const epoch = Date.now() / 1000;
  const clock = () => Date.now() / 1000 - epoch;
  const streams = new RandomStreams(scenario.seed, o.index);
  const services = serviceSettings(scenario);
  const dataset = loadDataset(scenario);
  await o.db.reset();
  const ing = scenario.ingress;
  const ingress = await startNginx(join(o.dir, 'nginx'), { workers: ing.workers, tries: ing.tries, connectTimeout: ing.connectTimeout, pollInterval: ing.pollInterval });
  const syncs: RunResult['syncs'] = [];
  let pushed = new Map<string, string[]>();
  let pushedAt = -Infinity;
  // Each stream claimed once, here; the closures below draw from them.
  const endpointRng = new Map(services.map((s) => [s.name, streams.stream(`endpoints/${s.name}`)]));
  const controllerRng = services.map((s) => streams.stream(`controller/${s.name}`));
  const languageRng = services.map((s) => streams.stream(`language/${s.name}`));
  const publisher = new EndpointPublisher(services.map((s) => s.name), {
    syncRate: ing.syncRate, syncBurst: ing.syncBurst, clock,
    sliceDelay: (svc) => services.find((s) => s.name === svc)!.endpointSliceDelay.sample(endpointRng.get(svc)!),
    push: async (lists) => {
      await ingress.push(lists);
      pushed = lists;
      pushedAt = clock();
    },
    onSync: (at, lists) => syncs.push({ at, lists }),
  });
  const supervisor = new Supervisor(
    services.map((s, k) => ({
      name: s.name, replicas: s.replicas, implementations: s.implementations.map((i) => `${i.name}:${i.weight}`).join(' '),
      sigterm: s.sigterm, drain: s.drain, grace: s.grace, readiness: s.readiness, probePeriod: s.probePeriod, initialDelay: s.initialDelay,
      controllerDelay: () => s.controllerDelay.sample(controllerRng[k]),
      implSeed: () => Math.floor(languageRng[k]() * 2 ** 31),
    })),
    { DB_PORT: String(o.db.port), DB_NAME: o.db.name, NODE: process.execPath },
    publisher, clock, epoch,
  );
  const stop = new AbortController();
  const kills: Kill[] = [];
  const diversifiers: Promise<void>[] = [];
  let t0 = NaN;
  let end = NaN;
  try {
    await supervisor.start();
    // t0: every service has R listening pods in the lists pushed, and every worker has reloaded since.
    const byAddress = () => new Map(supervisor.pods.map((p) => [p.address, p]));
    const allListening = () => {
      const pods = byAddress();
      return services.every((s) => (pushed.get(s.name) ?? []).filter((a) => pods.get(a)?.listening !== undefined && pods.get(a)?.gone === undefined).length >= s.replicas);
    };
    const deadline = clock() + 120;
    while (!(allListening() && clock() >= pushedAt + ing.pollInterval + 0.05)) {
      if (clock() > deadline) throw new Error(`the services did not get ${services.map((s) => s.replicas).join('/')} listening pods in the ingress within 120 s; ${supervisor.warnings.slice(-3).join('; ')}`);
      await sleep(20);
    }
    t0 = clock();
    o.say(`t0 = ${t0.toFixed(2)} s; running the test script`);
    const backend: PodBackend<RealPod & { terminating: boolean }> = {
      list: async (svc) => supervisor.list(svc).map((p) => Object.assign(p, { terminating: p.deleted !== undefined })),
      delete: async (_svc, p) => supervisor.delete(p),
      waitGone: (_svc, p) => supervisor.waitGone(p),
    };
    for (const s of services) {
      diversifiers.push(runDiversifier(backend, s.name, s.diversifier, {
        clock, signal: stop.signal, victimRng: streams.stream(`diversifier/${s.name}`), jitterRng: streams.stream(`diversifier-jitter/${s.name}`),
        onKill: (k) => kills.push(k),
      }));
    }
    const logFile = join(o.dir, 'requests.csv');
    await runScript({ baseUrl: `http://127.0.0.1:${ingress.port}`, threads: scenario.workload.threads, pace: scenario.workload.pace, dataset, logFile, clock });
    end = clock();
  } finally {
    stop.abort();
    await Promise.allSettled(diversifiers);
    publisher.stop();
    supervisor.stop();
    await ingress.stop();
  }
  const result: RunResult = {
    dir: o.dir, logFile: join(o.dir, 'requests.csv'), accessLog: ingress.accessLog, pods: supervisor.pods, kills, syncs, t0, end, epoch,
    warnings: [...supervisor.warnings, ...publisher.errors],
  };
  writeRunFiles(result);
  return result;
}

const f = (x: number | undefined) => (x === undefined ? '' : x.toFixed(6));

/** pods.csv, kills.csv and syncs.csv of the run: the testbed's side of the trace. */
function writeRunFiles(r: RunResult): void {
  writeFileSync(join(r.dir, 'pods.csv'), ['pod,service,implementation,address,created,listening,ready,deleted,gone,crashed',
    ...r.pods.map((p) => [p.name, p.service, p.implementation ?? '', p.address, f(p.created), f(p.listening), f(p.ready), f(p.deleted), f(p.gone), p.crashed ? 'true' : 'false'].join(','))].join('\n') + '\n');
  writeFileSync(join(r.dir, 'kills.csv'), ['time,service,pod,effective', ...r.kills.map((k) => [f(k.at), k.service, k.pod, String(k.effective)].join(','))].join('\n') + '\n');
  writeFileSync(join(r.dir, 'syncs.csv'), ['time,service,backends', ...r.syncs.flatMap((s) => [...s.lists].map(([svc, l]) => [f(s.at), svc, l.join(' ')].join(',')))].join('\n') + '\n');
}
