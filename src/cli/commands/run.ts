/**
 * `sim run scenario.yaml`: N replications of one scenario, CSVs, summary,
 * plots. A sweep of one cell: the same pool, checkpoints and final files.
 */
import type { CommandModule } from 'yargs';
import { thresholdOptions } from '../thresholds.ts';
import type { RunArgs } from '../actions/run.ts';

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'run N replications of a scenario; write runs.csv, summary.csv, plots',
  builder: (y) =>
    thresholdOptions(y)
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
      .option('reps', { type: 'string', describe: 'replications (default: the scenario\'s reps)' })
      .option('seed', { type: 'string', describe: 'seed (default: the scenario\'s seed)' })
      .option('max-events', { type: 'string', describe: 'fail a replication that processes more events (default: the scenario\'s maxEvents, 10^8)' })
      .option('set', { type: 'string', array: true, default: [], describe: 'override a field: --set diversifier.period=5' })
      .option('out', { type: 'string', describe: 'output directory (default output/<scenario name>)' })
      .option('trace', { type: 'boolean', default: false, describe: 'also write requests.csv, records.csv, pods.csv of replication 0' })
      .option('plots', { type: 'boolean', default: true, describe: 'draw figures and report.html (--no-plots to skip)' })
      .option('live', { type: 'string', describe: 'live-results CSV to draw beside the predictions' })
      .option('workers', { type: 'number', describe: 'worker threads (default: the number of cores, started when the run is big enough to pay for them)' })
      .option('resume', { type: 'boolean', default: false, describe: 'keep the finished replications of an interrupted run' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' }) as never,
  handler: (args) => import('../actions/run.ts').then((a) => a.action(args)),
};
