/**
 * How the test script reaches each service in manifests: Services select
 * Deployments by label, Ingress rules route to Services. A workload service
 * behind an Ingress is reached through the ingress (the paper's path); one
 * with only a Service, through its ClusterIP (`workload.via`). ingress-nginx
 * annotations on the Ingress set the ingress settings they name.
 */
import { workloadServices } from '../schema/schema.ts';
import type { Issue } from '../util/errors.ts';
import type { Manifest } from './k8s-manifests.ts';
import { dig, selects, stringMap, templateLabels, where } from './k8s-objects.ts';
import { isPlainObject } from '../scenario/validate.ts';

/** A value for one scenario path and where it came from. */
export interface Setting {
  path: string;
  value: unknown;
  origin: string;
}

const annotation = 'nginx.ingress.kubernetes.io/';

/** The workload steps that go to each service (docs/model.md section 6). */
const stepsTo: Record<string, string[]> = {
  [workloadServices.user]: ['workload.via.user.insert', 'workload.via.project.lookup'],
  [workloadServices.project]: ['workload.via.project.insert', 'workload.via.task.lookup'],
  [workloadServices.task]: ['workload.via.task.insert'],
};

export function routing(deployments: ReadonlyMap<string, Manifest>, all: readonly Manifest[], notes: string[], issues: Issue[]): Setting[] {
  const services = all.filter((m) => m.kind === 'Service');
  const ingresses = all.filter((m) => m.kind === 'Ingress');
  const selectorOf = (s: Manifest) => stringMap(dig(s.body, 'spec.selector'));
  for (const s of services) {
    const picked = [...deployments.values()].filter((d) => d.namespace === s.namespace && selects(selectorOf(s), templateLabels(d)));
    if (picked.length === 0) notes.push(`${where(s)} selects no Deployment of these manifests (external or elsewhere): not simulated`);
  }
  const routed = new Set(ingresses.flatMap((i) => backends(i).map((b) => `${i.namespace}/${b}`)));
  const settings: Setting[] = [];
  for (const [service, d] of deployments) {
    const front = services.filter((s) => s.namespace === d.namespace && selects(selectorOf(s), templateLabels(d)));
    const steps = stepsTo[service];
    if (front.length === 0) {
      notes.push(`no Service selects ${where(d)}: nothing can reach it${steps ? '; the scenario keeps the ingress path' : ''}`);
      continue;
    }
    const viaIngress = front.filter((s) => routed.has(`${s.namespace}/${s.name}`));
    if (viaIngress.length > 0 || !steps) continue;
    const origin = `Service ${front[0].name} has no Ingress route: the script calls its ClusterIP`;
    notes.push(`${service}: ${origin}`);
    for (const path of steps) settings.push({ path, value: 'clusterIP', origin });
  }
  settings.push(...ingressSettings(ingresses, notes, issues));
  return settings;
}

/** Service names an Ingress routes to (networking.k8s.io/v1 and the older v1beta1 fields). */
function backends(i: Manifest): string[] {
  const names: string[] = [];
  const add = (b: unknown) => {
    const name = dig(b, 'service.name') ?? dig(b, 'serviceName');
    if (typeof name === 'string') names.push(name);
  };
  add(dig(i.body, 'spec.defaultBackend'));
  add(dig(i.body, 'spec.backend'));
  const rules = dig(i.body, 'spec.rules');
  for (const r of Array.isArray(rules) ? rules : []) {
    const paths = dig(r, 'http.paths');
    for (const p of Array.isArray(paths) ? paths : []) if (isPlainObject(p)) add(p.backend);
  }
  return names;
}

function ingressSettings(ingresses: readonly Manifest[], notes: string[], issues: Issue[]): Setting[] {
  const out: Setting[] = [];
  for (const i of ingresses) {
    const cls = dig(i.body, 'spec.ingressClassName') ?? stringMap(dig(i.body, 'metadata.annotations'))['kubernetes.io/ingress.class'];
    if (cls !== undefined && cls !== 'nginx') notes.push(`${where(i)} has ingress class ${JSON.stringify(cls)}; the model is ingress-nginx's`);
    const a = stringMap(dig(i.body, 'metadata.annotations'));
    const set = (path: string, key: string, value: unknown) => {
      const earlier = out.find((s) => s.path === path);
      if (earlier && earlier.value !== value) notes.push(`${where(i)}: ${key} differs from ${earlier.origin}; the first is kept`);
      else if (!earlier) out.push({ path, value, origin: `${where(i)}: ${key}` });
    };
    const int = (key: string, min: number, max: number, path: string) => {
      const text = a[annotation + key];
      if (text === undefined) return;
      const x = Number(text);
      if (Number.isInteger(x) && x >= min && x <= max) set(path, annotation + key, x);
      else issues.push({ file: i.file, line: i.line, path: `${where(i)}: ${annotation}${key}`, message: `expected an integer from ${min} to ${max}, found ${JSON.stringify(text)}` });
    };
    int('proxy-next-upstream-tries', 1, 100, 'ingress.tries');
    int('proxy-connect-timeout', 1, 3600, 'ingress.connectTimeout');
    const lb = a[`${annotation}load-balance`];
    if (lb === 'round_robin') set('ingress.policy', `${annotation}load-balance`, 'round-robin');
    else if (lb !== undefined) notes.push(`${where(i)}: load-balance ${JSON.stringify(lb)} is not modelled (round-robin, random or least-request are); set ingress.policy by hand`);
    if (a[`${annotation}upstream-hash-by`] !== undefined) notes.push(`${where(i)}: upstream-hash-by (consistent hashing) is not modelled`);
  }
  return out;
}
