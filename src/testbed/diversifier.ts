/**
 * The diversifier for real (level 2 of the defense): every interval it lists
 * the service's pods and deletes one, chosen by the same functions the
 * simulator uses (src/cluster/victim.ts), so the two cannot drift. The first
 * deletion is at start + P, later ones every nextInterval after the previous
 * one (or after the victim is gone, with waitForDeletion), on an absolute
 * schedule so slow API calls do not stretch the period.
 *
 * Backends: the testbed's supervisor (testbed-backend in run.ts) and
 * Kubernetes (k8s-backend.ts, the program diversifier-main.ts).
 */
import type { Rng } from '../engine/random.ts';
import { chooseVictim, nextInterval, type Candidate, type Select } from '../cluster/victim.ts';

export interface DiversifierSettings {
  period: number | 'inf';
  jitter: number;
  select: Select;
  waitForDeletion: boolean;
}

export interface PodBackend<P extends Candidate & { name: string }> {
  /** The service's existing pods (Terminating ones included), in creation order. */
  list(service: string): Promise<P[]>;
  /** Deletes the pod; false when the deletion was ignored (it was already Terminating). */
  delete(service: string, pod: P): Promise<boolean>;
  waitGone(service: string, pod: P): Promise<void>;
}

export interface Kill {
  at: number;
  service: string;
  pod: string;
  effective: boolean;
}

export interface DiversifierOptions {
  clock: () => number;
  victimRng: Rng;
  jitterRng: Rng;
  signal: AbortSignal;
  onKill?: (k: Kill) => void;
}

/** Runs until the signal aborts; resolves then. */
export async function runDiversifier<P extends Candidate & { name: string }>(
  backend: PodBackend<P>, service: string, s: DiversifierSettings, o: DiversifierOptions,
): Promise<void> {
  if (s.period === 'inf') return;
  const period = s.period;
  let at = o.clock() + period;
  while (!o.signal.aborted) {
    if (!(await sleepUntil(at, o.clock, o.signal))) return;
    const tick = at;
    const victim = chooseVictim(s.select, await backend.list(service), o.victimRng);
    let from = tick;
    if (victim !== null) {
      const effective = await backend.delete(service, victim);
      o.onKill?.({ at: o.clock(), service, pod: victim.name, effective });
      if (s.waitForDeletion) {
        await Promise.race([backend.waitGone(service, victim), aborted(o.signal)]);
        from = o.clock();
      }
    }
    at = from + nextInterval(period, s.jitter, o.jitterRng);
  }
}

function sleepUntil(at: number, clock: () => number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve(true);
    }, Math.max(0, at - clock()) * 1000);
    const stop = () => {
      clearTimeout(t);
      resolve(false);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

const aborted = (signal: AbortSignal) => new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));

/** The settings of the diversifier program from its environment (the variables `sim import` reads). Throws on a bad value. */
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
