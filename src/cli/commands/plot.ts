/** `sim plot OUTDIR`: (re)draws the figures and report.html of a run or sweep. */
import type { CommandModule } from 'yargs';
import { assertOutputFolder, readOutput } from '../../store/output-data.ts';
import { OutputFolder } from '../../store/output-folder.ts';
import { isPlotFile } from '../../store/plot-files.ts';
import { Interrupted } from '../execute.ts';
import { lockOutput } from '../out-lock.ts';
import { parseThresholds, thresholdOptions, type ThresholdArgs } from '../thresholds.ts';
import { writeOutputs } from '../outputs.ts';
import { signalExitCodes } from '../signals.ts';

interface PlotArgs extends ThresholdArgs {
  outdir: string;
  live?: string;
  quiet: boolean;
}

export const plotCommand: CommandModule<object, PlotArgs> = {
  command: 'plot <outdir>',
  describe: 'draw the figures (Vega-Lite, SVG, PNG) and report.html of an output directory',
  builder: (y) =>
    thresholdOptions(y)
      .positional('outdir', { type: 'string', demandOption: true, describe: 'a directory written by sim run or sim sweep' })
      .option('live', { type: 'string', describe: 'live-results CSV to draw beside the predictions' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' }) as never,
  handler: async (args) => {
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
  },
};
