/** What `sim merge` does; its options are in commands/merge.ts. */
import { relative, sep } from 'node:path';
import { OutputFolder, stagingName } from '../../store/output-folder.ts';
import { isPlotFile } from '../../store/plot-files.ts';
import { planMerge } from '../../store/sweep-merge.ts';
import { readLive } from '../../live/live.ts';
import { formatSweepTable, sweepTableRow, type SweepTableRow } from '../../report/sweep-table.ts';
import { drawFigures } from '../execute.ts';
import { lockOutput } from '../out-lock.ts';
import { writeOutputs } from '../outputs.ts';
import { Interrupted, signalExitCodes } from '../signals.ts';

export interface MergeArgs {
  dirs: string[];
  out?: string;
  plots: boolean;
  live?: string;
  quiet: boolean;
}

export async function action(args: MergeArgs): Promise<void> {
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
}
