/**
 * Typed reads of the parts of Kubernetes objects the importer uses, with
 * Kubernetes' own defaults. Manifests are untyped YAML, so every read checks
 * the shape it finds; a value of the wrong type is an Issue at the object.
 */
import type { Issue } from '../util/errors.ts';
import type { Manifest } from './k8s-manifests.ts';
import { isPlainObject } from '../scenario/validate.ts';

/** The value at a dotted path of a parsed object, or undefined. */
export function dig(v: unknown, path: string): unknown {
  for (const k of path.split('.')) v = isPlainObject(v) ? v[k] : undefined;
  return v;
}

export function stringMap(v: unknown): Record<string, string> {
  if (!isPlainObject(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export const where = (m: Manifest) => `${m.kind} ${m.name} (${m.file}:${m.line})`;

/**
 * A number field of `from` (default the object): its value, Kubernetes'
 * default when absent, or an issue at the object when it is not a number in range.
 */
export function numberField(m: Manifest, path: string, def: number, min: number, issues: Issue[], from: unknown = m.body): { value: number; given: boolean } {
  const v = dig(from, path);
  if (v === undefined || v === null) return { value: def, given: false };
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    issues.push({ file: m.file, line: m.line, path: `${m.kind} ${m.name}: ${path}`, message: `expected a number >= ${min}, found ${JSON.stringify(v)}` });
    return { value: def, given: false };
  }
  return { value: v, given: true };
}

export interface Container {
  name: string;
  env: Record<string, string | undefined>;
  readinessProbe?: Record<string, unknown>;
  preStop: boolean;
}

/** The pod template's containers; an env var set from a ConfigMap or Secret has value undefined. */
export function containers(m: Manifest): Container[] {
  const list = dig(m.body, 'spec.template.spec.containers');
  if (!Array.isArray(list)) return [];
  return list.filter(isPlainObject).map((c) => {
    const env: Record<string, string | undefined> = {};
    for (const e of Array.isArray(c.env) ? c.env.filter(isPlainObject) : []) {
      if (typeof e.name !== 'string') continue;
      env[e.name] = typeof e.value === 'string' || typeof e.value === 'number' ? String(e.value) : undefined;
    }
    const probe = isPlainObject(c.readinessProbe) ? c.readinessProbe : undefined;
    return { name: typeof c.name === 'string' ? c.name : '', env, ...(probe ? { readinessProbe: probe } : {}), preStop: dig(c, 'lifecycle.preStop') !== undefined };
  });
}

/** The pod template's labels (what Services select). */
export function templateLabels(m: Manifest): Record<string, string> {
  return stringMap(dig(m.body, 'spec.template.metadata.labels'));
}

/** Whether a selector (every key = value) matches the labels; an empty selector matches nothing (an external Service). */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}
