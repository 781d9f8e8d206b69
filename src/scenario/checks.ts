/**
 * Checks that span several fields, run on the validated document (defaults
 * filled). They guard their own types so that they can run even when
 * validation found issues elsewhere.
 */
import { maxRecords, workloadServices } from '../schema/schema.ts';
import { formatPath } from '../util/errors.ts';
import { checkPath } from './overrides.ts';
import { isPlainObject, type PathIssue, type Segment } from './validate.ts';

export function crossChecks(doc: unknown): PathIssue[] {
  if (!isPlainObject(doc)) return [];
  const issues: PathIssue[] = [];
  folderName(doc, issues);
  uniformBounds(doc, [], issues);
  implementationLists(doc, issues);
  datasetCounts(doc, issues);
  requiredServices(doc, issues);
  sweepPaths(doc, issues);
  attackers(doc, issues);
  return issues;
}

/** The name is one folder below output/: `.` and `..` would be output/ itself or its parent (the pattern checks the rest). */
function folderName(doc: Record<string, unknown>, issues: PathIssue[]): void {
  if (doc.name === '.' || doc.name === '..') {
    issues.push({ path: ['name'], message: `expected a folder name other than . and .. (the output folder is output/NAME), found ${JSON.stringify(doc.name)}` });
  }
}

/** Every `{dist: uniform}` anywhere in the scenario has min <= max. */
function uniformBounds(v: unknown, path: Segment[], issues: PathIssue[]): void {
  if (Array.isArray(v)) v.forEach((item, i) => uniformBounds(item, [...path, i], issues));
  if (!isPlainObject(v) || path[0] === 'sweep') return;
  if (v.dist === 'uniform' && typeof v.min === 'number' && typeof v.max === 'number' && v.min > v.max) {
    issues.push({ path: [...path, 'max'], message: `expected max >= min (${v.min}), found ${v.max}` });
  }
  for (const [k, item] of Object.entries(v)) uniformBounds(item, [...path, k], issues);
}

/** Implementation lists of the cluster and of every service: some weight > 0, names unique. */
function implementationLists(doc: Record<string, unknown>, issues: PathIssue[]): void {
  const lists: [Segment[], unknown][] = [[['cluster', 'implementations'], get(doc, ['cluster', 'implementations'])]];
  const services = doc.services;
  if (isPlainObject(services)) {
    for (const [name, svc] of Object.entries(services)) {
      if (isPlainObject(svc)) lists.push([['services', name, 'implementations'], svc.implementations]);
    }
  }
  for (const [path, list] of lists) {
    if (!Array.isArray(list) || !list.every(isPlainObject)) continue;
    const weights = list.map((i) => i.weight);
    if (list.length > 0 && weights.every((w) => w === 0)) {
      issues.push({ path, message: 'expected at least one implementation with weight > 0, found all weights 0' });
    }
    const seen = new Map<unknown, number>();
    list.forEach((impl, i) => {
      const first = seen.get(impl.name);
      if (first !== undefined) {
        issues.push({ path: [...path, i, 'name'], message: `expected a unique name, found ${JSON.stringify(impl.name)} again (first at ${formatPath([...path, first])})` });
      } else seen.set(impl.name, i);
    });
  }
}

/** Malicious counts are at most the counts they are part of. */
function datasetCounts(doc: Record<string, unknown>, issues: PathIssue[]): void {
  const path = ['workload', 'dataset'];
  const d = get(doc, path);
  if (!isPlainObject(d)) return;
  const pairs = [
    ['maliciousUsers', 'users'],
    ['maliciousProjects', 'projectsPerUser'],
    ['maliciousTasks', 'tasksPerProject'],
  ] as const;
  for (const [bad, total] of pairs) {
    const m = d[bad];
    const n = d[total];
    if (typeof m === 'number' && typeof n === 'number' && m > n) {
      issues.push({ path: [...path, bad], message: `expected at most ${total} (${n}), found ${m}` });
    }
  }
  const [u, p, t] = [d.users, d.projectsPerUser, d.tasksPerProject];
  if (d.file === undefined && typeof u === 'number' && typeof p === 'number' && typeof t === 'number') {
    const records = u * (1 + p * (1 + t));
    if (records > maxRecords) {
      issues.push({ path, message: `expected at most ${maxRecords} records, found ${records} (users x (1 + projectsPerUser x (1 + tasksPerProject)))` });
    }
  }
}

