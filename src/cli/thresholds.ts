/** --max-risk and --max-failure: the thresholds of the recommendation (README "Choosing the period"). */
import type { Argv } from 'yargs';
import { defaultThresholds, pct, type Thresholds } from '../report/thresholds.ts';
import { UserError } from '../util/errors.ts';

export interface ThresholdArgs {
  'max-risk'?: string;
  'max-failure'?: string;
}

export function thresholdOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('max-risk', { type: 'string', describe: `highest acceptable P(compromise within the horizon), upper 95 % bound: a fraction or a percent (default ${pct(defaultThresholds.maxRisk).replace(' ', '')})` })
    .option('max-failure', { type: 'string', describe: `highest acceptable mean failed-insert rate: a fraction or a percent (default ${pct(defaultThresholds.maxFailure).replace(' ', '')})` }) as never;
}

function fraction(flag: string, text: string | undefined, def: number): number {
  if (text === undefined) return def;
  const m = /^\s*([0-9]*\.?[0-9]+(?:e-?[0-9]+)?)\s*(%?)\s*$/i.exec(text);
  const x = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(x >= 0 && x <= 1)) throw new UserError([{ file: `--${flag} ${text}`, path: '', message: 'expected a fraction in [0, 1] or a percent in [0 %, 100 %], e.g. 0.05 or 5%' }]);
  return x;
}

export function parseThresholds(args: ThresholdArgs): Thresholds {
  return {
    maxRisk: fraction('max-risk', args['max-risk'], defaultThresholds.maxRisk),
    maxFailure: fraction('max-failure', args['max-failure'], defaultThresholds.maxFailure),
  };
}
