/**
 * What `sim calibrate` writes and prints: calibrated.yaml (the scenario at
 * the fitted values, runnable as it is, with the fit in comments),
 * calibration.csv (every evaluated point and its loss), residuals.csv (each
 * live value against the simulation at the optimum, with its term of the
 * loss), and a console summary.
 */
import { isAbsolute, join, relative } from 'node:path';
import { isScalar, parseDocument } from 'yaml';
import type { Calibration, Edge, FitParam, Profile } from '../experiment/calibrate.ts';
import type { Scenario } from '../schema/schema.ts';
import { scenarioToYaml } from '../scenario/serialize.ts';
import { ensureDir, writeFileAtomic, writeCsvFile } from '../util/atomic.ts';
import { alignColumns } from './compare-table.ts';
import { isFractionMetric } from './compare.ts';
import { formatNumber } from '../util/number-format.ts';
import { formatSignificant } from './table.ts';

export interface CalibrationInfo {
  /** The command that reproduces the calibration, every option included (for the header). */
  command: string;
  reps: number;
  seed: number;
}

export function edgeText(e: Edge, p: { low: number; high: number }, side: 'low' | 'high'): string {
  const atEnd = e.value === (side === 'low' ? p.low : p.high);
  if (!e.open) return formatSignificant(e.value);
  if (atEnd) return `${formatSignificant(e.value)} (range end)`;
  return `${side === 'low' ? '<=' : '>='} ${formatSignificant(e.value)}`;
}

/** A parameter's value as the user wrote it: a choice by name. */
function shown(p: FitParam, v: number): string {
  return p.choices ? p.choices[v] : formatSignificant(v);
}

/** The 95 % interval (loss <= min + 3.84): [low, high] for a number, {a, b} for the accepted choices or integers. */
export function intervalText(c: Calibration, prof: Profile): string {
  const p = c.params.find((q) => q.path === prof.path)!;
  if (prof.method === 'discrete') return `{${(prof.accepted ?? []).map((v) => shown(p, v)).join(', ')}}`;
  return `[${edgeText(prof.low, p, 'low')}, ${edgeText(prof.high, p, 'high')}]`;
}

/** "p = 0.42 (loss 7.1, 6 degrees of freedom)". */
export function fitText(c: Calibration): string {
  const p = c.pValue;
  const pText = p === 0 ? '0' : p < 1e-4 ? p.toExponential(1) : formatSignificant(p);
  return `loss ${formatSignificant(c.best.loss)} over ${c.targets.length} live values, ${c.dof} degrees of freedom: p = ${pText}`;
}

/** The fitted scenario as YAML, named `<name>-calibrated`, a dataset file path made relative to `outDir`. */
export function calibratedYaml(s: Scenario, c: Calibration, info: CalibrationInfo, outDir: string): string {
  const copy = structuredClone(s);
  copy.name = `${s.name}-calibrated`;
  const file = copy.workload.dataset.file;
  if (file !== undefined && !isAbsolute(file)) copy.workload.dataset.file = relative(outDir, file);
  const doc = parseDocument(scenarioToYaml(copy));
  c.params.forEach((p, i) => {
    const node = doc.getIn(p.path.split('.'), true);
    const range = p.choices ? p.choices.join(',') : `${p.low}..${p.high}`;
    if (isScalar(node)) node.comment = ` fitted in ${range}; 95 % interval ${intervalText(c, c.profiles[i])}`;
  });
  doc.commentBefore = [
    ` Calibrated by: ${info.command}`,
    ` ${c.evaluations.length} evaluations of ${info.reps} replications (seed ${info.seed}, common random numbers);`,
    ` ${fitText(c)} (chi-square: the chance of a loss this large if the model is right), at:`,
    ...c.params.map((p, i) => `   ${p.path} = ${p.choices ? p.choices[c.best.values[i]] : formatNumber(c.best.values[i])}   (95 % interval ${intervalText(c, c.profiles[i])})`),
    ' Residuals (live - simulated) are in residuals.csv; every evaluated point in calibration.csv.',
  ].join('\n');
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: true });
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The files writeCalibration writes (and replaces). */
export const calibrationFiles = ['calibrated.yaml', 'calibration.csv', 'residuals.csv'];

