/**
 * Kubernetes manifests to a scenario: what Deployments, Services and
 * Ingresses say (replicas, terminationGracePeriodSeconds, the readiness
 * probe, routes, ingress-nginx annotations, the diversifier's period);
 * everything else keeps the model's defaults. A setting shared by most
 * services goes to `cluster` (or the top-level `diversifier`), the others to
 * `services.<name>`. Each imported value remembers where it came from, for
 * the comments of the written file (import-yaml.ts).
 */
import { workloadServices } from '../schema/schema.ts';
import { UserError, type Issue } from '../util/errors.ts';
import { canDeletePods, isDiversifier, rotations, type Rotation } from './k8s-diversifier.ts';
import type { Manifest } from './k8s-manifests.ts';
import { containers, numberField, where } from './k8s-objects.ts';
import { routing } from './k8s-routing.ts';
import { setPath } from '../scenario/overrides.ts';

export interface ImportOptions {
  /** The scenario's name. */
  name: string;
  /** Deployment name -> service name (`todo-users` -> `users`). */
  rename?: Readonly<Record<string, string>>;
}

export interface ImportResult {
  /** The scenario document: only what the manifests say, plus name and description. */
  doc: Record<string, unknown>;
  /** Scenario path -> where its value came from. */
  origins: Map<string, string>;
  notes: string[];
}

const modelled = new Set(['Deployment', 'Service', 'Ingress']);
const serviceName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

interface Entry {
  value: unknown;
  /** What in the object gave the value: `spec.replicas`, `no readinessProbe`. */
  what: string;
}

export function importManifests(all: readonly Manifest[], opts: ImportOptions): ImportResult {
  const notes: string[] = [];
  const issues: Issue[] = [];
  const rename = (n: string) => opts.rename?.[n] ?? n;
  skippedKinds(all, notes);
  const deployments = all.filter((m) => m.kind === 'Deployment');
  const diversifiers = deployments.filter(isDiversifier);
  const apps = appDeployments(deployments.filter((d) => !isDiversifier(d)), rename, all[0]?.file ?? 'manifests', issues);
  if (issues.length > 0) throw new UserError(issues);
  const order = [...apps.keys()];

  const fields = new Map<string, Map<string, Entry>>();
  for (const [service, d] of apps) {
    for (const [field, entry] of Object.entries(podSettings(d, notes, issues))) {
      if (!fields.has(field)) fields.set(field, new Map());
      fields.get(field)!.set(service, entry);
    }
  }
  const turns = rotations(diversifiers, order, rename, notes, issues);
  for (const d of diversifiers) {
    if (!canDeletePods(d, all)) notes.push(`${where(d)}: no Role in these manifests lets its service account list and delete pods; in the cluster it could not rotate`);
  }
  const routes = routing(apps, all, notes, issues);
  if (issues.length > 0) throw new UserError(issues);

  const doc: Record<string, unknown> = {
    name: opts.name,
    description: 'imported from Kubernetes manifests by sim import',
    services: Object.fromEntries(order.map((s) => [s, {}])),
  };
  const origins = new Map<string, string>();
  const put = (path: string, value: unknown, origin: string) => {
    setPath(doc, path, value);
    origins.set(path, origin);
  };
  for (const [field, perService] of fields) factor(perService, order, `cluster.${field}`, (s) => `services.${s}.${field}`, 'Deployment', put);
  const rotationFields = diversifierEntries(turns, order, diversifiers.length > 0);
  for (const [field, perService] of rotationFields) factor(perService, order, `diversifier.${field}`, (s) => `services.${s}.diversifier.${field}`, 'service', put);
  for (const r of routes) put(r.path, r.value, r.origin);
  return { doc, origins, notes };
}

function skippedKinds(all: readonly Manifest[], notes: string[]): void {
  const skipped = all.filter((m) => !modelled.has(m.kind) && !m.kind.endsWith('Role') && !m.kind.endsWith('RoleBinding'));
  const rbac = all.filter((m) => m.kind.endsWith('Role') || m.kind.endsWith('RoleBinding') || m.kind === 'ServiceAccount');
  const list = (ms: readonly Manifest[]) => ms.map((m) => `${m.kind} ${m.name}`).join(', ');
  const other = skipped.filter((m) => m.kind !== 'ServiceAccount');
  if (other.length > 0) notes.push(`skipped (not part of the model): ${list(other)}`);
  if (rbac.length > 0) notes.push(`read only to check the diversifier's permissions: ${list(rbac)}`);
}

/** App Deployments by service name, in manifest order. */
function appDeployments(ds: readonly Manifest[], rename: (n: string) => string, file: string, issues: Issue[]): Map<string, Manifest> {
  const out = new Map<string, Manifest>();
  for (const d of ds) {
    const name = rename(d.name);
    const at = { file: d.file, line: d.line, path: `Deployment ${d.name}` };
    if (!serviceName.test(name)) issues.push({ ...at, message: `expected a service name matching ${serviceName.source}, found ${JSON.stringify(name)}; rename it with --rename ${d.name}=NAME` });
    else if (out.has(name)) issues.push({ ...at, message: `a second Deployment named ${name} (the first is ${where(out.get(name)!)}); rename one with --rename` });
    else out.set(name, d);
  }
  const required = Object.values(workloadServices);
  const missing = required.filter((s) => !out.has(s));
  if (out.size === 0 && issues.length === 0) {
    issues.push({ file, path: '', message: `expected Deployments ${required.join(', ')} (the test script's services), found no Deployment in these manifests (a folder is read without its subfolders unless -R)` });
  } else if (missing.length > 0 && issues.length === 0) {
    const found = [...out.keys()].join(', ');
    issues.push({ file: ds[0].file, path: '', message: `expected Deployments ${required.join(', ')} (the test script's services), missing ${missing.join(', ')}; found ${found}. Map names with --rename DEPLOYMENT=SERVICE` });
  }
  // The test script's services first, in its order (as scenarios/paper.yaml lists them), then the others.
  const ordered = new Map<string, Manifest>();
  for (const s of required) if (out.has(s)) ordered.set(s, out.get(s)!);
  for (const [s, d] of out) if (!ordered.has(s)) ordered.set(s, d);
  return ordered;
}

