import { test } from 'uvu';
import fc from 'fast-check';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, parseScenario } from '../src/scenario/load.ts';
import { formatIssues, UserError, type Issue } from '../src/util/errors.ts';
import { applyOverrides, checkPath, parseSet, setPath } from '../src/scenario/overrides.ts';
import { parameterReference, scenarioToYaml, toJsonSchema } from '../src/scenario/serialize.ts';
import { parseDatasetCsv, readDatasetFile } from '../src/dataset/dataset-file.ts';
import { datasetTotals } from '../src/dataset/dataset.ts';
import { maxSeconds, minInterval } from '../src/schema/schema.ts';

const root = mkdtempSync(join(tmpdir(), 'scenario-test-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

/** The issues a load reports; fails the test if it loads. */
function issuesOf(load: () => unknown): Issue[] {
  try {
    load();
  } catch (e) {
    if (e instanceof UserError) return e.issues;
    throw e;
  }
  assert.unreachable('expected a UserError');
  return [];
}
const lines = (issues: Issue[]) => formatIssues(issues).split('\n');

test('an empty file is the paper: defaults fill to docs/model.md values', () => {
  const s = parseScenario('', 'x.yaml');
  assert.is(s.cluster.replicas, 3);
  assert.is(s.cluster.grace, 30);
  assert.equal(s.cluster.startup, { dist: 'lognormal', mean: 3.63, sd: 0.5 });
  assert.equal(s.cluster.containerStart, { dist: 'uniform', min: 0.5, max: 1.5 });
  assert.equal(s.cluster.serviceTime, { dist: 'lognormal', mean: 0.02, sd: 0.01 });
  assert.is(s.cluster.concurrency, 8);
  assert.is(s.cluster.readiness, 'none');
  assert.is(s.cluster.sigterm, 'ignore');
  assert.equal(s.cluster.implementations.map((i) => [i.name, i.weight, i.vulnerable]), [
    ['python', 1, true],
    ['node', 1, false],
    ['dotnet', 1, false],
  ]);
  assert.equal(Object.keys(s.services), ['users', 'projects', 'tasks']);
  assert.equal(s.diversifier, {
    period: 10, jitter: 0, select: 'any', waitForDeletion: false,
    // Rotation strategies (issue 11): delete-first by default; the others' settings at their defaults.
    strategy: 'delete', waitFor: 'ready', pollInterval: 1, settle: 0, timeout: 600, from: 'end', maxSurge: '25%', maxUnavailable: '25%', minReadySeconds: 0,
  });
  assert.is(s.workload.kind, 'testScript');
  assert.is(s.cluster.terminationDelay, 0);
  assert.is(s.cluster.preStop, 0);
  assert.equal(s.ingress, { policy: 'round-robin', workers: 1, tries: 3, connectTimeout: 5, syncRate: 0.3, syncBurst: 1, pollInterval: 1 });
  assert.equal(s.proxy.syncDelay, { dist: 'uniform', min: 0, max: 1 });
  assert.is(s.noise.errorRate, 0);
  assert.is(s.latency, 0.001);
  assert.is(s.workload.threads, 2);
  assert.is(s.workload.pace, 0.1);
  assert.equal(s.workload.dataset, { users: 5, maliciousUsers: 1, projectsPerUser: 2, maliciousProjects: 1, tasksPerProject: 100, maliciousTasks: 10 });
  assert.is(s.workload.via.task.insert, 'ingress');
});

test('defaults are copies: changing one loaded scenario does not change the next', () => {
  const a = parseScenario('', 'x.yaml');
  a.cluster.implementations[0].weight = 7;
  (a.cluster.startup as { mean: number }).mean = 99;
  const b = parseScenario('', 'x.yaml');
  assert.is(b.cluster.implementations[0].weight, 1);
  assert.equal(b.cluster.startup, { dist: 'lognormal', mean: 3.63, sd: 0.5 });
});

test('given values are kept and nested defaults still fill in', () => {
  const s = parseScenario('cluster:\n  replicas: 5\n  startup: 2\ndiversifier: {period: inf}\nservices:\n  users: {replicas: 1}\n  projects:\n  tasks: {}\n', 'x.yaml');
  assert.is(s.cluster.replicas, 5);
  assert.is(s.cluster.startup, 2);
  assert.is(s.cluster.grace, 30);
  assert.is(s.diversifier.period, 'inf');
  assert.is(s.diversifier.select, 'any');
  assert.equal(s.services, { users: { replicas: 1 }, projects: {}, tasks: {} });
});

test('period accepts inf, .inf and Infinity as no rotation', () => {
  for (const v of ['inf', '.inf', 'Infinity', '.INF']) assert.is(parseScenario(`diversifier: {period: ${v}}`, 'x.yaml').diversifier.period, 'inf', v);
  assert.is(parseScenario('diversifier: {period: 2.5}', 'x.yaml').diversifier.period, 2.5);
});

const badFile = [
  /* 1 */ 'name: "bad name"',
  /* 2 */ 'seed: -1',
  /* 3 */ 'cluster:',
  /* 4 */ '  replica: 5',
  /* 5 */ '  readiness: sometimes',
  /* 6 */ '  startup: {dist: uniform, min: 5, max: 2}',
  /* 7 */ '  containerStart: {dist: gamma, k: 2}',
  /* 8 */ '  serviceTime: {dist: lognormal, mean: 3}',
  /* 9 */ '  implementations:',
  /* 10 */ '    - name: python',
  /* 11 */ '      weight: 0',
  /* 12 */ '    - name: python',
  /* 13 */ '      weight: 0',
  /* 14 */ 'diversifier:',
  /* 15 */ '  period: 0',
  /* 16 */ '  jitter: .nan',
  /* 17 */ 'ingress: {tries: abc}',
  /* 18 */ 'workload:',
  /* 19 */ '  dataset: {users: 2, maliciousUsers: 3}',
  /* 20 */ 'replicas: 4',
  '',
].join('\n');

test('a bad file reports every issue, each at its line:column with its path', () => {
  const got = lines(issuesOf(() => parseScenario(badFile, 'scenarios/x.yaml')));
  assert.equal(got, [
    'scenarios/x.yaml:1:7: name: expected a string matching ^[A-Za-z0-9._-]{1,100}$, found "bad name"',
    'scenarios/x.yaml:2:7: seed: expected an integer from 0 to 9007199254740991, found -1',
    'scenarios/x.yaml:4:3: cluster.replica: unknown key "replica"; did you mean replicas?',
    'scenarios/x.yaml:5:14: cluster.readiness: expected none | probe, found "sometimes"',
    'scenarios/x.yaml:6:41: cluster.startup.max: expected max >= min (5), found 2',
    'scenarios/x.yaml:7:19: cluster.containerStart: expected a number from 0 to 1000000 or a mapping with dist: constant (value), uniform (min, max), normal (mean, sd), lognormal (mean, sd), exponential (mean), empirical (samples), found dist: "gamma"',
    // A missing field is placed at its parent mapping.
    'scenarios/x.yaml:8:16: cluster.serviceTime.sd: missing; expected a number from 0 to 1000000',
    'scenarios/x.yaml:10:5: cluster.implementations: expected at least one implementation with weight > 0, found all weights 0',
    'scenarios/x.yaml:12:13: cluster.implementations[1].name: expected a unique name, found "python" again (first at cluster.implementations[0])',
    'scenarios/x.yaml:15:11: diversifier.period: expected a number from 0.001 to 1000000 or inf, found 0',
    'scenarios/x.yaml:16:11: diversifier.jitter: expected a number from 0 to 1000000, found .nan',
    'scenarios/x.yaml:17:18: ingress.tries: expected an integer from 1 to 100, found "abc"',
    'scenarios/x.yaml:19:39: workload.dataset.maliciousUsers: expected at most users (2), found 3',
    'scenarios/x.yaml:20:1: replicas: unknown key "replicas"; did you mean cluster.replicas?',
  ]);
});

test('services: names are DNS labels, users/projects/tasks are required, each value is checked', () => {
  const got = lines(issuesOf(() => parseScenario('services:\n  users: {replicas: 0}\n  Web: {}\n  projects: {sigterm: exit, diversifier: {period: -1}}\n', 'x.yaml')));
  assert.equal(got, [
    'x.yaml:2:3: services: expected the services users, projects, tasks (the test script uses them), missing tasks',
    'x.yaml:2:21: services.users.replicas: expected an integer from 1 to 10000, found 0',
    'x.yaml:3:3: services.Web: invalid name "Web": expected a name matching ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
    'x.yaml:4:51: services.projects.diversifier.period: expected a number from 0.001 to 1000000 or inf, found -1',
  ]);
});

test('distributions: a bare number is a constant, each dist kind checks its own fields', () => {
  const s = parseScenario('latency: 0.002\ncluster:\n  startup: {dist: empirical, samples: [1, 2.5]}\n  serviceTime: {dist: exponential, mean: 0.1}\n', 'x.yaml');
  assert.is(s.latency, 0.002);
  assert.equal(s.cluster.startup, { dist: 'empirical', samples: [1, 2.5] });
  const got = lines(issuesOf(() => parseScenario('latency: -1\ncluster:\n  startup: {dist: empirical, samples: []}\n  serviceTime: {dist: exponential, mean: 1, sd: 2}\n  grace: .inf\n', 'x.yaml')));
  assert.equal(got, [
    'x.yaml:1:10: latency: expected a number from 0 to 1000000 or a mapping with dist: constant (value), uniform (min, max), normal (mean, sd), lognormal (mean, sd), exponential (mean), empirical (samples), found -1',
    'x.yaml:3:39: cluster.startup.samples: expected a non-empty list of numbers from 0 to 1000000, found 0 item(s)',
    'x.yaml:4:45: cluster.serviceTime.sd: unknown key "sd"; expected one of: dist, mean',
    'x.yaml:5:10: cluster.grace: expected a number from 0 to 1000000, found .inf',
  ]);
});

test('YAML problems: duplicate keys, syntax errors, a non-mapping top level', () => {
  assert.equal(lines(issuesOf(() => parseScenario('seed: 1\nreps: 2\nseed: 3\n', 'x.yaml'))), ['x.yaml:3:1: Map keys must be unique']);
  assert.match(formatIssues(issuesOf(() => parseScenario('cluster: [1,\n', 'x.yaml'))), /^x\.yaml:\d+:\d+: /);
  assert.equal(lines(issuesOf(() => parseScenario('- 1\n- 2\n', 'x.yaml'))), ['x.yaml:1:1: expected a mapping of settings at the top level, found a list']);
  assert.equal(lines(issuesOf(() => parseScenario('just text', 'x.yaml'))), ['x.yaml:1:1: expected a mapping of settings at the top level, found a scalar']);
});

test('a YAML alias bomb fails fast with a clear message', () => {
  const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    rows.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const start = performance.now();
  const got = issuesOf(() => parseScenario(rows.join('\n'), 'bomb.yaml'));
  assert.ok(performance.now() - start < 1000, 'took too long');
  assert.match(got[0].message, /alias bomb/);
  // A few honest anchors still work.
  const s = parseScenario('cluster:\n  startup: &s {dist: uniform, min: 1, max: 2}\n  containerStart: *s\n', 'x.yaml');
  assert.equal(s.cluster.containerStart, { dist: 'uniform', min: 1, max: 2 });
  // An override through an alias changes that place only.
  const t = parseScenario('cluster:\n  startup: &s {dist: uniform, min: 1, max: 2}\n  containerStart: *s\n', 'x.yaml', ['cluster.containerStart.max=1.5']);
  assert.equal([t.cluster.startup, t.cluster.containerStart], [{ dist: 'uniform', min: 1, max: 2 }, { dist: 'uniform', min: 1, max: 1.5 }]);
});

test('an oversized file is refused before parsing', () => {
  const got = issuesOf(() => parseScenario(`description: "${'x'.repeat(1 << 20)}"`, 'big.yaml'));
  assert.match(got[0].message, /at most 1048576 bytes/);
});

test('--set: values are YAML, aliases and nested service paths work', () => {
  const s = parseScenario('cluster: {replicas: 2}\n', 'x.yaml', [
    'replicas=5',
    'period=inf',
    'tries=1',
    'services.users.diversifier.period=inf',
    'services.tasks.replicas=7',
    'cluster.startup={dist: uniform, min: 1, max: 2}',
    'cluster.serviceTime.mean=0.05',
    'workload.via.task.lookup=clusterIP',
    'noise.errorRate=0.01',
  ]);
  assert.is(s.cluster.replicas, 5);
  assert.is(s.diversifier.period, 'inf');
  assert.is(s.ingress.tries, 1);
  assert.equal(s.services, { users: { diversifier: { period: 'inf' } }, projects: {}, tasks: { replicas: 7 } });
  assert.equal(s.cluster.startup, { dist: 'uniform', min: 1, max: 2 });
  // A field of a default distribution keeps the default's other fields.
  assert.equal(s.cluster.serviceTime, { dist: 'lognormal', mean: 0.05, sd: 0.01 });
  assert.is(s.workload.via.task.lookup, 'clusterIP');
  assert.is(s.noise.errorRate, 0.01);
});

test('--set: a later override wins, and a bad path or value names the override', () => {
  assert.is(parseScenario('', 'x.yaml', ['replicas=4', 'cluster.replicas=6']).cluster.replicas, 6);
  const got = lines(issuesOf(() => parseScenario('seed: x\n', 'x.yaml', ['cluster.replicas=abc', 'replica=3', 'grace=4', 'nope', 'period=0'])));
  assert.equal(got, [
    'x.yaml:1:7: seed: expected an integer from 0 to 9007199254740991, found "x"',
    '--set nope: expected path=value, e.g. cluster.replicas=5',
    '--set replica=3: unknown setting "replica"; did you mean replicas?',
    '--set grace=4: unknown setting "grace"; did you mean cluster.grace?',
    '--set cluster.replicas=abc: cluster.replicas: expected an integer from 1 to 10000, found "abc"',
    '--set period=0: diversifier.period: expected a number from 0.001 to 1000000 or inf, found 0',
  ]);
});

test('parseSet, checkPath and setPath, as sweeps use them', () => {
  assert.equal(parseSet('period=inf'), { path: 'diversifier.period', value: 'inf', source: '--set period=inf' });
  assert.equal(parseSet('cluster.implementations[0].weight=2').path, 'cluster.implementations.0.weight');
  assert.equal(parseSet('x=[1, 2]').value, [1, 2]);
  assert.is(parseSet('x=true').value, true);
  assert.throws(() => parseSet('=3'), (e: unknown) => e instanceof UserError);
  const ok = checkPath('services.users.diversifier.period');
  assert.ok(ok.ok && ok.schema.anyOf !== undefined);
  const bad = checkPath('ingress.trys');
  assert.ok(!bad.ok && /did you mean ingress\.tries\?/.test(bad.message), JSON.stringify(bad));
  assert.not.ok(checkPath('services.Users.replicas').ok);
  const doc: Record<string, unknown> = { cluster: 3 };
  setPath(doc, 'cluster.implementations.1.weight', 0);
  setPath(doc, 'replicas', 9);
  assert.equal(doc.cluster, {
    implementations: [
      { name: 'python', weight: 1, vulnerable: true },
      { name: 'node', weight: 0, vulnerable: false },
      { name: 'dotnet', weight: 1, vulnerable: false },
    ],
    replicas: 9,
  });
  const issues = applyOverrides(doc, [parseSet('nope.x=1')]);
  assert.is(issues.length, 1);
  assert.not.ok('nope' in doc);
});

test("keys named like Object's own properties are plain unknown keys", () => {
  const got = lines(issuesOf(() => parseScenario('__proto__: {seed: 2}\nsweep: {vary: {__proto__: [1], constructor: [2]}}\n', 'x.yaml', ['toString=1'])));
  assert.equal(got, [
    'x.yaml:1:1: __proto__: unknown key "__proto__"; expected one of: $schema, name, description, seed, reps, maxEvents, cluster, services, diversifier, ingress, proxy, noise, latency, loadBalancer, attack, horizon, workload, sweep',
    'x.yaml:2:16: sweep.vary.__proto__: unknown setting "__proto__"',
    'x.yaml:2:32: sweep.vary.constructor: unknown setting "constructor"',
    '--set toString=1: unknown setting "toString"',
  ]);
  assert.is(({} as Record<string, unknown>).seed, undefined);
});

test('sweep.vary keys must name settings', () => {
  const s = parseScenario('sweep:\n  vary: {period: [inf, 10, 5], cluster.readiness: [none, probe], tries: "1..3"}\n', 'x.yaml');
  assert.equal(s.sweep?.vary.period, ['inf', 10, 5]);
  assert.equal(lines(issuesOf(() => parseScenario('sweep:\n  vary: {perod: [1]}\n', 'x.yaml'))), [
    'x.yaml:2:10: sweep.vary.perod: unknown setting "perod"; did you mean period?',
  ]);
});

test('scenarioToYaml writes schema order, inf as inf, and loads back to an equal scenario', () => {
  const text = [
    'description: |',
    '  two lines',
    '  of text',
    'workload: {dataset: {file: datasets/small.csv}, threads: 3}',
    'diversifier: {period: inf, jitter: 0.5}',
    'services:',
    '  users: {replicas: 1, diversifier: {period: 3}, startup: {dist: empirical, samples: [1, 2]}}',
    '  projects: {}',
    '  tasks: {implementations: [{name: go, startup: 1.5}]}',
    'name: "123"',
    'sweep: {vary: {period: [inf, 1], replicas: "1..3"}}',
  ].join('\n');
  const s = parseScenario(text, 'scenarios/x.yaml');
  assert.is(s.workload.dataset.file, join('scenarios', 'datasets', 'small.csv'));
  const yaml = scenarioToYaml(s);
  assert.match(yaml, /^name: "123"\n/);
  assert.match(yaml, /\n {2}period: inf\n/);
  assert.match(yaml, /startup: \{ dist: lognormal, mean: 3.63, sd: 0.5 \}/);
  // Loaded from the working directory, the resolved dataset path stays the same.
  const again = parseScenario(yaml, 'resolved.yaml');
  assert.equal(again, s);
  assert.is(scenarioToYaml(again), yaml);
  assert.is(scenarioToYaml(parseScenario('', 'x.yaml')), scenarioToYaml(parseScenario('{}', 'y.yaml')));
});

test('round trip holds for arbitrary numbers, strings and distributions', () => {
  const positive = fc.double({ min: Number.MIN_VALUE, max: maxSeconds, noNaN: true, noDefaultInfinity: true });
  const dist = fc.oneof(
    positive,
    positive.map((mean) => ({ dist: 'exponential', mean })),
    fc.tuple(positive, positive).map(([a, b]) => ({ dist: 'uniform', min: Math.min(a, b), max: Math.max(a, b) })),
    fc.array(positive, { minLength: 1, maxLength: 4 }).map((samples) => ({ dist: 'empirical', samples })),
  );
  const piece = fc.record({
    description: fc.string({ unit: 'binary', maxLength: 30 }),
    period: fc.oneof(fc.double({ min: minInterval, max: maxSeconds, noNaN: true }), fc.constant('inf')),
    replicas: fc.integer({ min: 1, max: 10000 }),
    startup: dist,
    impl: fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }),
  });
  fc.assert(
    fc.property(piece, (p) => {
      const doc = {
        description: p.description,
        diversifier: { period: p.period },
        cluster: { replicas: p.replicas, startup: p.startup, implementations: [{ name: p.impl }] },
        services: { users: {}, projects: { startup: p.startup }, tasks: {} },
      };
      const s = parseScenario(JSON.stringify(doc), 'x.yaml');
      const yaml = scenarioToYaml(s);
      assert.equal(parseScenario(yaml, 'x.yaml'), s);
      assert.is(scenarioToYaml(parseScenario(yaml, 'x.yaml')), yaml);
    }),
    { numRuns: 100, seed: 42 },
  );
});

