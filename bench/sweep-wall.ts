/**
 * Wall time of the paper sweep (scenarios/paper-sweep.yaml: 6 periods x
 * 1000 replications) with 1 and 2 workers, run as a user runs it (the real
 * `sim sweep` process, start-up included), plus the sweep's summary.
 * Checks that both runs wrote the same bytes. Writes bench/sweep-wall.md.
 *
 *   node --import tsx bench/sweep-wall.ts [--reps N] [--workers 1,2]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parallelCapacity } from './startup.ts';

const { values: opts } = parseArgs({ options: { reps: { type: 'string', default: '1000' }, workers: { type: 'string', default: '1,2' } } });
const reps = Number(opts.reps);
const workerCounts = opts.workers.split(',').map(Number);
const scenario = 'scenarios/paper-sweep.yaml';
const files = ['runs.csv', 'summary.csv', 'sweep.resolved.yaml'];
const root = mkdtempSync(join(tmpdir(), 'sweep-wall-'));
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Timing {
  workers: number;
  seconds: number;
  digest: string;
  out: string;
}

function timeSweep(workers: number): Timing {
  const out = join(root, `w${workers}`);
  const args = ['src/cli/sim.mjs', 'sweep', scenario, '--reps', String(reps), '--workers', String(workers), '--out', out, '--quiet', '--no-plots'];
  log(`node ${args.join(' ')}`);
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`sim sweep --workers ${workers} exited with ${r.status}`);
  const hash = createHash('sha256');
  for (const f of files) hash.update(readFileSync(join(out, f)));
  return { workers, seconds, digest: hash.digest('hex'), out };
}

/** summary.csv rows of the shown metrics: period -> metric -> [mean, ci_low, ci_high]. */
function summary(out: string): Map<string, Map<string, number[]>> {
  const [head, ...lines] = readFileSync(join(out, 'summary.csv'), 'utf8').trimEnd().split('\n');
  const col = (name: string) => head.split(',').indexOf(name);
  const byPeriod = new Map<string, Map<string, number[]>>();
  for (const line of lines) {
    const f = line.split(',');
    const period = f[col('period')];
    if (!byPeriod.has(period)) byPeriod.set(period, new Map());
    byPeriod.get(period)?.set(f[col('metric')], ['mean', 'ci_low', 'ci_high'].map((c) => Number(f[col(c)])));
  }
  return byPeriod;
}

const shown = ['failure_rate', 'insert_failure_rate', 'task_malicious_share', 'task_attack_success'];
const pct = (x: number) => (x * 100).toFixed(3);

function summaryTable(out: string): string {
  const rows = [`| P (s) | ${shown.map((m) => `${m} % [95 % CI]`).join(' | ')} |`, `| --- |${shown.map(() => ' --- |').join('')}`];
  for (const [period, metrics] of summary(out)) {
    const cells = shown.map((m) => {
      const [mean, lo, hi] = metrics.get(m) ?? [NaN, NaN, NaN];
      return `${pct(mean)} [${pct(lo)}, ${pct(hi)}]`;
    });
    rows.push(`| ${period} | ${cells.join(' | ')} |`);
  }
  return rows.join('\n');
}

const load = loadavg().map((x) => x.toFixed(2)).join(', ');
const capacity = await parallelCapacity();
const timings = workerCounts.map(timeSweep);
const same = timings.every((t) => t.digest === timings[0].digest);
const report = [
  `# Paper sweep wall time (${reps} replications x 6 periods)`,
  '',
  `Command: \`node src/cli/sim.mjs sweep ${scenario} --reps ${reps} --workers N --quiet --no-plots\` (process start-up included, figures not drawn).`,
  `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average before the runs: ${load}.`,
  '',
  '| workers | wall (s) | replications/s |',
  '| --- | --- | --- |',
  ...timings.map((t) => `| ${t.workers} | ${t.seconds.toFixed(1)} | ${((6 * reps) / t.seconds).toFixed(0)} |`),
  '',
  `Speed-up of ${timings[timings.length - 1].workers} workers over ${timings[0].workers}: ${(timings[0].seconds / timings[timings.length - 1].seconds).toFixed(2)}; this machine runs two threads of pure arithmetic ${capacity.toFixed(2)}x as fast as one (2.00 on two idle cores).`,
  '',
  `Output files byte-identical across worker counts: ${same ? 'yes' : 'NO'} (sha256 ${timings[0].digest.slice(0, 16)}).`,
  '',
  '## Summary',
  '',
  summaryTable(timings[0].out),
  '',
].join('\n');
writeFileSync('bench/sweep-wall.md', report);
process.stdout.write(report);
rmSync(root, { recursive: true, force: true });
if (!same) process.exitCode = 1;
