/**
 * The diversifier as a program for a real cluster (the diversifier
 * Deployment of scenarios/k8s/todo/diversifier.yaml runs it):
 *
 *   node --import tsx src/testbed/diversifier-main.ts
 *
 * configured by its environment, as `sim import` reads it: PERIOD (seconds
 * or inf), TARGETS (comma-separated services), JITTER (s, default 0),
 * SELECT (any, ready, oldest; default any), WAIT_FOR_DELETION (true/false),
 * NAMESPACE (default: the pod's own, else default), LABEL (default app),
 * SEED (default: random). One JSON line per deletion on stdout.
 */
import { randomInt } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import { RandomStreams } from '../engine/random.ts';
import { runDiversifier, settingsFromEnv } from './diversifier.ts';
import { k8sBackend, type CoreApi } from './k8s-backend.ts';

/** A CoreV1Api from the in-cluster service account, or ~/.kube/config outside a cluster. */
function coreApi(): CoreApi {
  const kc = new k8s.KubeConfig();
  kc.loadFromDefault();
  return kc.makeApiClient(k8s.CoreV1Api) as unknown as CoreApi;
}

function ownNamespace(): string {
  try {
    return readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/namespace', 'utf8').trim();
  } catch {
    return 'default';
  }
}

async function main(): Promise<void> {
  const s = settingsFromEnv(process.env);
  const seed = process.env.SEED !== undefined ? Number(process.env.SEED) : randomInt(2 ** 31);
  const streams = new RandomStreams(seed, 0);
  const backend = k8sBackend(coreApi(), { namespace: process.env.NAMESPACE ?? ownNamespace(), label: process.env.LABEL ?? 'app' });
  const stop = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => stop.abort());
  const clock = () => Date.now() / 1000;
  await Promise.all(s.targets.map((t) =>
    runDiversifier(backend, t, s, {
      clock, signal: stop.signal, victimRng: streams.stream(`diversifier/${t}`), jitterRng: streams.stream(`diversifier-jitter/${t}`),
      onKill: (k) => process.stdout.write(`${JSON.stringify({ time: new Date(k.at * 1000).toISOString(), service: k.service, pod: k.pod, effective: k.effective })}\n`),
    }).catch((e: Error) => {
      process.stderr.write(`diversifier ${t}: ${e.message}\n`);
      process.exitCode = 1;
      stop.abort();
    })));
}

// Run as a program (not when a test imports settingsFromEnv).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main().catch((e: Error) => {
    process.stderr.write(`diversifier: ${e.message}\n`);
    process.exit(1);
  });
}
