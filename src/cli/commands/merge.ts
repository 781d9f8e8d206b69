/** `sim merge DIR...`: the shards of a sweep combined into the files the unsharded sweep writes. */
import type { CommandModule } from 'yargs';
import type { MergeArgs } from '../actions/merge.ts';

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
  handler: (args) => import('../actions/merge.ts').then((a) => a.action(args)),
};
