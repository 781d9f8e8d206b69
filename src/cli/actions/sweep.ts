/** What `sim sweep` does; its options are in commands/sweep.ts. */
import { join, relative, sep } from 'node:path';
import { isPlotFile } from '../../store/plot-files.ts';
import { planSweep } from '../../experiment/plan.ts';
import { parseShard } from '../../experiment/units.ts';
import { formatSweepTable, sweepTableRow, type SweepTableRow } from '../../report/sweep-table.ts';
import { readLive } from '../../live/live.ts';
import { flagSet } from '../../scenario/overrides.ts';
import { cliWorkers, drawFigures, executePlan, preloadFigures } from '../execute.ts';
import { lockOutput } from '../out-lock.ts';
import { recommendationLines } from '../../report/recommend.ts';
import { parseThresholds, type ThresholdArgs } from '../thresholds.ts';

export interface SweepArgs extends ThresholdArgs {
  scenario: string;
  vary: string[];
  set: string[];
  reps?: string;
  seed?: string;
  'max-events'?: string;
  workers?: number;
  out?: string;
  resume: boolean;
  shard?: string;
  plots: boolean;
  live?: string;
  quiet: boolean;
  force: boolean;
}

export async function action(args: SweepArgs): Promise<void> {
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  const thresholds = parseThresholds(args);
  const sets = [...args.set];
  if (args.reps !== undefined) sets.push(flagSet('--reps', 'reps', args.reps));
  if (args.seed !== undefined) sets.push(flagSet('--seed', 'seed', args.seed));
  if (args['max-events'] !== undefined) sets.push(flagSet('--max-events', 'maxEvents', args['max-events']));
  const plan = planSweep(args.scenario, { sets, vary: args.vary, force: args.force });
  // Every input is checked before any simulation: a bad live file fails now, not after the run.
  if (args.live !== undefined) await readLive(args.live);
  const out = args.out ?? join('output', plan.name);
  await lockOutput(out, { create: true });
  const rows: SweepTableRow[] = [];
  const ex = await executePlan(plan, {
    out, workers: cliWorkers(args.workers), resume: args.resume, shard, quiet: args.quiet,
    onCell: (cell, values, file) => rows.push(sweepTableRow(file, cell, values)),
    extras: args.plots && !shard ? (stage, stopped) => drawFigures(stage, out, args.live, stopped, thresholds) : undefined,
    whileRunning: args.plots && !shard ? preloadFigures : undefined,
  });
  const figures = ex.files.filter((f) => isPlotFile(relative(out, f).split(sep).join('/')));
  if (args.quiet) return;
  const say = (s: string) => process.stdout.write(`${s}\n`);
  const reps = [...new Set(plan.cells.map((c) => c.scenario.reps))].join('/');
  const kept = ex.dir.units.length - ex.ran;
  say(`${plan.name}: ${plan.cells.length} cells x ${reps} replications, seed ${plan.cells[0].scenario.seed}${shard ? `, shard ${shard.index}/${shard.count}` : ''}`);
  if (ex.dir.state === 'complete') {
    say(`already complete in ${out}/ (nothing to resume)`);
    return;
  }
  if (kept > 0) say(`resumed: ${kept} of ${ex.dir.units.length} units were already done`);
  if (shard) {
    say(`shard done: ${ex.dir.units.length} units in ${out}/parts/; combine every shard with: sim merge DIR...`);
    return;
  }
  for (const line of await recommendationLines(out, thresholds)) say(line);
  say(formatSweepTable(ex.dir.plan, rows));
  const wrote = ex.files.filter((f) => !figures.includes(f)).map((f) => f.slice(out.length + 1)).join(', ');
  say(`(mean, 95 % CI of the mean) wrote ${wrote} to ${out}/`);
  if (figures.length > 0) say(`drew ${figures.length} figure files; open ${out}/report.html`);
}