/** replicas, grace and readiness of one Deployment's pods, with Kubernetes' defaults when unset. */
function podSettings(d: Manifest, notes: string[], issues: Issue[]): Record<string, Entry> {
  const replicas = numberField(d, 'spec.replicas', 1, 0, issues);
  const grace = numberField(d, 'spec.template.spec.terminationGracePeriodSeconds', 30, 0, issues);
  if (replicas.value === 0) issues.push({ file: d.file, line: d.line, path: `Deployment ${d.name}: spec.replicas`, message: 'expected at least 1 replica (the test script needs the service), found 0' });
  const out: Record<string, Entry> = {
    replicas: { value: replicas.value, what: replicas.given ? 'spec.replicas' : 'no spec.replicas: the Kubernetes default 1' },
    grace: { value: grace.value, what: grace.given ? 'terminationGracePeriodSeconds' : 'no terminationGracePeriodSeconds: the Kubernetes default 30 s' },
  };
  const cs = containers(d);
  if (cs.length > 1) notes.push(`${where(d)} has ${cs.length} containers; the first with a readiness probe decides readiness`);
  for (const c of cs) if (c.preStop) notes.push(`${where(d)}: container ${c.name} has a preStop hook; manifests do not tell how the application handles SIGTERM: check cluster.sigterm`);
  const probed = cs.find((c) => c.readinessProbe !== undefined);
  if (!probed?.readinessProbe) {
    out.readiness = { value: 'none', what: 'no readinessProbe: Ready as soon as the container runs' };
    return out;
  }
  const p = probed.readinessProbe;
  if (p.exec !== undefined) notes.push(`${where(d)}: an exec readiness probe is modelled as succeeding once the application listens`);
  const period = numberField(d, 'readinessProbe.periodSeconds', 10, 1, issues, { readinessProbe: p });
  const delay = numberField(d, 'readinessProbe.initialDelaySeconds', 0, 0, issues, { readinessProbe: p });
  out.readiness = { value: 'probe', what: `readinessProbe of container ${probed.name}` };
  out.probePeriod = { value: period.value, what: period.given ? 'readinessProbe.periodSeconds' : 'readinessProbe without periodSeconds: the Kubernetes default 10 s' };
  out.initialDelay = { value: delay.value, what: delay.given ? 'readinessProbe.initialDelaySeconds' : 'readinessProbe without initialDelaySeconds: the Kubernetes default 0' };
  return out;
}

/** Per service: the diversifier's period (inf when nothing rotates it), jitter and select. */
function diversifierEntries(turns: ReadonlyMap<string, Rotation>, order: readonly string[], any: boolean): Map<string, Map<string, Entry>> {
  const period = new Map<string, Entry>();
  const jitter = new Map<string, Entry>();
  const select = new Map<string, Entry>();
  for (const s of order) {
    const r = turns.get(s);
    if (!r) {
      period.set(s, { value: 'inf', what: any ? 'no diversifier targets it: no rotation' : 'no diversifier Deployment in the manifests: no rotation' });
      continue;
    }
    period.set(s, { value: r.period, what: `env PERIOD of ${r.origin}` });
    if (r.jitter !== undefined) jitter.set(s, { value: r.jitter, what: `env JITTER of ${r.origin}` });
    if (r.select !== undefined) select.set(s, { value: r.select, what: `env SELECT of ${r.origin}` });
  }
  return new Map([['period', period], ['jitter', jitter], ['select', select]]);
}

/**
 * The most common value (ties: the first service's) goes to the common
 * path, other values to their services. A service without the field does
 * not use it (probePeriod without a probe, select without rotation), so the
 * common value is harmless to it.
 */
function factor(
  perService: ReadonlyMap<string, Entry>,
  order: readonly string[],
  common: string,
  own: (service: string) => string,
  /** What the services are called in the comment: `Deployment`, `service`. */
  noun: string,
  put: (path: string, value: unknown, origin: string) => void,
): void {
  const present = order.filter((s) => perService.has(s));
  if (present.length === 0) return;
  const key = (s: string) => JSON.stringify(perService.get(s)!.value);
  const counts = new Map<string, number>();
  for (const s of present) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
  const best = present.map(key).reduce((a, b) => ((counts.get(b) ?? 0) > (counts.get(a) ?? 0) ? b : a));
  const shared = present.filter((s) => key(s) === best);
  const whats = [...new Set(shared.map((s) => perService.get(s)!.what))];
  put(common, perService.get(shared[0])!.value, `${whats.join('; ')} (${noun}${shared.length > 1 ? 's' : ''} ${shared.join(', ')})`);
  for (const s of present) {
    if (shared.includes(s)) continue;
    const e = perService.get(s)!;
    put(own(s), e.value, `${e.what} (${noun} ${s})`);
  }
}