test('the JSON Schema leaves defaulted fields out of required, keeps descriptions and defaults', () => {
  const schema = toJsonSchema() as Record<string, unknown>;
  const offenders: string[] = [];
  const walk = (s: Record<string, unknown>, path: string) => {
    const props = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const r of (s.required ?? []) as string[]) if (props[r]?.default !== undefined) offenders.push(`${path}.${r}`);
    for (const [k, p] of Object.entries(props)) walk(p, `${path}.${k}`);
    for (const p of Object.values((s.patternProperties ?? {}) as Record<string, Record<string, unknown>>)) walk(p, `${path}.*`);
    for (const p of (s.anyOf ?? []) as Record<string, unknown>[]) walk(p, path);
    if (s.items) walk(s.items as Record<string, unknown>, `${path}[]`);
  };
  walk(schema, '');
  assert.equal(offenders, []);
  assert.not.ok('required' in schema);
  const cluster = (schema.properties as Record<string, Record<string, Record<string, Record<string, unknown>>>>).cluster;
  assert.is(cluster.properties.replicas.default, 3);
  assert.is(cluster.properties.replicas.description, 'replicas per service (R)');
  // Distribution branches still require their own fields.
  assert.ok(JSON.stringify(schema).includes('"required":["dist","min","max"]'));
});

