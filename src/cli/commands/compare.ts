/** `sim compare OUTDIR --live FILE`: where the simulation agrees with live results. */
import type { CommandModule } from 'yargs';
import type { CompareArgs } from '../actions/compare.ts';

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <outdir>',
  describe: 'compare a run or sweep with live results: compare.csv, a table and a figure',
  builder: (y) =>
    y
      .positional('outdir', { type: 'string', demandOption: true, describe: 'output directory of sim run or sim sweep' })
      .option('live', { type: 'string', demandOption: true, describe: 'live-results CSV (period,replicas,metric,value,...)' })
      .option('fail-outside', { type: 'boolean', default: false, describe: 'exit 1 when any live value is outside its range, or none could be compared' })
      .option('plots', { type: 'boolean', default: true, describe: 'redraw the figures (figures/compare.svg among them) and report.html with the comparison (--no-plots to skip)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors and notes' }) as never,
  handler: (args) => import('../actions/compare.ts').then((a) => a.action(args)),
};
