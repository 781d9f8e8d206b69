/** `sim sweep scenario.yaml --vary PATH=LIST ...`: every cell x N replications, in parallel, resumable, shardable. */
import type { CommandModule } from 'yargs';
import { thresholdOptions } from '../thresholds.ts';
import type { SweepArgs } from '../actions/sweep.ts';

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep <scenario>',
  describe: 'run every combination of the varied settings (cells) x N replications; write runs.csv, summary.csv',
  builder: (y) =>
    thresholdOptions(y)
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file (its sweep: block adds axes)' })
      .option('vary', {
        type: 'string', array: true, default: [],
        describe: 'an axis: PATH=LIST with values a,b,c, ranges a..b or a..b:step; e.g. --vary period=inf,15,10 --vary replicas=1..6',
      })
      .option('set', { type: 'string', array: true, default: [], describe: 'override a field in every cell: --set ingress.tries=2' })
      .option('reps', { type: 'string', describe: 'replications per cell (default: the scenario\'s reps)' })
      .option('seed', { type: 'string', describe: 'seed (default: the scenario\'s seed)' })
      .option('max-events', { type: 'string', describe: 'fail a replication that processes more events (default: the scenario\'s maxEvents, 10^8)' })
      .option('workers', { type: 'number', describe: 'worker threads (default: the number of cores, started when the run is big enough to pay for them)' })
      .option('out', { type: 'string', describe: 'output directory (default output/<scenario name>)' })
      .option('resume', { type: 'boolean', default: false, describe: 'keep the finished work of an interrupted run of the same sweep' })
      .option('shard', { type: 'string', describe: 'run shard i of n (i from 0): a deterministic 1/n of the work; combine with sim merge' })
      .option('plots', { type: 'boolean', default: true, describe: 'draw figures and report.html (--no-plots to skip; never for a shard)' })
      .option('live', { type: 'string', describe: 'live-results CSV to draw beside the predictions' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
      .option('force', { type: 'boolean', default: false, describe: 'run a sweep of more than 10^5 cells or 10^7 replications' }) as never,
  handler: (args) => import('../actions/sweep.ts').then((a) => a.action(args)),
};
