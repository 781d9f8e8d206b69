/** What `sim run` does; its options are in commands/run.ts. */
import { join } from 'node:path';
import { planRun } from '../../experiment/plan.ts';
import { traceReplication } from '../../experiment/run.ts';
import { consoleSummary } from '../../report/console-summary.ts';
import type { CellValues } from '../../store/sweep-assemble.ts';
import { traceFiles, writeTrace } from '../../store/trace-output.ts';
import { loadScenario } from '../../scenario/load.ts';
import { readLive } from '../../live/live.ts';
import { flagSet } from '../../scenario/overrides.ts';
import { cliWorkers, drawFigures, executePlan, preloadFigures } from '../execute.ts';
import { lockOutput } from '../out-lock.ts';
import { recommendationLines } from '../../report/recommend.ts';
import { parseThresholds, type ThresholdArgs } from '../thresholds.ts';

export interface RunArgs extends ThresholdArgs {
  scenario: string;
  reps?: string;
  seed?: string;
  'max-events'?: string;
  set: string[];
  out?: string;
  trace: boolean;
  plots: boolean;
  live?: string;
  workers?: number;
  resume: boolean;
  quiet: boolean;
}

export async function action(args: RunArgs): Promise<void> {
  const sets = [...args.set];
  if (args.reps !== undefined) sets.push(flagSet('--reps', 'reps', args.reps));
  if (args.seed !== undefined) sets.push(flagSet('--seed', 'seed', args.seed));
  if (args['max-events'] !== undefined) sets.push(flagSet('--max-events', 'maxEvents', args['max-events']));
  const thresholds = parseThresholds(args);
  const scenario = loadScenario(args.scenario, sets);
  if (scenario.sweep !== undefined && !args.quiet) {
    const axes = Object.keys(scenario.sweep.vary);
    process.stderr.write(
      `warning: ${args.scenario} has a sweep: block (${axes.join(', ')}); sim run ignores it and runs the scenario's own values ` +
        `(period ${scenario.diversifier.period}, replicas ${scenario.cluster.replicas}); to run every cell: sim sweep ${args.scenario}\n`,
    );
  }
  // Every input is checked before any simulation: a bad live file fails now, not after the run.
  if (args.live !== undefined) await readLive(args.live);
  const out = args.out ?? join('output', scenario.name);
  await lockOutput(out, { create: true });
  let values: CellValues | undefined;
  const ex = await executePlan(planRun(scenario), {
    out, workers: cliWorkers(args.workers), resume: args.resume, quiet: args.quiet, onCell: (_, v) => (values = v),
    extraFiles: args.trace ? traceFiles : [],
    extras: async (stage, stopped) => {
      if (args.trace) await writeTrace(stage, traceReplication(scenario, 0), Object.keys(scenario.services));
      if (args.plots) await drawFigures(stage, out, args.live, stopped, thresholds);
    },
    whileRunning: args.plots ? preloadFigures : undefined,
  });
  const files = ex.files;
  if (args.quiet) return;
  process.stdout.write(`${scenario.name}: ${scenario.reps} replications, seed ${scenario.seed}, period ${scenario.diversifier.period}\n`);
  if (values === undefined) {
    process.stdout.write(`already complete in ${out}/ (nothing to resume)\n`);
    return;
  }
  for (const line of await recommendationLines(out, thresholds)) process.stdout.write(`${line}\n`);
  process.stdout.write(`${consoleSummary(values, scenario.workload.kind !== 'testScript')}\n`);
  process.stdout.write(`(mean [95 % CI]) wrote ${files.length} files to ${out}/${args.plots ? `; open ${out}/report.html` : ''}\n`);
}
