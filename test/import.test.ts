import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError, type Issue } from '../src/util/errors.ts';
import { importManifests, type ImportResult } from '../src/k8s-import/import-k8s.ts';
import { importedYaml } from '../src/k8s-import/import-yaml.ts';
import { manifestFiles, parseManifests, readManifests } from '../src/k8s-import/k8s-manifests.ts';
import { loadScenario, parseScenario } from '../src/scenario/load.ts';

const root = mkdtempSync(join(tmpdir(), 'import-test-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

function importText(text: string, rename?: Record<string, string>): ImportResult {
  const issues: Issue[] = [];
  const manifests = parseManifests(text, 'k8s.yaml', issues);
  if (issues.length > 0) throw new UserError(issues);
  return importManifests(manifests, { name: 'test', rename });
}

const scenarioOf = (r: ImportResult) => parseScenario(importedYaml(r, ['test']), 'imported.yaml');

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  assert.unreachable('expected a UserError');
  return '';
}

test("importing scenarios/k8s/todo/ gives scenarios/paper.yaml in every setting but name, description, seed and reps (README sim import)", () => {
  const r = importManifests(readManifests(manifestFiles('scenarios/k8s/todo')), { name: 'todo' });
  const imported = scenarioOf(r);
  const paper = loadScenario('scenarios/paper.yaml');
  const experiment = ['name', 'description', 'seed', 'reps'];
  const model = (s: object) => Object.fromEntries(Object.entries(s).filter(([k]) => !experiment.includes(k)));
  assert.equal(model(imported), model(paper));
  assert.equal(Object.keys(model(imported)).sort(), ['attack', 'cluster', 'diversifier', 'horizon', 'ingress', 'latency', 'loadBalancer', 'maxEvents', 'noise', 'proxy', 'services', 'workload'].sort());
  const rerun = loadScenario('scenarios/paper.yaml', ['seed=1', 'reps=30', 'name=todo', 'description=imported from Kubernetes manifests by sim import']);
  assert.equal(imported, rerun, 'with the four experiment fields set alike, the two are one scenario');
  assert.equal(imported.cluster, paper.cluster);
  assert.equal(imported.services, paper.services);
  assert.equal(Object.keys(imported.services), ['users', 'projects', 'tasks']);
  assert.equal(imported.diversifier, paper.diversifier);
  assert.equal(imported.ingress, paper.ingress);
  assert.equal(imported.workload.via, paper.workload.via);
  assert.equal(r.origins.get('cluster.replicas'), 'spec.replicas (Deployments users, projects, tasks)');
  assert.match(r.origins.get('diversifier.period') ?? '', /^env PERIOD of Deployment diversifier \(scenarios\/k8s\/todo\/diversifier\.yaml:\d+\)/);
  assert.ok(r.notes.some((n) => /Namespace todo/.test(n)));
  assert.ok(r.notes.some((n) => /Service mysql .* selects no Deployment/.test(n)));
  assert.not.ok(r.notes.some((n) => /could not rotate/.test(n)), 'the shipped Role lets the diversifier delete pods');
});

test('the written scenario marks each imported value with its origin and each unknowable setting', () => {
  const r = importManifests(readManifests(manifestFiles('scenarios/k8s/todo')), { name: 'todo' });
  const text = importedYaml(r, ['header line']);
  assert.match(text, /^# header line\n/);
  assert.match(text, /\n  replicas: 3 # spec\.replicas \(Deployments users, projects, tasks\)\n/);
  assert.match(text, /\n  readiness: none # no readinessProbe/);
  assert.match(text, /\n  grace: 30 # terminationGracePeriodSeconds/);
  assert.match(text, /# not in the manifests: the implementations inside each image[^\n]*\n  implementations:/);
  assert.match(text, /# not in the manifests: pod creation until the application listens[^\n]*\n  startup:/);
  assert.match(text, /# Notes from the import:\n# - skipped \(not part of the model\): Namespace todo/);
});

const deployment = (name: string, spec: string, labels = `app: ${name}`) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, labels: { ${labels} } }
spec:
${spec}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: ${name}
          image: x`;
const service = (name: string, app = name) => `
apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec: { selector: { app: ${app} }, ports: [ { port: 80 } ] }`;

test('services that differ get their own settings; probes, grace defaults, partial rotation and missing routes are read', () => {
  const users = deployment('users', '  replicas: 5').replace(
    '          image: x',
    '          image: x\n          readinessProbe: { httpGet: { path: /, port: 8080 }, periodSeconds: 5, initialDelaySeconds: 2 }',
  ).replace('    spec:\n      containers', '    spec:\n      terminationGracePeriodSeconds: 10\n      containers');
  const text = [
    users, deployment('projects', '  replicas: 2'), deployment('tasks', '  replicas: 2'),
    service('users'), service('projects'), service('tasks'),
    `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: { nginx.ingress.kubernetes.io/proxy-next-upstream-tries: "1", nginx.ingress.kubernetes.io/load-balance: ewma }
spec:
  rules:
    - http:
        paths:
          - { path: /users, pathType: Prefix, backend: { service: { name: users, port: { number: 80 } } } }
          - { path: /projects, pathType: Prefix, backend: { service: { name: projects, port: { number: 80 } } } }`,
    deployment('rotator', '  replicas: 1', 'app.kubernetes.io/component: diversifier').replace(
      '          image: x',
      '          image: x\n          env: [ { name: PERIOD, value: "5" }, { name: TARGETS, value: "users, tasks" }, { name: SELECT, value: ready } ]',
    ),
    `
apiVersion: batch/v1
kind: Job
metadata: { name: sweep }
spec: { template: { spec: { containers: [ { name: sim, image: sim } ] } } }`,
  ].join('\n---');
  const r = importText(text);
  const s = scenarioOf(r);
  assert.is(s.cluster.replicas, 2);
  assert.is(s.services.users.replicas, 5);
  assert.is(s.cluster.readiness, 'none');
  // Only users has a probe, so its period and delay are the only ones given: they go to the cluster level.
  assert.equal([s.services.users.readiness, s.cluster.probePeriod, s.cluster.initialDelay], ['probe', 5, 2]);
  assert.is(s.cluster.grace, 30);
  assert.is(s.services.users.grace, 10);
  assert.match(r.origins.get('cluster.grace') ?? '', /no terminationGracePeriodSeconds: the Kubernetes default 30 s/);
  assert.equal([s.diversifier.period, s.diversifier.select], [5, 'ready']);
  assert.equal(s.services.projects.diversifier, { period: 'inf' });
  assert.is(s.ingress.tries, 1);
  assert.is(s.ingress.policy, 'round-robin');
  assert.equal(s.workload.via.task, { lookup: 'ingress', insert: 'clusterIP' });
  assert.equal(s.workload.via.project, { lookup: 'ingress', insert: 'ingress' });
  assert.ok(r.notes.some((n) => /skipped \(not part of the model\): Job sweep/.test(n)));
  assert.ok(r.notes.some((n) => /load-balance "ewma" is not modelled/.test(n)));
  assert.ok(r.notes.some((n) => /Deployment rotator .*could not rotate/.test(n)), 'no RBAC in these manifests');
});

test('without a diversifier nothing rotates; --rename maps Deployments to the script\'s services', () => {
  const text = [deployment('todo-users', '  replicas: 3'), deployment('todo-projects', '  replicas: 3'), deployment('tasks', '')].join('\n---');
  const s = scenarioOf(importText(text, { 'todo-users': 'users', 'todo-projects': 'projects' }));
  assert.is(s.diversifier.period, 'inf');
  assert.is(s.cluster.replicas, 3);
  assert.is(s.services.tasks.replicas, 1, 'a Deployment without replicas has the Kubernetes default 1');
  assert.equal(s.workload.via.user, { insert: 'ingress' }, 'no Service at all: the scenario keeps the ingress path');
  const missing = errorOf(() => importText(text));
  assert.match(missing, /expected Deployments users, projects, tasks \(the test script's services\), missing users, projects; found todo-users, todo-projects, tasks\. Map names with --rename/);
});

test('bad manifests are user errors at their file and line', () => {
  const issues: Issue[] = [];
  parseManifests('kind: Service\nmetadata: { name: a }\n---\nkind: [\n', 'bad.yaml', issues);
  assert.is(issues.length, 1);
  assert.match(`${issues[0].file}:${issues[0].line}`, /^bad\.yaml:[45]$/);
  assert.match(issues[0].message, /not valid YAML/);
  const noName: Issue[] = [];
  parseManifests('apiVersion: v1\nkind: Service\nmetadata: {}\n', 'x.yaml', noName);
  assert.equal(noName.map((i) => [i.line, i.path]), [[1, 'metadata.name']]);
  const badPeriod = [deployment('users', ''), deployment('projects', ''), deployment('tasks', ''),
    deployment('diversifier', '').replace('          image: x', '          image: x\n          env: [ { name: PERIOD, value: soon } ]')].join('\n---');
  assert.match(errorOf(() => importText(badPeriod)), /^k8s\.yaml:\d+: Deployment diversifier: env PERIOD: expected a positive number of seconds or inf, found "soon"$/);
});

const sim = (...args: string[]) => spawnSync(process.execPath, ['src/cli/sim.mjs', ...args], { encoding: 'utf8' });

test('sim import writes a scenario that sim run accepts; a missing folder is exit 2', () => {
  const out = join(root, 'todo.yaml');
  const r = sim('import', 'scenarios/k8s/todo/', '--out', out);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /note: skipped \(not part of the model\): Namespace todo/);
  const s = loadScenario(out);
  assert.is(s.name, 'todo');
  assert.is(s.diversifier.period, 10);
  assert.match(readFileSync(out, 'utf8'), /^# Imported by `sim import scenarios\/k8s\/todo\/`/);
  writeFileSync(join(root, 'empty.txt'), '');
  const bad = sim('import', join(root, 'nope'));
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /nope: no such file or folder\n/);
});

test.run();
