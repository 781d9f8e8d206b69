/**
 * The testbed: the diversifier's shared rules, its Kubernetes backend
 * against a fake API, and a short real run of `sim testbed` (nginx, MariaDB,
 * Python, Node.js and PHP processes; installed by .ci/run) that must
 * satisfy the model's observable invariants, fail no request (readiness
 * probe) and leave no process behind, also when interrupted.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseVictim, nextInterval } from '../src/cluster/victim.ts';
import { readRequestLog } from '../src/live/request-log.ts';
import { settingsFromEnv } from '../src/testbed/diversifier.ts';
import { EndpointPublisher } from '../src/testbed/endpoints.ts';
import { k8sBackend, type CoreApi } from '../src/testbed/k8s-backend.ts';

const seq = (...xs: number[]) => {
  let i = 0;
  return () => xs[i++];
};
const pods = [{ name: 'a', terminating: true }, { name: 'b', terminating: false }, { name: 'c', terminating: false }];

test('any picks among every existing pod, Terminating ones included; ready and oldest skip them', () => {
  assert.is(chooseVictim('any', pods, seq(0.1))?.name, 'a');
  assert.is(chooseVictim('ready', pods, seq(0.1))?.name, 'b');
  assert.is(chooseVictim('ready', pods, seq(0.9))?.name, 'c');
  assert.is(chooseVictim('oldest', pods, seq())?.name, 'b');
  assert.is(chooseVictim('ready', [pods[0]], seq(0.5)), null);
  assert.is(nextInterval(10, 0, seq()), 10);
  assert.is(nextInterval(10, 2, seq(0)), 8);
  assert.is(nextInterval(1, 5, seq(0)), 0);
});

test('the diversifier program reads the environment sim import reads, and refuses bad values', () => {
  const s = settingsFromEnv({ PERIOD: '10', TARGETS: 'users,projects, tasks', SELECT: 'ready', JITTER: '1' });
  assert.equal(s, { period: 10, jitter: 1, select: 'ready', waitForDeletion: false, targets: ['users', 'projects', 'tasks'] });
  assert.is(settingsFromEnv({ PERIOD: 'inf', TARGETS: 'users' }).period, 'inf');
  assert.throws(() => settingsFromEnv({ PERIOD: '0', TARGETS: 'users' }), /PERIOD/);
  assert.throws(() => settingsFromEnv({ PERIOD: '5', TARGETS: 'users', SELECT: 'newest' }), /SELECT/);
});

test('the Kubernetes backend lists by label in creation order, reports a Terminating pod\'s deletion as ignored, waits for 404', async () => {
  const calls: string[] = [];
  let reads = 0;
  const api: CoreApi = {
    listNamespacedPod: async (p) => {
      calls.push(`list ${p.namespace} ${p.labelSelector}`);
      return { items: [
        { metadata: { name: 'users-2', creationTimestamp: new Date('2026-01-01T00:00:05Z') } },
        { metadata: { name: 'users-1', creationTimestamp: new Date('2026-01-01T00:00:01Z'), deletionTimestamp: new Date() } },
      ] };
    },
    deleteNamespacedPod: async (p) => void calls.push(`delete ${p.name}`),
    readNamespacedPod: async () => {
      if (++reads < 3) return {};
      throw Object.assign(new Error('not found'), { code: 404 });
    },
  };
  const b = k8sBackend(api, { namespace: 'todo', label: 'app', pollSeconds: 0.001 });
  const list = await b.list('users');
  assert.equal(list.map((p) => [p.name, p.terminating]), [['users-1', true], ['users-2', false]]);
  assert.is(await b.delete('users', list[0]), false);
  assert.is(await b.delete('users', list[1]), true);
  await b.waitGone('users', list[1]);
  assert.is(reads, 3);
  assert.equal(calls, ['list todo app=users', 'delete users-1', 'delete users-2']);
});

test('endpoint changes reach the ingress through one token bucket: changes arriving together make one sync, later ones wait for a token', async () => {
  const started = Date.now() / 1000;
  const clock = () => Date.now() / 1000 - started;
  const syncs: { at: number; lists: Map<string, string[]> }[] = [];
  const p = new EndpointPublisher(['users'], { syncRate: 5, syncBurst: 1, clock, sliceDelay: () => 0, push: async () => {}, onSync: (at, lists) => syncs.push({ at, lists }) });
  const pod = (seq: number) => ({ service: 'users', seq, address: `127.0.0.1:${4000 + seq}` });
  p.ready(pod(1));
  p.ready(pod(0));
  await new Promise((r) => setTimeout(r, 50));
  p.deleted(pod(1));
  p.ready(pod(1)); // a deleted pod never comes back
  await new Promise((r) => setTimeout(r, 400));
  p.stop();
  assert.is(syncs.length, 2);
  assert.equal(syncs[0].lists.get('users'), ['127.0.0.1:4000', '127.0.0.1:4001'], 'creation order');
  assert.equal(syncs[1].lists.get('users'), ['127.0.0.1:4000']);
  assert.ok(syncs[1].at - syncs[0].at >= 0.19, `the second sync waits for a token (1/syncRate = 0.2 s), waited ${syncs[1].at - syncs[0].at}`);
});

/** Processes whose environment names `owner` as their testbed (procs.ts sets SIM_TESTBED_OWNER). */
function leftovers(owner: number): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`SIM_TESTBED_OWNER=${owner}`)) {
        const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
        if (!/\) Z /.test(stat)) found.push(`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ')}`);
      }
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['nginx', 'mariadbd', 'mariadb-install-db', 'php', '/usr/bin/python3'].filter((c) => !have(c));
// Without the Debian packages (a fresh machine: `npm test` alone) the real runs are reported skipped, with how
// to install them; .ci/run installs them and sets SIM_TESTBED_REQUIRED=1, where a missing one fails.
const required = process.env.SIM_TESTBED_REQUIRED === '1';
if (missing.length > 0 && !required) {
  process.stderr.write(`testbed.test.ts: the real-system runs are skipped: missing ${missing.join(', ')} (apt-get install mariadb-server nginx libnginx-mod-http-lua lua-resty-core php-cli php-mysql python3-pymysql node-mysql, as .ci/run does)\n`);
}
const realTest = missing.length > 0 && !required ? test.skip : test;