/** The test script talks to users, projects and tasks; other workloads to the services of their request mix. */
function requiredServices(doc: Record<string, unknown>, issues: PathIssue[]): void {
  const services = doc.services;
  if (!isPlainObject(services)) return;
  const kind = get(doc, ['workload', 'kind']);
  if (kind !== undefined && kind !== 'testScript') {
    const mix = get(doc, ['workload', 'requests']);
    if (!Array.isArray(mix)) return;
    const names = Object.keys(services);
    mix.forEach((k, i) => {
      if (isPlainObject(k) && typeof k.service === 'string' && !Object.hasOwn(services, k.service)) {
        issues.push({ path: ['workload', 'requests', i, 'service'], message: `expected one of the services (${names.join(', ')}), found ${JSON.stringify(k.service)}` });
      }
    });
    if (mix.length > 0 && mix.every((k) => isPlainObject(k) && k.weight === 0)) {
      issues.push({ path: ['workload', 'requests'], message: 'expected at least one request kind with weight > 0, found all weights 0' });
    }
    return;
  }
  const missing = Object.values(workloadServices).filter((s) => !Object.hasOwn(services, s));
  if (missing.length > 0) {
    issues.push({
      path: ['services'],
      message: `expected the services ${Object.values(workloadServices).join(', ')} (the test script uses them), missing ${missing.join(', ')}`,
    });
  }
}

/** Every varied path of a sweep names a setting. */
function sweepPaths(doc: Record<string, unknown>, issues: PathIssue[]): void {
  const vary = get(doc, ['sweep', 'vary']);
  if (!isPlainObject(vary)) return;
  for (const key of Object.keys(vary)) {
    const c = checkPath(key);
    if (!c.ok) issues.push({ path: ['sweep', 'vary', key], key: true, message: c.message });
  }
}

/** Attackers: unique names, services that exist, a horizon to act in. */
function attackers(doc: Record<string, unknown>, issues: PathIssue[]): void {
  const list = doc.attack;
  if (!Array.isArray(list)) return;
  const services = isPlainObject(doc.services) ? doc.services : {};
  const seen = new Map<string, number>();
  list.forEach((a, i) => {
    if (!isPlainObject(a)) return;
    const name = typeof a.name === 'string' ? a.name : String(a.kind);
    const first = seen.get(name);
    if (first !== undefined) {
      issues.push({ path: ['attack', i, 'name'], message: `expected a unique attacker name, found ${JSON.stringify(name)} again (first at attack[${first}]; a name defaults to the kind)` });
    } else seen.set(name, i);
    if (a.kind === 'pseudo') return;
    const used: [Segment[], unknown][] = a.kind === 'lateral'
      ? (Array.isArray(a.chain) ? a.chain.map((c, k): [Segment[], unknown] => [['attack', i, 'chain', k], c]) : [])
      : [[['attack', i, 'target'], a.target]];
    for (const [path, svc] of used) {
      if (typeof svc === 'string' && !Object.hasOwn(services, svc)) {
        issues.push({ path, message: `expected one of the services (${Object.keys(services).join(', ')}), found ${JSON.stringify(svc)}` });
      }
    }
    if (typeof doc.horizon === 'number' && doc.horizon <= 0) {
      issues.push({ path: ['horizon'], message: `expected a horizon > 0 (seconds after t0) for the ${a.kind} attacker at attack[${i}], found ${doc.horizon}` });
    }
  });
}

function get(v: unknown, path: readonly string[]): unknown {
  for (const k of path) v = isPlainObject(v) ? v[k] : undefined;
  return v;
}
