/** What `sim calibrate` does; its options are in commands/calibrate.ts. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { calibrate, discreteCombinations, type FitParam } from '../../experiment/calibrate.ts';
import { checkCorners, maxCombinations, parseFit, simulator, targetsFromLive, valueText, valueTokens, type SimSetup } from '../../experiment/calibrate-sim.ts';
import { initialGrid, initialPoints } from '../../experiment/grid-search.ts';
import { axesFromBlock } from '../../experiment/vary.ts';
import { calibrationFiles, calibrationSummary, writeCalibration } from '../../report/calibrate-output.ts';
import { OutputFolder, stagingName } from '../../store/output-folder.ts';
import { writeOutputs } from '../outputs.ts';
import { readLive } from '../../live/live.ts';
import { normalizePeriod } from '../../live/live.ts';
import { UserError, type Issue } from '../../util/errors.ts';
import { loadScenario, parseScenario, readScenarioText } from '../../scenario/load.ts';
import { flagSet } from '../../scenario/overrides.ts';
import { lockOutput } from '../out-lock.ts';
import { explainFiles } from '../../report/explain-output.ts';
import { runExplainCommand } from './explain.ts';

export interface CalibrateArgs {
  scenario: string;
  live: string;
  fit: string[];
  reps: number;
  seed?: number;
  set: string[];
  budget: number;
  'all-periods'?: string;
  metric: string[];
  eval: boolean;
  out?: string;
  quiet: boolean;
  explain: boolean;
}

export async function action(args: CalibrateArgs): Promise<void> {
  const issues: Issue[] = [];
  const params: FitParam[] = [];
  for (const token of args.fit) {
    const r = parseFit(token);
    if ('message' in r) issues.push(r);
    else if (params.some((p) => p.path === r.path)) issues.push({ file: `--fit ${token}`, path: r.path, message: 'this path is already fitted' });
    else params.push(r);
  }
  if (args.eval && args.fit.length > 0) issues.push({ file: '--eval', path: '', message: 'scores the scenario as it is: give --fit or --eval, not both' });
  if (!args.eval && args.fit.length === 0) issues.push({ file: '--fit', path: '', message: 'expected at least one --fit PATH=LOW..HIGH (or PATH=A,B), or --eval to score the scenario as it is' });
  const combinations = discreteCombinations(params).length;
  if (combinations > maxCombinations) issues.push({ file: '--fit', path: '', message: `the discrete settings make ${combinations} combinations, each searched on its own; at most ${maxCombinations}` });
  if (!(Number.isInteger(args.reps) && args.reps >= 2)) issues.push({ file: '--reps', path: '', message: `expected an integer >= 2, found ${args.reps}` });
  if (!(Number.isInteger(args.budget) && args.budget >= 1)) issues.push({ file: '--budget', path: '', message: `expected a positive integer, found ${args.budget}` });
  if (issues.length > 0) throw new UserError(issues);
  const sets = [...args.set, ...(args.seed !== undefined ? [flagSet('--seed', 'seed', args.seed)] : [])];
  const base = loadScenario(args.scenario, sets);
  if (!existsSync(args.live)) throw new UserError([{ file: args.live, path: '', message: 'cannot read the live-results file (no such file)' }]);
  const notes: string[] = [];
  const live = (await readLive(args.live)).filter((r) => args.metric.length === 0 || args.metric.includes(r.metric));
  const allPeriods = args['all-periods'] !== undefined ? periodList(args['all-periods']) : sweptPeriods(args.scenario, base);
  const usable = live.filter((r) => {
    if (r.period !== 'all' || allPeriods.length > 0) return true;
    notes.push(`line ${r.line}: period all needs the periods it averages over (--all-periods or sweep.vary.diversifier.period); left out`);
    return false;
  });
  const targets = targetsFromLive(usable, base, notes);
  for (const n of notes) process.stderr.write(`sim: note: ${args.live}: ${n}\n`);
  if (targets.length === 0) throw new UserError([{ file: args.live, path: '', message: 'no live value to fit (see the notes above)' }]);
  const setup: SimSetup = { file: args.scenario, sets, params, targets, allPeriods, reps: args.reps };
  const text = readScenarioText(args.scenario);
  checkCorners(setup, text);
  const continuous = params.filter((p) => !p.integer);
  const first = continuous.length > 0 ? initialGrid(continuous, initialPoints(continuous, args.budget)).length : 0;
  // A fit of discrete settings only evaluates each combination once: the budget must allow it.
  if (!args.explain && continuous.length === 0 && params.length > 0 && combinations > args.budget) {
    throw new UserError([{ file: '--budget', path: '', message: `expected at least ${combinations} evaluations for ${combinations} combinations of the discrete settings, found ${args.budget}` }]);
  }
  if (!args.explain && first > args.budget) throw new UserError([{ file: '--budget', path: '', message: `expected at least ${first} evaluations for ${continuous.length} continuous parameters (the first grid; --eval scores the scenario with one), found ${args.budget}` }]);
  const out = args.out ?? join('output', `${base.name}-${args.explain ? 'explain' : 'calibration'}`);
  await lockOutput(out, { create: true });
  const folder = await OutputFolder.open(out);
  if (args.explain) {
    folder.checkFree([stagingName, ...explainFiles]);
    return runExplainCommand(setup, args.budget, folder, args.quiet);
  }
  folder.checkFree([stagingName, ...calibrationFiles]);

  const started = Date.now();
  const result = calibrate(params, targets, simulator(setup), {
    budget: args.budget,
    reps: args.reps,
    progress: (done, x) => {
      if (args.quiet) return;
      const at = params.map((p, i) => `${p.path}=${valueText(p, x[i])}`).join(', ');
      process.stderr.write(`calibrate: evaluation ${done}${args.eval ? ' (the scenario as it is)' : ` (budget ${args.budget}) ${at}`}  [${((Date.now() - started) / 1000).toFixed(1)} s]\n`);
    },
  });
  // The file keeps its sweep block, so a fitted sweep scenario still sweeps.
  const fitted = parseScenario(text, args.scenario, [...sets, ...valueTokens(params, result.best.values)]);
  const command = commandLine(args);
  const { files } = await writeOutputs({
    folder,
    write: async (stage) => {
      await writeCalibration(out, args.eval ? null : fitted, result, { command, reps: args.reps, seed: fitted.seed }, stage);
    },
    // An earlier calibrated.yaml goes too after --eval: it would not match the new residuals.
    replaces: (rel) => calibrationFiles.includes(rel),
    keep: 'data',
  });
  process.stdout.write(`${calibrationSummary(result)}\n\nwrote ${files.join(', ')}\n`);
}

function periodList(text: string): string[] {
  const out = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const bad = out.filter((p) => !(p === 'inf' || Number(p) > 0));
  if (bad.length > 0 || out.length === 0) {
    throw new UserError([{ file: '--all-periods', path: '', message: `expected a comma-separated list of positive numbers or inf, found ${JSON.stringify(text)}` }]);
  }
  return out.map(normalizePeriod);
}

/** The periods of the scenario's sweep.vary block, if it varies the period. */
function sweptPeriods(file: string, s: ReturnType<typeof loadScenario>): string[] {
  const axis = axesFromBlock(s.sweep?.vary, file).find((a) => a.path === 'diversifier.period');
  return axis ? axis.values.map((v) => normalizePeriod(String(v))) : [];
}

/** The command that reproduces this calibration: every option that changes what is fitted, each as given (defaults made explicit). */
export function commandLine(args: CalibrateArgs): string {
  const words = ['sim', 'calibrate', args.scenario, '--live', args.live];
  for (const f of args.fit) words.push('--fit', f);
  if (args.eval) words.push('--eval');
  for (const t of args.set) words.push('--set', t);
  if (args.seed !== undefined) words.push('--seed', String(args.seed));
  words.push('--reps', String(args.reps), '--budget', String(args.budget));
  if (args['all-periods'] !== undefined) words.push('--all-periods', args['all-periods']);
  for (const m of args.metric) words.push('--metric', m);
  if (args.out !== undefined) words.push('--out', args.out);
  return words.map(shellWord).join(' ');
}

/** A word as a POSIX shell reads it back: quoted when it has anything but plain characters. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
