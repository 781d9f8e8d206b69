/**
 * `npm run bench`: the performance suite. Writes bench/results.md,
 * bench/results.csv and the growth figure (bench/growth.svg, .png,
 * .vl.json). `--quick` runs fewer repetitions (a smoke run, not figures to
 * report). Every figure is a median of several runs after a warm-up.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { growthCases, type GrowthCase } from './cases.ts';
import { benchEngine } from './engine.ts';
import { growthFigure, type GrowthRow } from './growth-figure.ts';
import { hasGnuTime, runNode } from './processes.ts';
import { benchAttack } from './attack.ts';
import { benchPaper } from './scenario.ts';
import { fmt, spread, type Measured } from './stats.ts';
import { renderFigure } from '../src/report/render.ts';

const quick = process.argv.includes('--quick');
const runs = quick ? 2 : 5;
const log = (s: string) => process.stderr.write(`${s}\n`);

function median(xs: number[]): Measured {
  const s = xs.slice().sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], runs: s.length };
}

function sweepWall(workers: number, reps: number): Measured {
  const out = mkdtempSync(join(tmpdir(), 'bench-sweep-'));
  const walls: number[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    rmSync(out, { recursive: true, force: true });
    const args = ['src/cli/sim.mjs', 'sweep', 'scenarios/paper-sweep.yaml', '--reps', String(reps), '--workers', String(workers)];
    walls.push(runNode([...args, '--no-plots', '--quiet', '--out', out]).wall);
  }
  rmSync(out, { recursive: true, force: true });
  return median(walls);
}

function growth(c: GrowthCase): GrowthRow {
  const rates: number[] = [];
  const peaks: number[] = [];
  let eventsPerRep = 0;
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const r = runNode(['--import', 'tsx', 'bench/growth-case.ts', JSON.stringify(c)]);
    const j = JSON.parse(r.stdout) as { events: number; eventsPerSecond: number; maxRssMB: number };
    rates.push(j.eventsPerSecond);
    peaks.push(Number.isNaN(r.peakMB) ? j.maxRssMB : r.peakMB);
    eventsPerRep = j.events;
  }
  const m = median(rates);
  return { dimension: c.dimension, value: c.value, eventsPerRep, eventsPerSecond: m.median, min: m.min, max: m.max, peakMB: median(peaks).median };
}

log('engine vs bare heap ...');
const engine = benchEngine(runs);
log('paper scenario, one core ...');
const paper = benchPaper(quick ? 200 : 1000, runs);
log('1-hour lateral attack, one core ...');
const attack = benchAttack(quick ? 10 : 40, runs);
const attackMs = 1000 / attack.repsPerSecond.median;
const sweepReps = quick ? 100 : 1000;
log(`paper sweep, 6 periods x ${sweepReps} reps, 1 and 2 workers ...`);
const wall1 = sweepWall(1, sweepReps);
const wall2 = sweepWall(2, sweepReps);
const rows: GrowthRow[] = [];
for (const c of growthCases(quick)) {
  log(`growth: ${c.dimension} = ${c.value} ...`);
  rows.push(growth(c));
}

const fig = growthFigure(rows);
const rendered = await renderFigure(fig);
writeFileSync('bench/growth.vl.json', `${JSON.stringify(fig, null, 2)}\n`);
writeFileSync('bench/growth.svg', rendered.svg);
writeFileSync('bench/growth.png', rendered.png);

const csv = [
  'measure,value,min,max,runs,unit',
  `engine_events_per_second,${engine.engine.median},${engine.engine.min},${engine.engine.max},${engine.engine.runs},events/s`,
  `bare_heap_ops_per_second,${engine.bareHeap.median},${engine.bareHeap.min},${engine.bareHeap.max},${engine.bareHeap.runs},push+pop/s`,
  `engine_to_bare_heap_ratio,${engine.ratio},,,,`,
  `paper_reps_per_second,${paper.repsPerSecond.median},${paper.repsPerSecond.min},${paper.repsPerSecond.max},${paper.repsPerSecond.runs},reps/s`,
  `paper_events_per_second,${paper.eventsPerSecond.median},${paper.eventsPerSecond.min},${paper.eventsPerSecond.max},${paper.eventsPerSecond.runs},events/s`,
  `paper_sweep_wall_1_worker,${wall1.median},${wall1.min},${wall1.max},${wall1.runs},s`,
  `paper_sweep_wall_2_workers,${wall2.median},${wall2.min},${wall2.max},${wall2.runs},s`,
  ...rows.map((r) => `growth_${r.dimension}_${r.value},${r.eventsPerSecond},${r.min},${r.max},${quick ? 1 : 3},events/s (peak ${r.peakMB.toFixed(0)} MB; ${r.eventsPerRep.toFixed(0)} events/rep)`),
].join('\n');
writeFileSync('bench/results.csv', `${csv}\n`);

const check = (ok: boolean) => (ok ? 'met' : '**not met**');
const million = rows.find((r) => r.dimension === 'records' && r.value >= 1_000_000);
const md = `# Benchmark results

Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node.js ${process.version}.
${quick ? '**Quick run (--quick): fewer repetitions; not figures to report.**\n' : ''}
Each figure: median (min–max, n runs) after a warm-up. Memory is the peak RSS of the whole process
(${hasGnuTime() ? '`/usr/bin/time -v`' : "the process's own maxRSS; /usr/bin/time was not found"}).

## Targets

| target | measured | |
| --- | --- | --- |
| engine at least half of the bare-heap limit | ${(engine.ratio * 100).toFixed(0)} % | ${check(engine.ratio >= 0.5)} |
| paper scenario at least 500 replications/s on one core | ${fmt(paper.repsPerSecond.median)} reps/s | ${check(paper.repsPerSecond.median >= 500)} |
| paper sweep, ${sweepReps} reps per period, under 10 s with 2 workers | ${wall2.median.toFixed(1)} s | ${check(wall2.median < 10)} |
| 1-hour lateral attack (P = 1 s, R = 3, no workload) under 25 ms per replication on one core | ${attackMs.toFixed(1)} ms | ${check(attackMs < 25)} |
| 1,000,000 records under 300 MB peak (tracing off) | ${million ? `${million.peakMB.toFixed(0)} MB` : 'not run'} | ${million ? check(million.peakMB < 300) : ''} |

## 1. Engine

| loop | rate |
| --- | --- |
| engine: schedule + pop, ${'1000'} pending timers, ties and cancellations | ${spread(engine.engine)} events/s |
| bare binary heap of numbers (Float64Array), push + pop, same size | ${spread(engine.bareHeap)} ops/s |
| ratio | ${(engine.ratio * 100).toFixed(0)} % |

## 2. The paper scenario

| measure | value |
| --- | --- |
| replications per second, one core | ${spread(paper.repsPerSecond)} |
| events per second | ${spread(paper.eventsPerSecond)} |
| events per replication | ${paper.eventsPerRep.toFixed(0)} |
| paper sweep (6 periods x ${sweepReps} reps), 1 worker | ${spread(wall1)} s wall |
| paper sweep, 2 workers | ${spread(wall2)} s wall |
| speed-up | ${(wall1.median / wall2.median).toFixed(2)}x |

## 2b. An attack replication

\`bench/attack.ts\`: 1 hour after t0 of a lateral attacker (users -> projects -> tasks, an attempt every second, 30 s installs) at P = 1 s, R = 3, pods that exit on SIGTERM, no test script.

| measure | value |
| --- | --- |
| replications per second, one core | ${spread(attack.repsPerSecond)} |
| ms per replication | ${attackMs.toFixed(1)} |
| events per second | ${spread(attack.eventsPerSecond)} |
| events per replication | ${attack.eventsPerRep.toFixed(0)} |

## 3. Growth (one dimension at a time, from the paper scenario)

| dimension | value | events/rep | events/s (median, min–max) | peak MB |
| --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.dimension} | ${r.value === Infinity ? 'inf' : r.value} | ${fmt(r.eventsPerRep)} | ${fmt(r.eventsPerSecond)} (${fmt(r.min)}–${fmt(r.max)}) | ${r.peakMB.toFixed(0)} |`).join('\n')}

![growth](growth.svg)
`;
writeFileSync('bench/results.md', md);
log('wrote bench/results.md, bench/results.csv, bench/growth.{svg,png,vl.json}');
