/** `sim merge DIR...`: the shards of a sweep combined into the files the unsharded sweep writes. */
import type { CommandModule } from 'yargs';
import { readLive } from '../../report/live.ts';
import { mergeShards } from '../../report/sweep-merge.ts';
import { drawFigures } from '../execute.ts';
import { lockOutput } from '../out-lock.ts';
import { formatSweepTable, sweepTableRow, type SweepTableRow } from '../../report/sweep-table.ts';

interface MergeArgs {
  dirs: string[];
  out?: string;
  plots: boolean;
  live?: string;
  quiet: boolean;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <dirs..>',
  describe: 'combine the output directories of sim sweep --shard i/n into runs.csv, summary.csv, sweep.resolved.yaml',
  builder: (y) =>
    y
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'shard output directories' })
      .option('out', { type: 'string', describe: 'output directory (default output/<sweep name>)' })
      .option('plots', { type: 'boolean', default: true, describe: 'draw figures and report.html (--no-plots to skip)' })
      .option('live', { type: 'string', describe: 'live-results CSV to draw beside the predictions' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' }) as never,
  handler: async (args) => {
    // A bad live file fails before anything is merged or written.
    if (args.live !== undefined) await readLive(args.live);
    const rows: SweepTableRow[] = [];
    const result = await mergeShards(args.dirs, args.out, (cell, values, plan) => rows.push(sweepTableRow(plan, cell, values)), (target) =>
      lockOutput(target, { create: true }),
    );
    const figures = args.plots ? await drawFigures(result.out, args.live) : [];
    if (args.quiet) return;
    process.stdout.write(`${result.plan.name}: merged ${args.dirs.length} directories, ${result.plan.cells.length} cells\n`);
    process.stdout.write(`${formatSweepTable(result.plan, rows)}\n`);
    process.stdout.write(`wrote ${[...result.files, ...(figures.length > 0 ? [`${figures.length} figure files`] : [])].join(', ')}\n`);
  },
};
