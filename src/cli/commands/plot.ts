/** `sim plot OUTDIR`: (re)draws the figures and report.html of a run or sweep. */
import type { CommandModule } from 'yargs';
import { thresholdOptions } from '../thresholds.ts';
import type { PlotArgs } from '../actions/plot.ts';

export const plotCommand: CommandModule<object, PlotArgs> = {
  command: 'plot <outdir>',
  describe: 'draw the figures (Vega-Lite, SVG, PNG) and report.html of an output directory',
  builder: (y) =>
    thresholdOptions(y)
      .positional('outdir', { type: 'string', demandOption: true, describe: 'a directory written by sim run or sim sweep' })
      .option('live', { type: 'string', describe: 'live-results CSV to draw beside the predictions' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' }) as never,
  handler: (args) => import('../actions/plot.ts').then((a) => a.action(args)),
};
