/** What `sim testbed` does; its options are in commands/testbed.ts. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { planSweep, scalarText } from '../../experiment/plan.ts';
import { writeCsvFile, writeFileAtomic } from '../../util/atomic.ts';
import type { CompareRun } from '../../report/compare-output.ts';
import { OutputFolder } from '../../store/output-folder.ts';
import { isCompareFile } from '../../store/plot-files.ts';
import { compareTable } from '../../report/compare-table.ts';
import { liveCsvRow, liveHeader } from '../../live/ingest.ts';
import { UserError } from '../../util/errors.ts';
import { scenarioToYaml } from '../../scenario/serialize.ts';
import { loadScenario } from '../../scenario/load.ts';
import { loadDataset } from '../../experiment/run.ts';
import { runScript } from '../../testbed/script.ts';
import { checkTestbedScenario, liveRowsOf, predictedScenario, runCells } from '../../testbed/testbed.ts';
import { drawFigures, executePlan } from '../execute.ts';
import { writeOutputs } from '../outputs.ts';
import { Interrupted, signalExitCodes } from '../signals.ts';
import { lockOutput } from '../out-lock.ts';

export interface TestbedArgs {
  scenario: string;
  vary: string[];
  set: string[];
  runs: number;
  'sim-reps': number;
  out?: string;
  workers?: number;
  plots: boolean;
  quiet: boolean;
  url?: string;
  log?: string;
}

export async function action(args: TestbedArgs): Promise<void> {
  if (args.url !== undefined) {
    if (args.log === undefined) throw new UserError([{ file: 'command line', path: '', message: '--url needs --log FILE (the per-request log to write)' }]);
    if (existsSync(args.log)) throw new UserError([{ file: args.log, path: '', message: 'exists; sim does not overwrite a log (choose another --log)' }]);
    return scriptOnly(args.scenario, args.set, args.url, args.log, args.quiet);
  }
  for (const [name, v] of [['--runs', args.runs], ['--sim-reps', args['sim-reps']]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new UserError([{ file: 'command line', path: '', message: `${name}: expected a positive integer, found ${v}` }]);
  }
  const plan = planSweep(args.scenario, { sets: args.set, vary: args.vary });
  for (const c of plan.cells) checkTestbedScenario(c.scenario, args.scenario);
  const out = args.out ?? join('output', `testbed-${plan.name}`);
  await lockOutput(out, { create: true });
  // Everything this command writes is recorded as sim's before it is written; none may be a file of the user's.
  const folder = await OutputFolder.open(out);
  folder.checkFree(['testbed', 'compare.csv']);
  await folder.freshTree('testbed');
  const say = (s: string) => void (args.quiet || process.stderr.write(`${s}\n`));
  const t = Date.now();
  const result = await runCells(plan, { out, runs: args.runs, say: (s) => say(`[${((Date.now() - t) / 1000).toFixed(0)} s] ${s}`) });

  // The predictions: the same cells, with what the testbed measured.
  // In the testbed/ tree (all sim's), which the simulation's final commit leaves alone.
  const predicted = join(out, 'testbed', 'predicted.yaml');
  await writeFileAtomic(predicted, scenarioToYaml(predictedScenario(plan.cells[0].scenario, result.measured)));
  const live = join(out, 'testbed', 'live.csv');
  await writeLive(live, liveRowsOf(result));
  await writeLive(join(out, 'testbed', 'live-all.csv'), liveRowsOf(result, true));
  const vary = plan.axes.map((a) => `${a.path}=${a.values.map(scalarText).join(',')}`);
  const simPlan = planSweep(predicted, { sets: [`reps=${args['sim-reps']}`], vary });
  say(`simulating ${simPlan.cells.length} cell(s) x ${args['sim-reps']} replications with the measured distributions (${predicted})`);
  await executePlan(simPlan, {
    out, workers: args.workers, resume: false, quiet: args.quiet,
    extras: args.plots ? (stage, stopped) => drawFigures(stage, out, live, stopped) : undefined,
  });

  const { compareOutputs } = await import('../../report/compare-output.ts'); // vega loads only when comparing
  let cmp: CompareRun | undefined;
  const written = await writeOutputs({
    folder: await OutputFolder.open(out),
    write: async (stage) => {
      cmp = await compareOutputs(out, live, { into: stage, plots: args.plots, onWarning: (m) => process.stderr.write(`sim: ${m}\n`) });
    },
    replaces: isCompareFile,
    keep: 'nothing',
  });
  if (written.stopped !== undefined || cmp === undefined) throw new Interrupted(`interrupted before the comparison was written to ${out}/`, signalExitCodes[written.stopped ?? 'SIGINT']);
  const violations = result.cells.flatMap((c) => c.violations.map((v) => `cell ${c.cell} (${c.label}), ${v}`));
  if (args.quiet) return;
  process.stdout.write(`${compareTable((cmp as CompareRun).rows, (cmp as CompareRun).varied)}\n`);
  process.stdout.write(violations.length === 0 ? 'invariants: every run satisfied them\n' : `invariants violated:\n${violations.map((v) => `  ${v}`).join('\n')}\n`);
  process.stdout.write(`wrote ${out}/testbed/ (per run: requests.csv, trace.csv, pods.csv, kills.csv, syncs.csv), ${live}, ${out}/compare.csv and the figures\n`);
  if (violations.length > 0) process.exitCode = 1;
}

/** `--url`: the paper's test script against a real ingress, writing the log `sim ingest` reads. */
async function scriptOnly(file: string, sets: string[], url: string, log: string, quiet: boolean): Promise<void> {
  if (!/^https?:\/\/[^/]/.test(url)) throw new UserError([{ file: 'command line', path: '', message: `--url: expected http://HOST[:PORT][/PATH], found ${JSON.stringify(url)}` }]);
  const s = loadScenario(file, sets);
  const started = Date.now() / 1000;
  const r = await runScript({ baseUrl: url, threads: s.workload.threads, pace: s.workload.pace, dataset: loadDataset(s), logFile: log, clock: () => Date.now() / 1000 - started });
  if (!quiet) process.stderr.write(`sim: ${r.records} records, ${r.requests} requests against ${url}; wrote ${log} (sim ingest ${log} --period P --replicas R)\n`);
}

async function writeLive(file: string, rows: ReturnType<typeof liveRowsOf>): Promise<void> {
  await writeCsvFile(file, liveHeader, rows.map(liveCsvRow));
}
