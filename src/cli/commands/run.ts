/** `sim run scenario.yaml`: N replications of one scenario, CSVs, summary, plots. */
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { runCell, loadDataset } from '../../experiment/run.ts';
import { metricNames } from '../../metrics/names.ts';
import { consoleSummary } from '../../report/console-summary.ts';
import { valuesByMetric, writeRunOutputs } from '../../report/run-output.ts';
import { writeTrace } from '../../report/trace-output.ts';
import { loadScenario } from '../../scenario/load.ts';

interface RunArgs {
  scenario: string;
  reps?: number;
  seed?: number;
  set: string[];
  out?: string;
  trace: boolean;
  plots: boolean;
  live?: string;
  quiet: boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'run N replications of a scenario; write runs.csv, summary.csv, plots',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
      .option('reps', { type: 'number', describe: 'replications (default: the scenario\'s reps)' })
      .option('seed', { type: 'number', describe: 'seed (default: the scenario\'s seed)' })
      .option('set', { type: 'string', array: true, default: [], describe: 'override a field: --set diversifier.period=5' })
      .option('out', { type: 'string', describe: 'output directory (default output/<scenario name>)' })
      .option('trace', { type: 'boolean', default: false, describe: 'also write requests.csv, records.csv, pods.csv of replication 0' })
      .option('plots', { type: 'boolean', default: true, describe: 'draw figures and report.html (--no-plots to skip)' })
      .option('live', { type: 'string', describe: 'live-results CSV to draw beside the predictions' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' }) as never,
  handler: async (args) => {
    const sets = [...args.set];
    if (args.reps !== undefined) sets.push(`reps=${args.reps}`);
    if (args.seed !== undefined) sets.push(`seed=${args.seed}`);
    const scenario = loadScenario(args.scenario, sets);
    const dataset = loadDataset(scenario);
    const out = args.out ?? join('output', scenario.name);
    const results = runCell(scenario, dataset, scenario.reps, { trace: args.trace });
    const files = await writeRunOutputs(out, scenario, results);
    if (args.trace && results[0].trace) files.push(...(await writeTrace(out, results[0].trace, Object.keys(scenario.services))));
    if (args.quiet) return;
    const names = metricNames(Object.keys(scenario.services));
    process.stdout.write(`${scenario.name}: ${scenario.reps} replications, seed ${scenario.seed}, period ${scenario.diversifier.period}\n`);
    process.stdout.write(`${consoleSummary(valuesByMetric(names, results))}\n`);
    process.stdout.write(`(mean [95 % CI]) wrote ${files.length} files to ${out}/\n`);
  },
};