/**
 * Writes the calibration files of `outDir` into `into` (a staging folder of it; default outDir itself):
 * calibrated.yaml unless `s` is null (a scored scenario is not rewritten), calibration.csv and residuals.csv.
 */
export async function writeCalibration(outDir: string, s: Scenario | null, c: Calibration, info: CalibrationInfo, into = outDir): Promise<string[]> {
  await ensureDir(into);
  const files: string[] = [];
  if (s) {
    files.push(join(into, 'calibrated.yaml'));
    await writeFileAtomic(files[0], calibratedYaml(s, c, info, outDir));
  }
  const evaluations = join(into, 'calibration.csv');
  const residuals = join(into, 'residuals.csv');
  files.push(evaluations, residuals);
  await writeCsvFile(evaluations, ['evaluation', ...c.params.map((p) => p.path), 'loss'], c.evaluations.map((e, i) => [String(i + 1), ...e.values.map((v, j) => (c.params[j].choices ? c.params[j].choices![v] : formatNumber(v))), formatNumber(e.loss)]));
  await writeCsvFile(
    residuals,
    ['period', 'replicas', 'metric', 'live_value', 'sim_mean', 'sim_sd', 'sim_n', 'sim_trials', 'residual', 'scale', 'z', 'z2', 'source'],
    c.residuals.map((r) => [
      r.target.period, String(r.target.replicas), r.target.metric, formatNumber(r.target.value), formatNumber(r.sim.mean), formatNumber(r.sim.sd),
      String(r.sim.n), formatNumber(r.sim.trials), formatNumber(r.residual), formatNumber(r.scale), formatNumber(r.z), formatNumber(r.z * r.z), r.target.source,
    ]),
  );
  return files;
}

/** The console summary: fitted values with their intervals, residuals, the loss along each parameter. */
export function calibrationSummary(c: Calibration): string {
  const fitted = alignColumns([
    ['parameter', 'fitted', '95 % interval', 'searched', 'read from'],
    ...c.params.map((p, i) => [p.path, shown(p, c.best.values[i]), intervalText(c, c.profiles[i]), p.choices ? p.choices.join(',') : `${p.low}..${p.high}`, c.profiles[i].method]),
  ]);
  const residuals = alignColumns([
    ['metric', 'where', 'live', 'simulated', 'residual', 'z', 'z²'],
    ...c.residuals.map((r) => {
      const pct = isFractionMetric(r.target.metric);
      const v = (x: number) => (pct ? `${formatSignificant(x * 100)} %` : formatSignificant(x));
      const where = `${r.target.period === 'all' ? 'all periods' : `P=${r.target.period}`}, R=${r.target.replicas}`;
      const resid = pct ? `${formatSignificant(r.residual * 100)} pp` : formatSignificant(r.residual);
      return [r.target.metric, where, v(r.target.value), v(r.sim.mean), resid, formatSignificant(r.z), formatSignificant(r.z * r.z)];
    }),
  ], new Set([2, 3, 4, 5, 6]));
  const along = c.profiles.map((prof) => {
    const p = c.params.find((q) => q.path === prof.path)!;
    return `${prof.path}: ${prof.points.map((q) => `${shown(p, q.value)} -> ${formatSignificant(q.loss)}`).join(', ')}`;
  });
  const lines = [
    `${fitText(c)} after ${c.evaluations.length} evaluation${c.evaluations.length === 1 ? '' : 's'}`,
    '(p: the chance of a loss at least this large if the model is right; below 0.05 the model does not explain these live values)',
  ];
  if (c.params.length > 0) lines.push('', fitted);
  lines.push('', residuals);
  if (c.params.length > 0) lines.push('', 'loss along each parameter through the optimum (value -> loss; a discrete one at its best for each value):', ...along.map((l) => `  ${l}`));
  return lines.join('\n');
}