test('the parameter reference has a row per setting, pipes escaped', () => {
  const md = parameterReference();
  assert.match(md, /^\| Path \| Type \| Default \| Description \|/);
  assert.match(md, /\| `cluster\.replicas` \| an integer from 1 to 10000 \| `3` \|/);
  assert.match(md, /\| `cluster\.readiness` \| none \\\| probe \| `none` \|/);
  assert.match(md, /\| `diversifier\.period` \| a number from 0\.001 to 1000000 or inf \| `10` \|/);
  assert.match(md, /`services\.<name>\.<setting>`/);
  assert.not.match(md, /services\.users\./);
});

test('the bundled dataset loads in file order with case-insensitive malicious flags', () => {
  const d = readDatasetFile('scenarios/datasets/small.csv');
  assert.equal(d.map((u) => [u.name, u.malicious]), [['alice', false], ['mallory', true], ['bob', false]]);
  assert.equal(d[0].projects.map((p) => p.name), ['alice-home', 'alice-work']);
  assert.equal(d[0].projects[0].tasks.map((t) => t.name), ['buy milk', 'call Bob, later', 'пароль']);
  assert.equal(d[2].projects[0].tasks[1], { name: 'fix "the" fence', malicious: true });
  assert.equal(datasetTotals(d), { user: 3, project: 4, task: 7, optimalTasks: 3 });
});

