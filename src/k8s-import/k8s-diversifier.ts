/**
 * The diversifier in manifests: a Deployment marked by the label
 * `app.kubernetes.io/component: diversifier` (or named *diversifier*), whose
 * containers say in their environment what they rotate: PERIOD (seconds or
 * inf), TARGETS (comma-separated services; default all), and optionally
 * JITTER and SELECT (any, ready, oldest). Also checks that RBAC in the same
 * manifests lets its service account list and delete pods.
 */
import type { Issue } from '../util/errors.ts';
import type { Manifest } from './k8s-manifests.ts';
import { containers, dig, stringMap, where } from './k8s-objects.ts';
import { isPlainObject } from '../scenario/validate.ts';

export interface Rotation {
  period: number | 'inf';
  jitter?: number;
  select?: 'any' | 'ready' | 'oldest';
  origin: string;
}

export function isDiversifier(m: Manifest): boolean {
  const labels = { ...stringMap(dig(m.body, 'metadata.labels')), ...stringMap(dig(m.body, 'spec.template.metadata.labels')) };
  return labels['app.kubernetes.io/component'] === 'diversifier' || /diversifier/i.test(m.name);
}

/** What each service's rotation is, by (renamed) service name; services no diversifier targets are absent. */
export function rotations(
  diversifiers: readonly Manifest[],
  services: readonly string[],
  rename: (name: string) => string,
  notes: string[],
  issues: Issue[],
): Map<string, Rotation> {
  const out = new Map<string, Rotation>();
  for (const d of diversifiers) {
    if (dig(d.body, 'spec.replicas') === 0) {
      notes.push(`${where(d)} is scaled to 0 replicas: it rotates nothing`);
      continue;
    }
    for (const c of containers(d)) {
      const rotation = fromEnv(d, c.name, c.env, issues);
      if (!rotation) continue;
      const targets = c.env.TARGETS ?? c.env.TARGET;
      const named = targets === undefined ? [...services] : targets.split(/[\s,]+/).filter((t) => t !== '').map(rename);
      for (const t of named) {
        if (!services.includes(t)) notes.push(`${where(d)}: target ${JSON.stringify(t)} is not a Deployment of these manifests; ignored`);
        else if (out.has(t)) notes.push(`${where(d)}: ${t} is already rotated by ${out.get(t)?.origin}; this one is ignored`);
        else out.set(t, rotation);
      }
    }
  }
  return out;
}

function fromEnv(d: Manifest, container: string, env: Record<string, string | undefined>, issues: Issue[]): Rotation | undefined {
  const origin = `${where(d)}, container ${container}`;
  const bad = (name: string, expected: string) =>
    issues.push({ file: d.file, line: d.line, path: `${d.kind} ${d.name}: env ${name}`, message: `expected ${expected}, found ${JSON.stringify(env[name] ?? 'a value from a ConfigMap or Secret')}` });
  if (!('PERIOD' in env)) return undefined;
  const p = env.PERIOD?.trim();
  const period = p === 'inf' ? 'inf' : Number(p);
  if (period !== 'inf' && !(p !== undefined && p !== '' && Number.isFinite(period) && period > 0)) {
    bad('PERIOD', 'a positive number of seconds or inf');
    return undefined;
  }
  const r: Rotation = { period, origin };
  if ('JITTER' in env) {
    const j = Number(env.JITTER);
    if (env.JITTER !== undefined && env.JITTER !== '' && Number.isFinite(j) && j >= 0) r.jitter = j;
    else bad('JITTER', 'a number of seconds >= 0');
  }
  if ('SELECT' in env) {
    const s = env.SELECT;
    if (s === 'any' || s === 'ready' || s === 'oldest') r.select = s;
    else bad('SELECT', 'any, ready or oldest');
  }
  return r;
}

/**
 * Whether some Role or ClusterRole bound (in these manifests) to the
 * diversifier's service account allows listing and deleting pods.
 */
export function canDeletePods(d: Manifest, all: readonly Manifest[]): boolean {
  const account = String(dig(d.body, 'spec.template.spec.serviceAccountName') ?? 'default');
  const bindings = all.filter((m) => (m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding') && boundTo(m, account, d.namespace));
  return bindings.some((b) => {
    const ref = dig(b.body, 'roleRef');
    if (!isPlainObject(ref)) return false;
    const role = all.find((m) => m.kind === ref.kind && m.name === ref.name && (m.kind === 'ClusterRole' || m.namespace === b.namespace));
    const rules = role ? dig(role.body, 'rules') : undefined;
    return Array.isArray(rules) && rules.some(allowsPodDeletion);
  });
}

function boundTo(binding: Manifest, account: string, namespace: string): boolean {
  const subjects = dig(binding.body, 'subjects');
  return Array.isArray(subjects) && subjects.some((s) =>
    isPlainObject(s) && s.kind === 'ServiceAccount' && s.name === account && (s.namespace ?? binding.namespace) === namespace);
}

function allowsPodDeletion(rule: unknown): boolean {
  if (!isPlainObject(rule)) return false;
  const has = (field: string, ...wanted: string[]) => {
    const v = rule[field];
    return Array.isArray(v) && (v.includes('*') || wanted.every((w) => v.includes(w)));
  };
  return has('apiGroups', '') && has('resources', 'pods') && has('verbs', 'list', 'delete');
}
