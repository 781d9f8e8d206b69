/**
 * Determinism (docs/model.md section 2): the same scenario, seed and replication
 * give identical metrics and fingerprint, in-process and through the CLI,
 * and today's paper runs match the golden file byte for byte.
 *
 * The golden file test/golden/paper-fingerprints.json holds the fingerprints
 * and a few metrics of replications 0..4 of scenarios/paper.yaml. When the
 * model changes on purpose (and only then), regenerate it with
 *   UPDATE_GOLDEN=1 node --import tsx node_modules/uvu/bin.js test determinism.test.ts
 * and say in the commit why the trajectory changed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Cell, paper, paperFile, smallDataset } from './helpers/sim.ts';

const goldenFile = 'test/golden/paper-fingerprints.json';
const goldenMetrics = ['t0', 'end_time', 'events', 'requests', 'failed_requests', 'tasks_inserted', 'task_inserted_malicious', 'kills_effective', 'kills_ignored'];

const tmp = mkdtempSync(join(tmpdir(), 'determinism-test-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('the same scenario, seed and replication give identical metrics and fingerprint', () => {
  const a = new Cell(paper(...smallDataset, 'diversifier.period=1'));
  const b = new Cell(paper(...smallDataset, 'diversifier.period=1'));
  // b runs the replications in another order: nothing may carry over from one run to the next.
  const first = [0, 1, 2, 3].map((r) => a.run(r));
  const second = [3, 2, 1, 0].map((r) => b.run(r)).reverse();
  for (let r = 0; r < 4; r++) {
    assert.equal(second[r].metrics, first[r].metrics, `rep ${r} metrics`);
    assert.is(second[r].fingerprint, first[r].fingerprint, `rep ${r} fingerprint`);
  }
  assert.is(new Set(first.map((r) => r.fingerprint)).size, 4, 'different replications differ');
});

test('tracing and invariant probes observe without changing the run', () => {
  const cell = new Cell(paper(...smallDataset, 'diversifier.period=2'));
  const plain = cell.run(7);
  const traced = cell.run(7, { trace: true, afterEvent: () => {}, onTry: () => {} });
  assert.is(traced.fingerprint, plain.fingerprint);
  assert.equal(traced.metrics, plain.metrics);
});

test('a new consumer of randomness shifts no other stream: noise that never fires leaves the run unchanged', () => {
  // errorRate 1e-15 draws from the `noise` stream at every accepted request but (almost surely) never fails one.
  const base = new Cell(paper(...smallDataset, 'diversifier.period=1')).run(0);
  const noisy = new Cell(paper(...smallDataset, 'diversifier.period=1', 'noise.errorRate=1e-15')).run(0);
  assert.is(noisy.fingerprint, base.fingerprint);
  assert.equal(noisy.metrics, base.metrics);
});

test('common random numbers: cells differing only in the period share the start-up (same initial pods, same t0)', () => {
  const cells = ['inf', 10, 1].map((P) => new Cell(paper(...smallDataset, `diversifier.period=${P}`)));
  for (const rep of [0, 1, 2]) {
    const runs = cells.map((c) => c.run(rep, { trace: true }));
    const initial = runs.map((r) =>
      r.trace!.pods.filter((p) => p.created === 0).map((p) => [p.service, p.implementation.name, p.running, p.listening, p.ready]),
    );
    assert.equal(initial[1], initial[0]);
    assert.equal(initial[2], initial[0]);
    assert.is(runs[1].m.t0, runs[0].m.t0);
    assert.is(runs[2].m.t0, runs[0].m.t0);
    // The first replacement pods of the rotating cells run the same implementations (one draw per pod created).
    const impls = (k: number) => runs[k].trace!.pods.filter((p) => p.service === 'tasks').map((p) => p.implementation.name);
    const n = Math.min(impls(1).length, impls(2).length);
    assert.equal(impls(2).slice(0, n), impls(1).slice(0, n));
  }
});

/** The golden document of today's model: pretty JSON, one replication per entry. */
function goldenText(): string {
  const cell = new Cell(paper());
  const replications = [0, 1, 2, 3, 4].map((rep) => {
    const r = cell.run(rep);
    return { rep, fingerprint: r.fingerprint, ...Object.fromEntries(goldenMetrics.map((k) => [k, r.m[k]])) };
  });
  return `${JSON.stringify({ scenario: paperFile, seed: cell.scenario.seed, replications }, null, 2)}\n`;
}

test('the paper scenario reproduces the golden fingerprints byte for byte', () => {
  const text = goldenText();
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(goldenFile), { recursive: true });
    writeFileSync(goldenFile, text);
    console.log(`  wrote ${goldenFile}`);
  }
  assert.fixture(text, readFileSync(goldenFile, 'utf8'));
});

test('CLI: two runs of the paper (1 and 2 worker threads) give byte-identical runs.csv and summary.csv, with the golden fingerprints', () => {
  const outs = ['1', '2'].map((workers) => join(tmp, `workers-${workers}`));
  for (const [i, out] of outs.entries()) {
    const args = ['src/cli/sim.mjs', 'run', paperFile, '--reps', '5', '--no-plots', '--quiet', '--workers', String(i + 1), '--out', out];
    execFileSync(process.execPath, args, { stdio: 'pipe' });
  }
  for (const file of ['runs.csv', 'summary.csv']) {
    const [a, b] = outs.map((o) => readFileSync(join(o, file)));
    assert.ok(a.length > 0 && a.equals(b), `${file} differs between two runs`);
  }
  const [header, ...rows] = readFileSync(join(outs[0], 'runs.csv'), 'utf8').trim().split('\n');
  const col = header.split(',').indexOf('fingerprint');
  const golden = JSON.parse(readFileSync(goldenFile, 'utf8')) as { replications: { fingerprint: string }[] };
  assert.equal(rows.map((row) => row.split(',')[col]), golden.replications.map((r) => r.fingerprint));
});

test.run();
