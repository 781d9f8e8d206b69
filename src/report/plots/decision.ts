/**
 * The attack figures (README "Choosing the period"):
 * - the decision: per attacker, cost (mean failed inserts) against risk
 *   (P(compromise within the horizon), Wilson 95 % interval) for every swept
 *   cell, the Pareto front, the two thresholds as dashed lines and the
 *   recommended cell ringed and named. In report.html both thresholds are
 *   sliders (Vega-Lite parameters), and the ring and its name follow them.
 * - survival: Kaplan-Meier curves of the time to compromise, one per period.
 * Periods are told apart by colour, variants by shape (or panel): a legend,
 * never labels beside points, so nothing overprints.
 */
import { kaplanMeier } from '../../metrics/attack.ts';
import { stat, type OutputData } from '../../store/output-data.ts';
import { costMetric, type Recommendation } from '../recommend.ts';
import { pct } from '../thresholds.ts';
import { finite, schemaUrl, type Datum, type Figure } from './common.ts';
import { paretoFront } from './tradeoff.ts';
import { config, percentAxis, percentTip, periodOrder } from './theme.ts';

const periodColors = ['#000000', '#0072B2', '#56B4E9', '#009E73', '#E69F00', '#D55E00', '#CC79A7', '#999999', '#F0E442'];

function periodScale(data: OutputData) {
  const domain = periodOrder(data.cells.map((c) => c.period));
  return { domain, range: domain.map((_, i) => periodColors[i % periodColors.length]) };
}

function variantLabel(data: OutputData, c: OutputData['cells'][number]): string {
  return [`R = ${c.replicas}`, ...data.varied.map((p) => `${p.replace(/^cluster\./, '')} = ${c.vary[p]}`)].join(', ');
}

function decisionRows(data: OutputData, rec: Recommendation): Datum[] {
  const rows: Datum[] = [];
  for (const d of rec.decisions) {
    const pts = d.cells.map((c) => ({ x: Number.isFinite(c.cost.value) ? c.cost.value : 0, y: c.risk.value }));
    const front = new Set(paretoFront(pts));
    d.cells.forEach((c, i) => {
      rows.push({
        attacker: d.name, setting: c.setting, period: c.cell.period, periodNum: c.cell.period === 'inf' ? 1e12 : Number(c.cell.period),
        replicas: c.cell.replicas, variant: variantLabel(data, c.cell), front: front.has(i),
        cost: pts[i].x, costLo: finite(c.cost.low) ?? pts[i].x, costHi: finite(c.cost.high) ?? pts[i].x,
        risk: c.risk.value, riskLo: finite(c.risk.low), riskHi: finite(c.risk.high),
        n: stat(data, c.cell.cell, `attack_${d.name}_p_compromise`)?.n ?? null,
      });
    });
  }
  return rows;
}

