/**
 * `sim testbed scenario.yaml [--vary PATH=LIST] [--runs N]`: the scenario's
 * cells on the real system (src/testbed/), then the simulator's predictions
 * of the same cells with the measured start-up and service times, and the
 * comparison (compare.csv, the table, figures).
 */
import type { CommandModule } from 'yargs';
import type { TestbedArgs } from '../actions/testbed.ts';

export const testbedCommand: CommandModule<object, TestbedArgs> = {
  command: 'testbed <scenario>',
  describe: 'run the scenario on the real system (nginx, MariaDB, the apps as processes) and compare the simulator with it',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file (implementations python, node, php)' })
      .option('vary', { type: 'string', array: true, default: [], describe: 'an axis, as sim sweep: --vary diversifier.period=inf,10,3,1' })
      .option('set', { type: 'string', array: true, default: [], describe: 'override a field in every cell: --set cluster.readiness=probe' })
      .option('runs', { type: 'number', default: 3, describe: 'real runs per cell' })
      .option('sim-reps', { type: 'number', default: 200, describe: 'simulated replications per cell for the predictions' })
      .option('out', { type: 'string', describe: 'output directory (default output/testbed-<scenario name>)' })
      .option('workers', { type: 'number', describe: 'worker threads of the simulation (default: the number of cores, started when the run is big enough to pay for them)' })
      .option('plots', { type: 'boolean', default: true, describe: 'draw figures (--no-plots to skip)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
      .option('url', { type: 'string', describe: 'only run the test script against this ingress (e.g. http://my-ingress), no testbed' })
      .option('log', { type: 'string', describe: 'with --url: the per-request log to write (a new file)' }) as never,
  handler: (args) => import('../actions/testbed.ts').then((a) => a.action(args)),
};
