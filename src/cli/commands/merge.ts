/** `sim merge DIR...`: the shards of a sweep combined into the files the unsharded sweep writes. */
import { relative, sep } from 'node:path';
import type { CommandModule } from 'yargs';
import { OutputFolder, stagingName } from '../../store/output-folder.ts';
import { isPlotFile } from '../../store/plot-files.ts';
import { planMerge } from '../../store/sweep-merge.ts';
import { readLive } from '../../live/live.ts';
import { formatSweepTable, sweepTableRow, type SweepTableRow } from '../../report/sweep-table.ts';
import { drawFigures, Interrupted } from '../execute.ts';
import { lockOutput } from '../out-lock.ts';
import { writeOutputs } from '../outputs.ts';
import { signalExitCodes } from '../signals.ts';

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
    const merge = await planMerge(args.dirs, args.out);
    const out = merge.out;
    await lockOutput(out, { create: true });
    const folder = await OutputFolder.open(out);
    folder.checkFree([stagingName, 'runs.csv', 'summary.csv', merge.plan.resolvedFile, 'report.html']);
    const written = await writeOutputs({
      folder,
      write: async (stage, stopped) => {
        await merge.write(stage, (cell, values, plan) => rows.push(sweepTableRow(plan, cell, values)));
        if (args.plots) await drawFigures(stage, out, args.live, stopped);
      },
      replaces: () => true,
      keep: 'data',
    });
    const figures = written.files.filter((f) => isPlotFile(relative(out, f).split(sep).join('/')));
    if (written.stopped !== undefined) {
      const note = figures.length > 0 ? '' : `; figures and report.html not drawn (sim plot ${out} draws them)`;
      throw new Interrupted(`interrupted after the merged files were written to ${out}/${note}`, signalExitCodes[written.stopped]);
    }
    if (args.quiet) return;
    const data = written.files.filter((f) => !figures.includes(f));
    process.stdout.write(`${merge.plan.name}: merged ${args.dirs.length} directories, ${merge.plan.cells.length} cells\n`);
    process.stdout.write(`${formatSweepTable(merge.plan, rows)}\n`);
    process.stdout.write(`wrote ${[...data, ...(figures.length > 0 ? [`${figures.length} figure files`] : [])].join(', ')}\n`);
  },
};