export function decisionFigure(data: OutputData, rec: Recommendation): Figure | undefined {
  const values = decisionRows(data, rec);
  if (values.length === 0) return undefined;
  const t = rec.thresholds;
  const maxCost = Math.max(t.maxFailure, ...values.map((v) => (v.costHi as number) ?? 0));
  const sliderMax = Math.min(1, Math.ceil(maxCost * 1.2 * 1000) / 1000 || 0.01);
  const x = { field: 'cost', type: 'quantitative' as const, title: 'failed inserts (mean %): the cost', axis: { format: percentAxis }, scale: { domainMin: 0 } };
  // The band above 100 % holds the recommendation's name, clear of every point.
  const y = {
    field: 'risk', type: 'quantitative' as const, title: 'P(compromise within the horizon): the risk',
    axis: { format: '~%', values: [0, 0.2, 0.4, 0.6, 0.8, 1] }, scale: { domain: [0, 1.3], nice: false },
  };
  const color = { field: 'period', type: 'ordinal' as const, scale: periodScale(data), title: 'period P (s)' };
  const shape = { field: 'variant', type: 'nominal' as const, title: 'setting' };
  const tooltip = [
    { field: 'setting', title: 'setting' },
    { field: 'risk', title: 'P(compromise)', format: percentTip },
    { field: 'riskHi', title: 'upper 95 % bound', format: percentTip },
    { field: 'cost', title: 'failed inserts', format: percentTip },
    { field: 'n', title: 'replications' },
  ];
  const ok = '(datum.riskHi <= maxRisk && datum.cost <= maxFailure)';
  const ranked = [
    { calculate: `${ok} ? 0 : 1`, as: 'okRank' },
    { window: [{ op: 'row_number' as const, as: 'rank' }], sort: [{ field: 'okRank' }, { field: 'cost' }, { field: 'periodNum', order: 'descending' as const }, { field: 'replicas' }], groupby: ['attacker'] },
  ];
  const chosen = [...ranked, { filter: 'datum.okRank === 0 && datum.rank === 1' }];
  const none = [...ranked, { filter: 'datum.rank === 1 && datum.okRank === 1' }];
  const layer = [
    { transform: [{ calculate: 'maxRisk', as: 'risk' }], mark: { type: 'rule' as const, strokeDash: [5, 4], color: '#B00000' }, encoding: { y } },
    { transform: [{ calculate: 'maxFailure', as: 'cost' }], mark: { type: 'rule' as const, strokeDash: [5, 4], color: '#B00000' }, encoding: { x } },
    { transform: [{ filter: 'datum.front' }], mark: { type: 'line' as const, strokeDash: [2, 3], color: '#666666' }, encoding: { x, y, order: { field: 'cost' } } },
    { transform: [{ filter: 'datum.riskLo !== null' }], mark: { type: 'rule' as const, opacity: 0.6 }, encoding: { x, y: { field: 'riskLo', type: 'quantitative' as const }, y2: { field: 'riskHi' }, color } },
    { mark: { type: 'rule' as const, opacity: 0.6 }, encoding: { x: { field: 'costLo', type: 'quantitative' as const }, x2: { field: 'costHi' }, y, color } },
    { mark: { type: 'point' as const, filled: true, size: 60, opacity: 0.9 }, encoding: { x, y, color, shape, tooltip } },
    // Every point gets a ring, seen only on the chosen one: a filtered layer may be empty, and an empty layer breaks the shared scales.
    {
      transform: [...ranked, { calculate: 'datum.okRank === 0 && datum.rank === 1 ? 1 : 0', as: 'chosen' }],
      mark: { type: 'point' as const, size: 420, strokeWidth: 2, color: '#000000' },
      encoding: { x, y, opacity: { field: 'chosen', type: 'quantitative' as const, scale: { domain: [0, 1], range: [0, 1] }, legend: null } },
    },
    {
      transform: chosen,
      mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, x: 4, y: 4, fontSize: 11, fontWeight: 'bold' as const, lineBreak: '|' },
      encoding: { text: { field: 'label', type: 'nominal' as const } },
    },
    {
      transform: none,
      mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, x: 4, y: 4, fontSize: 11, fontWeight: 'bold' as const, color: '#B00000' },
      encoding: { text: { value: 'no setting meets both thresholds' } },
    },
  ];
  for (const l of layer.slice(6, 8)) (l.transform as object[]).push({ calculate: "'recommended: ' + replace(datum.setting, ', R', '|R')", as: 'label' });
  const attackers = rec.decisions.map((d) => d.name);
  return {
    id: 'fig8-attack-decision',
    title: 'Choosing the period: what each attacker risks, what rotation costs',
    caption:
      `One panel per attacker; each point is a swept cell: to the right more insert requests fail (the cost), higher the attacker more likely compromises within the horizon (the risk; whiskers: 95 % intervals, Wilson for the risk). ` +
      `Dashed red lines: the thresholds (now --max-risk ${pct(t.maxRisk)}, --max-failure ${pct(t.maxFailure)}); the ringed point, named at the top left, is the cheapest cell whose upper risk bound and mean cost are within both. ` +
      'Dotted grey: the Pareto front. In this page, move the sliders below the figure to change the thresholds and see the recommendation move.',
    spec: {
      $schema: schemaUrl,
      config,
      title: { text: 'Choosing the period', subtitle: 'risk (upper 95 % bound) at most the max risk and cost at most the max failure; ringed: the cheapest such cell' },
      params: [
        { name: 'maxRisk', value: t.maxRisk, bind: { input: 'range', min: 0, max: 1, step: 0.005, name: 'max risk, P(compromise) upper bound ' } },
        { name: 'maxFailure', value: t.maxFailure, bind: { input: 'range', min: 0, max: sliderMax, step: sliderMax / 200, name: 'max failed inserts ' } },
      ],
      data: { values },
      facet: { column: { field: 'attacker', type: 'nominal', sort: attackers, title: null, header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
      spec: { width: 260, height: 240, layer },
      resolve: { scale: { x: 'shared', y: 'shared' } },
    } as never,
  };
}

/** Kaplan-Meier curves per cell, from runs.csv. */
export function survivalFigure(data: OutputData, rec: Recommendation): Figure | undefined {
  const values: Datum[] = [];
  const variants = [...new Set(data.cells.map((c) => variantLabel(data, c)))];
  for (const d of rec.decisions) {
    for (const c of data.cells) {
      const runs = data.runs.filter((r) => r.cell === c.cell);
      const times = runs.map((r) => r.values[`attack_${d.name}_time`] ?? NaN);
      const horizons = runs.map((r) => r.values[`attack_${d.name}_horizon`] ?? NaN);
      const steps = kaplanMeier(times, horizons);
      if (steps.length === 0 || steps[0].atRisk === 0) continue;
      const h = Math.max(...horizons.filter((x) => Number.isFinite(x)));
      const base = { attacker: d.name, period: c.period, variant: variantLabel(data, c) };
      for (const s of steps) values.push({ ...base, minutes: s.time / 60, survival: s.survival });
      if (Number.isFinite(h)) values.push({ ...base, minutes: h / 60, survival: steps[steps.length - 1].survival });
    }
  }
  if (values.length === 0) return undefined;
  const facet = {
    column: { field: 'attacker', type: 'nominal' as const, sort: rec.decisions.map((d) => d.name), title: null, header: { labelFontSize: 13, labelFontWeight: 'bold' as const } },
    ...(variants.length > 1 ? { row: { field: 'variant', type: 'nominal' as const, sort: variants, title: null } } : {}),
  };
  return {
    id: 'fig9-attack-survival',
    title: 'How long the cluster holds out',
    caption:
      'Kaplan-Meier estimate of the share of runs not yet compromised, against minutes after t0, one curve per period (colour), one panel per attacker (columns) and setting (rows). ' +
      'A curve that stays high means the attacker rarely gets there within the horizon; a run still uncompromised at the horizon is censored there.',
    spec: {
      $schema: schemaUrl,
      config,
      title: { text: 'How long the cluster holds out', subtitle: 'share of runs not yet compromised (Kaplan-Meier), by period' },
      data: { values },
      facet,
      spec: {
        width: 220,
        height: 130,
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
        encoding: {
          x: { field: 'minutes', type: 'quantitative', title: 'minutes after t0' },
          y: { field: 'survival', type: 'quantitative', title: 'not compromised', axis: { format: '~%' }, scale: { domain: [0, 1] } },
          color: { field: 'period', type: 'ordinal', scale: periodScale(data), title: 'period P (s)' },
          detail: { field: 'variant' },
        },
      },
    } as never,
  };
}

/** The other risk measures against the same cost: restricted mean time to compromise, foothold-seconds per hour, pseudo's p95 share. */
export function riskMeasuresFigure(data: OutputData, rec: Recommendation): Figure | undefined {
  const values: Datum[] = [];
  const measures = ['mean time to compromise (min, restricted)', 'foothold-seconds per hour', 'p95 malicious task share (%)'];
  for (const c of data.cells) {
    const cost = stat(data, c.cell, costMetric)?.mean ?? NaN;
    const base = { period: c.period, variant: variantLabel(data, c), cost: Number.isFinite(cost) ? cost : 0 };
    for (const d of rec.decisions) {
      const rm = stat(data, c.cell, `attack_${d.name}_restricted_mean_time`);
      if (rm && Number.isFinite(rm.mean)) values.push({ ...base, attacker: d.name, measure: measures[0], y: rm.mean / 60, ylo: finite(rm.ci_low / 60) ?? rm.mean / 60, yhi: finite(rm.ci_high / 60) ?? rm.mean / 60 });
      const fs = stat(data, c.cell, `attack_${d.name}_foothold_seconds_per_hour`);
      if (fs && Number.isFinite(fs.mean)) values.push({ ...base, attacker: d.name, measure: measures[1], y: fs.mean, ylo: finite(Math.max(0, fs.ci_low)) ?? fs.mean, yhi: finite(fs.ci_high) ?? fs.mean });
    }
    const share = stat(data, c.cell, 'task_malicious_share');
    if (rec.lines.some((l) => l.startsWith('against pseudo')) && share && Number.isFinite(share.p95)) {
      // A zero-length whisker: every panel draws both layers (an empty layer breaks independent scales).
      values.push({ ...base, attacker: 'pseudo', measure: measures[2], y: share.p95 * 100, ylo: share.p95 * 100, yhi: share.p95 * 100 });
    }
  }
  if (values.length === 0) return undefined;
  // One panel per (attacker, measure) that has data, wrapped: no empty panel.
  for (const v of values) v.panel = `${v.attacker}: ${v.measure}`;
  const panels = [...new Set(values.map((v) => v.panel as string))].sort((a, b) => rank(a) - rank(b));
  function rank(p: string): number {
    const m = measures.findIndex((x) => p.endsWith(x));
    const a = rec.decisions.findIndex((d) => p.startsWith(`${d.name}: `));
    return m * 100 + (a < 0 ? 99 : a);
  }
  const x = { field: 'cost', type: 'quantitative' as const, title: 'failed inserts (mean %)', axis: { format: percentAxis } };
  const color = { field: 'period', type: 'ordinal' as const, scale: periodScale(data), title: 'period P (s)' };
  return {
    id: 'fig10-attack-measures',
    title: 'Other measures of the risk, against the same cost',
    caption:
      'Per attacker (columns): the restricted mean time to compromise up to the horizon (minutes, Kaplan-Meier, 95 % whiskers), the seconds of footholds held per hour of horizon (mean, 95 % whiskers), ' +
      'and for the pseudo-attack the p95 of the per-run malicious share of inserted tasks (what a bad day looks like, in %), each against the mean failed-insert rate. Colour: period; shape: setting.',
    spec: {
      $schema: schemaUrl,
      config,
      title: { text: 'Other measures of the risk', subtitle: 'against the cost; whiskers: 95 % intervals; a longer time to compromise and fewer foothold-seconds are better' },
      data: { values },
      facet: { field: 'panel', type: 'nominal', sort: panels, title: null, header: { labelFontSize: 11, labelLimit: 0 } },
      columns: Math.max(1, rec.decisions.length),
      spec: {
        width: 250,
        height: 140,
        layer: [
          { mark: { type: 'rule', opacity: 0.6 }, encoding: { x, y: { field: 'ylo', type: 'quantitative', title: null }, y2: { field: 'yhi' }, color } },
          { mark: { type: 'point', filled: true, size: 50, opacity: 0.9 }, encoding: { x, y: { field: 'y', type: 'quantitative', title: null }, color, shape: { field: 'variant', type: 'nominal', title: 'setting' } } },
        ],
      },
      resolve: { scale: { y: 'independent', x: 'independent' } },
    } as never,
  };
}

export function decisionFigures(data: OutputData, rec: Recommendation): Figure[] {
  return [decisionFigure(data, rec), survivalFigure(data, rec), riskMeasuresFigure(data, rec)].filter((f): f is Figure => f !== undefined);
}
