/**
 * `sim calibrate --explain`: every candidate mechanism (one `--fit`
 * parameter each) fitted alone and in pairs by calibrate(), all with
 * replications 0..reps-1 (common random numbers: the candidates differ by
 * their mechanism, not by fresh noise), then each fit's prediction over a
 * curve of periods, and the ranking of explain.ts.
 */
import { calibrate, type FitParam, type Target } from './calibrate.ts';
import { simulator, type SimSetup } from './calibrate-sim.ts';
import { candidateSets, explain, type CandidateFit, type CurvePoint, type Explanation } from './explain.ts';

export interface ExplainSetup extends Omit<SimSetup, 'params'> {
  candidates: readonly FitParam[];
  /** Periods of the predicted curves (besides the live values' own). */
  curvePeriods: readonly string[];
  budget: number;
  progress?: (candidate: string, done: number) => void;
}

export interface ExplainResult extends Explanation {
  curve: CurvePoint[];
}

/** The default periods of the predicted curves: the paper's and a few between. */
export const defaultCurvePeriods = ['inf', '30', '15', '10', '5', '3', '2', '1'];

export function runExplain(setup: ExplainSetup): ExplainResult {
  const curve = curvePoints(setup.targets, [...setup.curvePeriods, ...setup.allPeriods]);
  const curveTargets: Target[] = curve.map((p) => ({ metric: p.metric, period: p.period, replicas: p.replicas, value: p.live ?? NaN, n: 1, source: 'curve', line: 0 }));
  const fits: CandidateFit[] = candidateSets(setup.candidates).map((params) => {
    const name = params.map((p) => p.path).join(' + ');
    const base = { ...setup, params: [...params] };
    const c = calibrate(params, setup.targets, simulator(base), {
      budget: setup.budget,
      reps: setup.reps,
      progress: (done) => setup.progress?.(name, done),
    });
    const stats = simulator({ ...base, targets: curveTargets })(c.best.values);
    return {
      name,
      k: params.length,
      loss: c.best.loss,
      dof: c.dof,
      pValue: c.pValue,
      fitted: params.map((p, i) => {
        const prof = c.profiles.find((q) => q.path === p.path);
        return {
          path: p.path,
          value: c.best.values[i],
          low: prof?.low.value ?? NaN,
          high: prof?.high.value ?? NaN,
          lowOpen: prof?.low.open ?? true,
          highOpen: prof?.high.open ?? true,
        };
      }),
      curve: stats.map((s) => ({ mean: s.mean, se: s.n > 0 ? s.sd / Math.sqrt(s.n) : NaN })),
    };
  });
  return { ...explain(fits, curve), curve };
}

/** Every live metric (and replica count) at every period, in period order as given, live values attached. */
function curvePoints(targets: readonly Target[], periods: readonly string[]): CurvePoint[] {
  const keys = [...new Set(targets.map((t) => `${t.metric}|${t.replicas}`))];
  const allPeriods = [...new Set([...periods, ...targets.map((t) => t.period).filter((p) => p !== 'all')])];
  return keys.flatMap((key) => {
    const [metric, r] = key.split('|');
    const replicas = Number(r);
    return allPeriods.map((period) => {
      const live = targets.find((t) => t.metric === metric && t.replicas === replicas && t.period === period);
      return live ? { metric, period, replicas, live: live.value } : { metric, period, replicas };
    });
  });
}