test('a task name may repeat in another project; CRLF, BOM, quoted newlines and blank lines are fine', () => {
  const d = parseDatasetCsv('\uFEFFname,type,malicious,parent\r\nu,user,false,\r\n\r\np,project,false,u\r\nq,project,false,u\r\n"a\nb",task,false,p\r\n"a\nb",task,true,q\r\n', 'd.csv');
  assert.equal(d[0].projects.map((p) => p.tasks), [[{ name: 'a\nb', malicious: false }], [{ name: 'a\nb', malicious: true }]]);
});

test('dataset errors are reported with their line numbers', () => {
  const csv = [
    /* 1 */ 'type,name,parent,malicious',
    /* 2 */ 'user,ann,,false',
    /* 3 */ 'user,ann,,false',
    /* 4 */ 'project,p1,bob,false',
    /* 5 */ 'task,t1,p0,false',
    /* 6 */ 'user,cid,ann,false',
    /* 7 */ 'project,,ann,false',
    /* 8 */ 'animal,rex,,false',
    /* 9 */ 'project,p2,ann,yes',
    /* 10 */ 'project,p3,ann,true',
    /* 11 */ 'project,p3,ann,false',
    /* 12 */ 'task,t,p3,false',
    /* 13 */ 'task,t,p3,FALSE',
    /* 14 */ 'task,p3,false',
    /* 15 */ 'task,t9,ann,false',
    /* 16 */ 'project,"p4,x",ann,false',
    /* 17 */ 'task,"unclosed,p3,false',
  ].join('\n');
  assert.equal(lines(issuesOf(() => parseDatasetCsv(csv, 'd.csv'))), [
    'd.csv:3: name: expected a unique user name, found "ann" again',
    'd.csv:4: parent: expected the name of a user on an earlier line, found "bob"',
    'd.csv:5: parent: expected the name of a project on an earlier line, found "p0"',
    'd.csv:6: parent: expected no parent for a user, found "ann"',
    'd.csv:7: name: expected a name, found an empty one',
    'd.csv:8: type: expected user, project or task, found "animal"',
    'd.csv:9: malicious: expected true or false, found "yes"',
    'd.csv:11: name: expected a unique project name, found "p3" again',
    'd.csv:13: name: expected a task name unique within project "p3", found "t" again',
    'd.csv:14: expected 4 fields, found 3',
    'd.csv:15: parent: expected the name of a project on an earlier line, found "ann"',
    // In line order, though the CSV reader finds the unclosed quote first.
    'd.csv:17: expected a closing quote, found the end of the file',
  ]);
  assert.equal(lines(issuesOf(() => parseDatasetCsv('type,name,parent\n', 'd.csv'))), [
    'd.csv:1: expected the header type,name,parent,malicious (any order), found type,name,parent',
  ]);
  assert.equal(lines(issuesOf(() => parseDatasetCsv('', 'd.csv'))), ['d.csv:1: expected a header line type,name,parent,malicious, found an empty file']);
});

