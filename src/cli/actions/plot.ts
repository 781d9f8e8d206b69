/** What `sim plot` does; its options are in commands/plot.ts. */
import { assertOutputFolder, readOutput } from '../../store/output-data.ts';
import { OutputFolder } from '../../store/output-folder.ts';
import { isPlotFile } from '../../store/plot-files.ts';
import { lockOutput } from '../out-lock.ts';
import { parseThresholds, type ThresholdArgs } from '../thresholds.ts';
import { writeOutputs } from '../outputs.ts';
import { Interrupted, signalExitCodes } from '../signals.ts';

export interface PlotArgs extends ThresholdArgs {
  outdir: string;
  live?: string;
  quiet: boolean;
}

export async function action(args: PlotArgs): Promise<void> {
  const out = args.outdir;
  // Checked before anything is locked or written: a folder that is not sim's is left untouched.
  const thresholds = parseThresholds(args);
  await assertOutputFolder(out);
  await lockOutput(out, { create: false });
  const data = await readOutput(out);
  const { drawReport } = await import('../../report/plot-outputs.ts'); // vega loads only when drawing
  const folder = await OutputFolder.open(out);
  folder.checkFree(['report.html']);
  const written = await writeOutputs({
    folder,
    write: async (stage, stopped) => {
      await drawReport(data, { into: stage, live: args.live, stopped, thresholds, onWarning: (m) => process.stderr.write(`warning: ${m}\n`) });
    },
    replaces: isPlotFile,
    keep: 'nothing',
  });
  if (written.stopped !== undefined) throw new Interrupted(`interrupted: ${out}/ was left as it was`, signalExitCodes[written.stopped]);
  if (!args.quiet) process.stdout.write(`wrote ${written.files.length} files; open ${out}/report.html\n`);
}
