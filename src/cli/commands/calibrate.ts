/** `sim calibrate scenario.yaml --live FILE --fit path=a..b ...`: fit unknown parameters to live results; `--eval`: score the scenario as it is. */
import type { CommandModule } from 'yargs';
import type { CalibrateArgs } from '../actions/calibrate.ts';

export const calibrateCommand: CommandModule<object, CalibrateArgs> = {
  command: 'calibrate <scenario>',
  describe: 'fit scenario parameters to live results (chi-square loss, common random numbers); writes calibrated.yaml; --eval scores the scenario as it is',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
      .option('live', { type: 'string', demandOption: true, describe: 'live-results CSV to fit' })
      .option('fit', { type: 'string', array: true, default: [], describe: 'a parameter and its range or values: --fit noise.errorRate=0..0.02, --fit ingress.policy=round-robin,random (repeatable)' })
      .option('eval', { type: 'boolean', default: false, describe: 'no fit: score the scenario as it is (loss, p-value, residuals)' })
      .option('reps', { type: 'number', default: 50, describe: 'replications per cell and evaluation' })
      .option('seed', { type: 'number', describe: "seed (default: the scenario's)" })
      .option('set', { type: 'string', array: true, default: [], describe: 'override a field first: --set readiness=probe' })
      .option('budget', { type: 'number', default: 40, describe: 'most evaluations of the search per combination of discrete values (each runs every needed cell)' })
      .option('all-periods', { type: 'string', describe: "periods a live value with period 'all' averages over, e.g. inf,15,10,5,3,1 (default: the scenario's sweep.vary)" })
      .option('metric', { type: 'string', array: true, default: [], describe: 'fit only these live metrics (default: every one)' })
      .option('out', { type: 'string', describe: 'output directory (default output/<scenario name>-calibration)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress, only the summary' })
      .option('explain', { type: 'boolean', default: false, describe: 'each --fit is a candidate mechanism: fit each alone and in pairs, rank them, say which the data tell apart' }) as never,
  handler: (args) => import('../actions/calibrate.ts').then((a) => a.action(args)),
};