test('loadScenario resolves and checks the dataset file next to the scenario', () => {
  const dir = mkdtempSync(join(root, 'load-'));
  writeFileSync(join(dir, 'data.csv'), 'type,name,parent,malicious\nuser,u,,false\n');
  writeFileSync(join(dir, 'bad.csv'), 'type,name,parent,malicious\nuser,u,,maybe\n');
  writeFileSync(join(dir, 's.yaml'), 'workload: {dataset: {file: data.csv}}\n');
  assert.is(loadScenario(join(dir, 's.yaml')).workload.dataset.file, join(dir, 'data.csv'));
  assert.equal(lines(issuesOf(() => loadScenario(join(dir, 's.yaml'), ['workload.dataset.file=bad.csv']))), [
    `${join(dir, 'bad.csv')}:2: malicious: expected true or false, found "maybe"`,
  ]);
  assert.equal(lines(issuesOf(() => loadScenario(join(dir, 's.yaml'), ['workload.dataset.file=none.csv']))), [
    `--set workload.dataset.file=none.csv: workload.dataset.file: expected an existing file, found ${JSON.stringify(join(dir, 'none.csv'))}`,
  ]);
  writeFileSync(join(dir, 't.yaml'), 'workload:\n  dataset: {file: gone.csv}\n');
  assert.equal(lines(issuesOf(() => loadScenario(join(dir, 't.yaml')))), [
    `${join(dir, 't.yaml')}:2:19: workload.dataset.file: expected an existing file, found ${JSON.stringify(join(dir, 'gone.csv'))}`,
  ]);
  assert.match(issuesOf(() => loadScenario(join(dir, 'missing.yaml')))[0].message, /cannot read the scenario file \(no such file or directory\)/);
});

test.run();
