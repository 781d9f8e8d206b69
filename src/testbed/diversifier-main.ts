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
import { readFileSync } from 'node:fs';
import { RandomStreams } from '../engine/random.ts';
import { runDiversifier, type DiversifierSettings } from './diversifier.ts';
import { defaultCoreApi, k8sBackend } from './k8s-backend.ts';

export function settingsFromEnv(env: NodeJS.ProcessEnv): DiversifierSettings & { targets: string[] } {
  const fail = (name: string, expected: string): never => {
    throw new Error(`diversifier: env ${name}: expected ${expected}, found ${JSON.stringify(env[name])}`);
  };
  const p = (env.PERIOD ?? '').trim();
  const period = p === 'inf' ? 'inf' : Number(p);
  if (period !== 'inf' && !(Number.isFinite(period) && period > 0)) fail('PERIOD', 'a positive number of seconds or inf');
  const jitter = env.JITTER === undefined ? 0 : Number(env.JITTER);
  if (!(Number.isFinite(jitter) && jitter >= 0)) fail('JITTER', 'a non-negative number of seconds');
  const select = (env.SELECT ?? 'any').trim();
  if (select !== 'any' && select !== 'ready' && select !== 'oldest') fail('SELECT', 'any, ready or oldest');
  const w = (env.WAIT_FOR_DELETION ?? 'false').trim().toLowerCase();
  if (w !== 'true' && w !== 'false') fail('WAIT_FOR_DELETION', 'true or false');
  const targets = (env.TARGETS ?? '').split(/[\s,]+/).filter((t) => t !== '');
  if (targets.length === 0) fail('TARGETS', 'comma-separated service names');
  return { period, jitter, select: select as DiversifierSettings['select'], waitForDeletion: w === 'true', targets };
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
  const backend = k8sBackend(await defaultCoreApi(), { namespace: process.env.NAMESPACE ?? ownNamespace(), label: process.env.LABEL ?? 'app' });
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

if (import.meta.url === `file://${process.argv[1]}`) void main();
