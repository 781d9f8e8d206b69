/** `sim compare OUTDIR --live FILE`: where the simulation agrees with live results. */
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { compareTable } from '../../report/compare-table.ts';
import { lockOutput } from '../out-lock.ts';

interface CompareArgs {
  outdir: string;
  live: string;
  'fail-outside': boolean;
  plots: boolean;
  quiet: boolean;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <outdir>',
  describe: 'compare a run or sweep with live results: compare.csv, a table and a figure',
  builder: (y) =>
    y
      .positional('outdir', { type: 'string', demandOption: true, describe: 'output directory of sim run or sim sweep' })
      .option('live', { type: 'string', demandOption: true, describe: 'live-results CSV (period,replicas,metric,value,...)' })
      .option('fail-outside', { type: 'boolean', default: false, describe: 'exit 1 when any live value is outside its range' })
      .option('plots', { type: 'boolean', default: true, describe: 'redraw the figures (figures/compare.svg among them) and report.html with the comparison (--no-plots to skip)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors and notes' }) as never,
  handler: async (args) => {
    await lockOutput(args.outdir, { create: false });
    const { compareOutputs } = await import('../../report/compare-output.ts'); // vega loads only when comparing
    const r = await compareOutputs(args.outdir, args.live, { plots: args.plots, onWarning: (m) => process.stderr.write(`sim: ${m}\n`) });
    for (const note of r.notes) process.stderr.write(`sim: note: ${args.live}: ${note}\n`);
    if (!args.quiet) {
      process.stdout.write(`${compareTable(r.rows, r.varied)}\n`);
      const redrawn = r.files.length > 1 ? `; redrew ${r.files.length - 2} figure files and ${join(args.outdir, 'report.html')} (with the comparison)` : '';
      process.stdout.write(`wrote ${r.files[0]}${redrawn}\n`);
    }
    if (args['fail-outside'] && r.rows.some((row) => row.verdict === 'outside')) process.exitCode = 1;
  },
};
