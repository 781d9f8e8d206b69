import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveRowsFromRuns, logMetrics, mergeLiveRows } from '../src/live/ingest.ts';
import { readLive, type LiveRow } from '../src/live/live.ts';
import { parseRequestLog, readRequestLog } from '../src/live/request-log.ts';
import { writeTrace } from '../src/store/trace-output.ts';
import { UserError } from '../src/util/errors.ts';
import { Cell, paper, smallDataset } from './helpers/sim.ts';

const root = mkdtempSync(join(tmpdir(), 'ingest-test-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const exampleLog = 'scenarios/live/example-log-p10.csv';
const header = 'timestamp,thread,type,name,malicious,http_status';

test('the example log gives the hand-computed metrics', async () => {
  const m = logMetrics(await readRequestLog(exampleLog));
  // Thread 0: user-0 in; project-0-0 in, its tasks: 0 in, 1 (malicious) in, 2 lookup 502; project-0-1
  // (malicious) rejected, its 3 tasks orphaned. Thread 1: user-1 in; project-1-0 insert 504, its 3 tasks
  // orphaned; project-1-1 (malicious) in, its tasks: 0 in, 1 (malicious) rejected, 2 insert 500.
  const expected: Record<string, number> = {
    user_records: 2, user_inserted_clean: 2, user_inserted_malicious: 0, user_rejected: 0, user_failed: 0, user_orphaned: 0,
    user_malicious_share: 0,
    project_records: 4, project_inserted_clean: 1, project_inserted_malicious: 1, project_rejected: 1, project_failed: 1,
    project_orphaned: 0, project_malicious_share: 0.5, project_attack_success: 0.5, project_failed_frac: 0.25,
    task_records: 12, task_inserted_clean: 2, task_inserted_malicious: 1, task_rejected: 1, task_failed: 2, task_orphaned: 6,
    task_orphaned_frac: 0.5, task_malicious_share: 1 / 3, task_attack_success: 0.5,
    requests: 27, failed_requests: 3, failure_rate: 3 / 27,
    insert_requests: 11, failed_insert_requests: 2, insert_failure_rate: 2 / 11,
    tasks_inserted: 3, tasks_optimal: 4, tasks_inserted_ratio: 0.75,
  };
  for (const [k, v] of Object.entries(expected)) assert.is(m[k], v, k);
  assert.ok(Number.isNaN(m.user_attack_success), 'no malicious user was attempted');
});

test("the simulator's own requests.csv ingests to the run's metrics, with or without the step column", async () => {
  const cell = new Cell(paper(...smallDataset, 'diversifier.period=1', 'noise.errorRate=0.03', 'workload.dataset.users=4'));
  const run = cell.run(3, { trace: true });
  const dir = join(root, 'trace');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  await writeTrace(dir, run.trace!, Object.keys(cell.scenario.services));
  const text = readFileSync(join(dir, 'requests.csv'), 'utf8');
  const withoutStep = text.split('\n').map((l) => l.split(',').filter((_, i) => i !== 7).join(',')).join('\n');
  assert.ok(run.m.failed_requests > 0 && run.m.task_rejected > 0 && run.m.task_orphaned + run.m.project_orphaned > 0, 'the run exercises every outcome');
  for (const log of [text, withoutStep]) {
    const m = logMetrics(await parseRequestLog(log, 'requests.csv'));
    assert.is(Object.keys(m).length, 48);
    for (const [k, v] of Object.entries(m)) {
      if (Number.isNaN(v)) assert.ok(Number.isNaN(run.m[k]), k);
      else assert.is(v, run.m[k], k);
    }
  }
});

test('several logs of one period become one row per metric: mean, n and the 95 % CI', () => {
  const rows = liveRowsFromRuns([{ failure_rate: 0.01, requests: 10 }, { failure_rate: 0.03, requests: 20 }, { failure_rate: 0.02, requests: 30 }], {
    period: '10', replicas: 3, source: 'lab',
  });
  assert.equal(rows.map((r) => r.metric), ['requests', 'failure_rate']);
  const fr = rows[1];
  assert.ok(Math.abs(fr.value - 0.02) < 1e-15);
  assert.is(fr.n, 3);
  // sd 0.01, t(0.975, 2) = 4.302652729911275: half-width 0.01 * 4.3027 / sqrt(3).
  assert.ok(Math.abs(fr.ci_high! - (0.02 + (0.01 * 4.302652729911275) / Math.sqrt(3))) < 1e-12);
  // A metric undefined in one run (a zero denominator) is left out.
  assert.equal(liveRowsFromRuns([{ failure_rate: NaN }, { failure_rate: 0.1 }], { period: '1', replicas: 3, source: 's' }), []);
});

test('a new row replaces an old one of the same period, replicas, metric and source', () => {
  const row = (period: string, value: number, source = 'a'): LiveRow => ({ period, replicas: 3, metric: 'failure_rate', value, source, line: 0 });
  const merged = mergeLiveRows([row('10', 1), row('5', 2), row('10', 3, 'b')], [row('10', 4)]);
  assert.equal(merged.map((r) => [r.period, r.value, r.source]), [['5', 2, 'a'], ['10', 3, 'b'], ['10', 4, 'a']]);
});

async function issuesOf(text: string): Promise<string[]> {
  try {
    await parseRequestLog(text, 'log.csv');
  } catch (e) {
    if (e instanceof UserError) return e.message.split('\n');
    throw e;
  }
  assert.unreachable('expected a UserError');
  return [];
}

test('bad rows are reported with their line number, all at once', async () => {
  const lines = await issuesOf([
    header,
    '1,0,user,u0,false,201',
    '2,0,usr,u1,false,201',
    '3,0,project,p0,maybe,200',
    '4,0,project,p1,false,abc',
    '',
    '5,1,project,p2,false,200',
    '6,1,task,t0,false,404',
    '7,0,task,t1,false,302',
    '6.5,0,task,t2,false,404',
    '8,0,task,t3,false',
  ].join('\n'));
  assert.equal(lines, [
    'log.csv:3: type: expected user, project, task (the record\'s type), found "usr"',
    'log.csv:4: malicious: expected true or false, found "maybe"',
    'log.csv:5: http_status: expected an HTTP status (100-599, or 0 for no response), found "abc"',
    'log.csv:7: http_status: the lookup of project "p2" found its parent, but no insert of it follows on thread 1',
    'log.csv:9: http_status: expected 2xx, 404 or a failure (>= 500, 0) for a lookup, found 302',
    'log.csv:10: timestamp: goes back in time on thread 0 (line 9 is later)',
    'log.csv:11: expected 6 fields (as the header), found 5',
  ]);
  assert.equal(await issuesOf('timestamp,thread,type,name\n'), ['log.csv:1: missing column(s) malicious, http_status; a log has the columns timestamp,thread,type,name,malicious,http_status (and optionally step)']);
});

const sim = (...args: string[]) => spawnSync(process.execPath, ['src/cli/sim.mjs', ...args], { encoding: 'utf8' });

test('sim ingest: logs of several periods make one live file that compare can read', async () => {
  const second = join(root, 'p5.csv');
  writeFileSync(second, [header, '0,a,user,u,false,201', '1,a,project,p,false,200', '2,a,project,p,false,503'].join('\n') + '\n');
  const out = join(root, 'live.csv');
  const a = sim('ingest', exampleLog, '--period', '10', '--replicas', '3', '--out', out);
  assert.is(a.status, 0, a.stderr);
  const b = sim('ingest', second, second, '--period', '5.0', '--replicas', '3', '--out', out, '--source', 'lab, May');
  assert.is(b.status, 0, b.stderr);
  assert.match(b.stderr, /2 log\(s\), 4 records, 6 requests/);
  const rows = await readLive(out);
  const at = (period: string, metric: string) => rows.find((r) => r.period === period && r.metric === metric);
  assert.is(at('10', 'tasks_optimal')?.value, 4);
  assert.is(at('10', 'tasks_optimal')?.source, 'ingest of example-log-p10.csv');
  assert.equal([at('5', 'insert_failure_rate')?.value, at('5', 'insert_failure_rate')?.n, at('5', 'insert_failure_rate')?.source], [0.5, 2, 'lab, May']);
  assert.match(readFileSync(out, 'utf8'), /\n5,3,insert_failure_rate,0\.5,0\.5,0\.5,2,"lab, May"\n/);
  // Ingesting period 10 again replaces its rows instead of adding more.
  const before = rows.length;
  assert.is(sim('ingest', exampleLog, '--period', '10', '--replicas', '3', '--out', out).status, 0);
  assert.is((await readLive(out)).length, before);
});

test('sim ingest: a bad log is a user error (exit 2) naming file and line', () => {
  const bad = join(root, 'bad.csv');
  writeFileSync(bad, [header, '0,a,user,u,false,201', '1,a,task,t,false,200'].join('\n') + '\n');
  const r = sim('ingest', bad, '--period', '10', '--replicas', '3');
  assert.is(r.status, 2);
  assert.match(r.stderr, /bad\.csv:3: http_status: the lookup of task "t" found its parent, but the log of thread a ends before its insert/);
  assert.is(sim('ingest', bad, '--period', 'soon', '--replicas', '3').status, 2);
});

test.run();
