/** `sim sweep scenario.yaml --vary PATH=LIST ...`: every cell x N replications, in parallel, resumable, shardable. */
import { join, relative, sep } from 'node:path';
import { isPlotFile } from '../../store/plot-files.ts';
import type { CommandModule } from 'yargs';
import { planSweep } from '../../experiment/plan.ts';
import { parseShard } from '../../experiment/units.ts';
import { formatSweepTable, sweepTableRow, type SweepTableRow } from '../../report/sweep-table.ts';
import { readLive } from '../../live/live.ts';
import { flagSet } from '../../scenario/overrides.ts';
import { cliWorkers, drawFigures, executePlan } from '../execute.ts';
import { lockOutput } from '../out-lock.ts';
import { parseThresholds, recommendationLines, thresholdOptions, type ThresholdArgs } from '../thresholds.ts';

interface SweepArgs extends ThresholdArgs {
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

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep <scenario>',
  describe: 'run every combination of the varied settings (cells) x N replications; write runs.csv, summary.csv',
  builder: (y) =>
    thresholdOptions(y)
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file (its sweep: block adds axes)' })
      .option('vary', {
        type: 'string', array: true, default: [],
        describe: 'an axis: PATH=LIST with values a,b,c, ranges a..b or a..b:step; e.g. --vary period=inf,15,10 --vary replicas=1..6',
      })
      .option('set', { type: 'string', array: true, default: [], describe: 'override a field in every cell: --set ingress.tries=2' })
      .option('reps', { type: 'string', describe: 'replications per cell (default: the scenario\'s reps)' })
      .option('seed', { type: 'string', describe: 'seed (default: the scenario\'s seed)' })
      .option('max-events', { type: 'string', describe: 'fail a replication that processes more events (default: the scenario\'s maxEvents, 10^8)' })
      .option('workers', { type: 'number', describe: 'worker threads (default: the number of cores)' })
      .option('out', { type: 'string', describe: 'output directory (default output/<scenario name>)' })
      .option('resume', { type: 'boolean', default: false, describe: 'keep the finished work of an interrupted run of the same sweep' })
      .option('shard', { type: 'string', describe: 'run shard i of n (i from 0): a deterministic 1/n of the work; combine with sim merge' })
      .option('plots', { type: 'boolean', default: true, describe: 'draw figures and report.html (--no-plots to skip; never for a shard)' })
      .option('live', { type: 'string', describe: 'live-results CSV to draw beside the predictions' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
      .option('force', { type: 'boolean', default: false, describe: 'run a sweep of more than 10^5 cells or 10^7 replications' }) as never,
  handler: async (args) => {
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
  },
};
