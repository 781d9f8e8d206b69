import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readLive } from '../src/live/live.ts';
import { UserError } from '../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'report-live-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let serial = 0;
function file(text: string): string {
  const path = join(dir, `live-${serial++}.csv`);
  writeFileSync(path, text);
  return path;
}

async function issuesOf(text: string) {
  try {
    await readLive(file(text));
  } catch (err) {
    assert.instance(err, UserError);
    return (err as UserError).issues;
  }
  throw new Error('expected a UserError');
}

const header = 'period,replicas,metric,value,ci_low,ci_high,n,source\n';

test("the paper's published numbers are a valid live file", async () => {
  const rows = await readLive('scenarios/live/paper-aks.csv');
  const at = (period: string, metric: string) => rows.find((r) => r.period === period && r.metric === metric)?.value;
  assert.is(at('10', 'insert_failure_rate'), 0.00235);
  assert.is(at('10', 'task_malicious_share'), 0.0377);
  assert.is(at('5', 'insert_failure_rate'), 0.00236);
  assert.is(at('5', 'task_malicious_share'), 0.0401);
  assert.is(at('all', 'insert_failure_rate'), 0.00698);
  assert.is(at('all', 'tasks_optimal'), 360);
  assert.ok(rows.every((r) => r.replicas === 3 && r.source.startsWith('paper (Azure AKS);')));
});

test("the README's example is a valid live file", async () => {
  const readme = readFileSync('scenarios/live/README.md', 'utf8');
  const example = /```csv\n([\s\S]*?)```/.exec(readme)![1];
  const rows = await readLive(file(example));
  assert.is(rows.length, 2);
  assert.is(rows[0].source, 'AKS lab run; 2024-05-01, 20 runs');
});

test('optional columns may be empty or left out, and periods are normalized', async () => {
  const rows = await readLive(file('metric,period,value,source\nfailure_rate,10.0,0.01,lab\ntask_malicious_share,inf,0.1,lab\n'));
  assert.equal(rows, [
    { period: '10', metric: 'failure_rate', value: 0.01, source: 'lab', line: 2 },
    { period: 'inf', metric: 'task_malicious_share', value: 0.1, source: 'lab', line: 3 },
  ]);
  const full = await readLive(file(`${header}5,3,insert_failure_rate,0.002,0.001,0.003,30,lab\n`));
  assert.equal(full[0], { period: '5', replicas: 3, metric: 'insert_failure_rate', value: 0.002, ci_low: 0.001, ci_high: 0.003, n: 30, source: 'lab', line: 2 });
});

test('an unknown column is reported with its position and a suggestion', async () => {
  const issues = await issuesOf('period,metric,valeu,source\n10,failure_rate,0.1,x\n');
  assert.is(issues.length, 2);
  assert.is(issues[0].line, 1);
  assert.is(issues[0].column, 3);
  assert.match(issues[0].message, /did you mean value/);
  assert.match(issues[1].message, /missing column value/);
});

test('every bad field is reported at once, each with its line and column', async () => {
  const issues = await issuesOf(
    header +
      '10,3,task_malicious_share,3.77,,,,paper\n' + // 3.77 % written as a percent
      '0,3,failure_rat,0.1,,,,paper\n' + // bad period, misspelled metric
      '5,two,failure_rate,0.1,0.2,0.05,-1,\n', // replicas, CI around the value, n, source
  );
  const where = issues.map((i) => `${i.line}:${i.column}:${i.path}`);
  assert.equal(where, ['2:4:value', '3:1:period', '3:3:metric', '4:2:replicas', '4:5:ci_low', '4:6:ci_high', '4:7:n', '4:8:source']);
  assert.match(issues[0].message, /fraction in \[0, 1\]/);
  assert.match(issues[2].message, /did you mean failure_rate/);
  assert.match(issues[0].file, /live-\d+\.csv$/);
});

test('per-service metrics of any service are accepted; unknown names are not', async () => {
  const rows = await readLive(file(`${header}10,,empty_time_checkout,1.5,,,,lab\n10,,vulnerable_share_users,0.3,,,,lab\n`));
  assert.is(rows.length, 2);
  const issues = await issuesOf(`${header}10,,speed,1,,,,lab\n`);
  assert.match(issues[0].message, /unknown metric "speed"/);
});

test.run();
