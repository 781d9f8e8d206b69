/**
 * What `sim calibrate` writes and prints: calibrated.yaml (the scenario at
 * the fitted values, runnable as it is, with the fit in comments),
 * calibration.csv (every evaluated point and its loss), residuals.csv (each
 * live value against the simulation at the optimum), and a console summary.
 */
import { isAbsolute, join, relative } from 'node:path';
import { isScalar, parseDocument } from 'yaml';
import type { Calibration, Edge, Profile } from '../experiment/calibrate.ts';
import type { Scenario } from '../scenario/schema.ts';
import { scenarioToYaml } from '../scenario/serialize.ts';
import { ensureDir, writeFileAtomic, writeCsvFile } from './atomic.ts';
import { alignColumns } from './compare-table.ts';
import { isFractionMetric } from './compare.ts';
import { formatNumber } from './csv.ts';
import { formatSignificant } from './table.ts';

export interface CalibrationInfo {
  /** The command as typed (for the header), e.g. `sim calibrate paper.yaml --live ...`. */
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

function intervalText(c: Calibration, prof: Profile): string {
  const p = c.params.find((q) => q.path === prof.path)!;
  return `[${edgeText(prof.low, p, 'low')}, ${edgeText(prof.high, p, 'high')}]`;
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
    if (isScalar(node)) node.comment = ` fitted in ${p.low}..${p.high}; loss <= min + 1 for ${intervalText(c, c.profiles[i])}`;
  });
  const fitted = c.residuals.filter((r) => r.fitted).length;
  doc.commentBefore = [
    ` Calibrated by: ${info.command}`,
    ` ${c.evaluations.length} evaluations of ${info.reps} replications (seed ${info.seed}, common random numbers);`,
    ` loss (sum of squared scaled residuals over ${fitted} live values) ${formatSignificant(c.best.loss)} at:`,
    ...c.params.map((p, i) => `   ${p.path} = ${formatNumber(c.best.values[i])}   (loss <= min + 1 for ${intervalText(c, c.profiles[i])})`),
    ' Residuals (live - simulated) are in residuals.csv; every evaluated point in calibration.csv.',
  ].join('\n');
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: true });
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The files writeCalibration writes (and replaces). */
export const calibrationFiles = ['calibrated.yaml', 'calibration.csv', 'residuals.csv'];

/** Writes the calibration files of `outDir` into `into` (a staging folder of it; default outDir itself). */
export async function writeCalibration(outDir: string, s: Scenario, c: Calibration, info: CalibrationInfo, into = outDir): Promise<string[]> {
  await ensureDir(into);
  const files = calibrationFiles.map((f) => join(into, f));
  await writeFileAtomic(files[0], calibratedYaml(s, c, info, outDir));
  await writeCsvFile(files[1], ['evaluation', ...c.params.map((p) => p.path), 'loss'], c.evaluations.map((e, i) => [String(i + 1), ...e.values.map(formatNumber), formatNumber(e.loss)]));
  await writeCsvFile(
    files[2],
    ['period', 'replicas', 'metric', 'live_value', 'sim_mean', 'sim_sd', 'sim_n', 'residual', 'scale', 'z', 'fitted', 'source'],
    c.residuals.map((r) => [
      r.target.period, String(r.target.replicas), r.target.metric, formatNumber(r.target.value), formatNumber(r.sim.mean), formatNumber(r.sim.sd),
      String(r.sim.n), formatNumber(r.residual), formatNumber(r.scale), formatNumber(r.z), String(r.fitted), r.target.source,
    ]),
  );
  return files;
}


/** The console summary: fitted values with their intervals, residuals, the loss along each parameter. */
export function calibrationSummary(c: Calibration): string {
  const fitted = alignColumns([
    ['parameter', 'fitted', 'loss <= min + 1 for', 'searched'],
    ...c.params.map((p, i) => [p.path, formatSignificant(c.best.values[i]), intervalText(c, c.profiles[i]), `${p.low}..${p.high}`]),
  ]);
  const residuals = alignColumns([
    ['metric', 'where', 'live', 'simulated', 'residual', 'z'],
    ...c.residuals.map((r) => {
      const pct = isFractionMetric(r.target.metric);
      const v = (x: number) => (pct ? `${formatSignificant(x * 100)} %` : formatSignificant(x));
      const where = `${r.target.period === 'all' ? 'all periods' : `P=${r.target.period}`}, R=${r.target.replicas}`;
      const resid = pct ? `${formatSignificant(r.residual * 100)} pp` : formatSignificant(r.residual);
      return [r.target.metric, where, v(r.target.value), v(r.sim.mean), resid, r.fitted ? formatSignificant(r.z) : 'not fitted (no spread)'];
    }),
  ], new Set([2, 3, 4, 5]));
  const along = c.profiles.map((prof) => `${prof.path}: ${prof.points.map((q) => `${formatSignificant(q.value)} -> ${formatSignificant(q.loss)}`).join(', ')}`);
  return [
    `loss ${formatSignificant(c.best.loss)} after ${c.evaluations.length} evaluations (about ${Math.max(1, c.residuals.filter((r) => r.fitted).length - c.params.length)} expected if the model fits: live values minus parameters)`,
    '',
    fitted,
    '',
    residuals,
    '',
    'loss along each parameter through the optimum (value -> loss):',
    ...along.map((l) => `  ${l}`),
  ].join('\n');
}
