/** `sim plot OUTDIR`: (re)draws the figures and report.html of a run or sweep. */
import type { CommandModule } from 'yargs';
import { lockOutput } from '../out-lock.ts';
import { parseThresholds, thresholdOptions, type ThresholdArgs } from '../thresholds.ts';

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
    const thresholds = parseThresholds(args);
    await lockOutput(args.outdir, { create: false });
    const { plotOutputs } = await import('../../report/plot-outputs.ts'); // vega loads only when drawing
    const files = await plotOutputs(args.outdir, { live: args.live, thresholds, onWarning: (m) => process.stderr.write(`warning: ${m}\n`) });
    if (!args.quiet) process.stdout.write(`wrote ${files.length} files; open ${args.outdir}/report.html\n`);
  },
};