realTest('sim testbed: a short real run satisfies the invariants, fails nothing with readiness probe, compares, leaves nothing running', async () => {
  assert.equal(missing, [], `the testbed needs Debian packages (.ci/run installs them); missing: ${missing.join(', ')}`);
  const out = mkdtempSync(join(tmpdir(), 'sim-testbed-test-'));
  try {
    const child = spawn(process.execPath, ['src/cli/sim.mjs', 'testbed', 'scenarios/testbed/testbed-ci.yaml', '--runs', '1', '--sim-reps', '20', '--workers', '1', '--no-plots', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.is(code, 0, stderr + stdout);
    assert.match(stdout, /invariants: every run satisfied them/);
    assert.equal(leftovers(child.pid!), []);
    const run = join(out, 'testbed', 'cell-0', 'run-0');
    const log = await readRequestLog(join(run, 'requests.csv'));
    assert.is(log.counts.failed, 0, 'readiness probe: no request fails');
    assert.ok(log.records.some((r) => r.outcome === 'rejected'), 'Node.js and PHP reject malicious records');
    const pods = readFileSync(join(run, 'pods.csv'), 'utf8');
    assert.ok(pods.split('\n').length - 2 > 9, 'the diversifier deleted pods and the ReplicaSet replaced them');
    const compare = readFileSync(join(out, 'compare.csv'), 'utf8');
    assert.match(compare, /failure_rate/);
    assert.match(compare, /task_malicious_share/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

realTest('sim testbed: Ctrl-C during a run kills every process it started and exits 130', async () => {
  const out = mkdtempSync(join(tmpdir(), 'sim-testbed-int-'));
  try {
    const child = spawn(process.execPath, ['src/cli/sim.mjs', 'testbed', 'scenarios/testbed/testbed-ci.yaml', '--runs', '1', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve) => child.stderr.on('data', (d) => {
      stderr += d;
      if (/t0 = /.test(stderr)) resolve();
    }));
    assert.ok(leftovers(child.pid!).length >= 9, 'pods, nginx and MariaDB run');
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.is(code, 130, stderr);
    assert.equal(leftovers(child.pid!), []);
    assert.not.ok(/sim-testbed-db-\S+/.exec(stderr) && existsSync(/starting MariaDB in (\S+)/.exec(stderr)![1]), 'the database folder is removed');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('sim testbed refuses an implementation the testbed does not have, naming the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-testbed-bad-'));
  try {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'cluster:\n  implementations:\n    - { name: python, vulnerable: true }\n    - { name: dotnet }\n');
    const r = spawnSync(process.execPath, ['src/cli/sim.mjs', 'testbed', file, '--out', join(dir, 'out')], { encoding: 'utf8', timeout: 30_000 });
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, /cluster\.implementations\[1\]\.name: the testbed has the implementations python, node, php/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
