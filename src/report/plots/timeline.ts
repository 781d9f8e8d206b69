/**
 * Figure 7: the timeline of the traced replication (pods.csv, requests.csv):
 * every pod of every service as a bar from its creation until it is gone,
 * coloured by implementation, faint while starting (not listening yet) and
 * half-faint while Terminating; kills, Ready and failed requests marked.
 */
import type { FailedRequest, OutputData, PodRow } from '../output-data.ts';
import { only, schemaUrl, type Datum, type FigureBuilder } from './common.ts';
import { config, implementationColors, okabeIto } from './theme.ts';

const phases = ['starting (not listening yet)', 'serving', 'Terminating (grace period)'] as const;
const events = ['Ready (enters the endpoints)', 'kill (pod deleted)', 'failed request'] as const;
const noPod = '(no pod)';

/** The phases of one pod as [phase, start, stop], empty ones left out; open ones end at `end`. */
export function podPhases(p: PodRow, end: number): [string, number, number][] {
  const or = (...xs: number[]) => xs.find(Number.isFinite) ?? end;
  const stop = or(p.gone, end);
  const deleted = or(p.deleted, stop);
  const listening = Math.min(or(p.listening, deleted), deleted);
  const out: [string, number, number][] = [
    [phases[0], p.created, listening],
    [phases[1], listening, deleted],
    [phases[2], deleted, stop],
  ];
  return out.filter(([, a, b]) => b > a);
}

function endOf(data: OutputData): number {
  const traced = data.trace!.end;
  const run = data.cells.length === 1 ? data.runs.find((r) => r.cell === data.cells[0].cell) : undefined;
  const endTime = run?.values.end_time ?? NaN;
  return Number.isFinite(endTime) ? Math.max(traced, endTime) : traced;
}

function failedRow(f: FailedRequest): Datum {
  const t = Number.isFinite(f.end) ? f.end : f.time;
  return {
    layer: 'event', service: f.service, pod: f.pod || noPod, t, event: events[2],
    detail: `${f.step} ${f.type} ${f.name}: HTTP ${f.status} (${f.cause})`,
  };
}

function rows(data: OutputData): { values: Datum[]; podOrder: string[]; services: string[] } {
  const { pods, failed } = data.trace!;
  const end = endOf(data);
  const values: Datum[] = [];
  const sorted = [...pods].sort((a, b) => a.created - b.created || (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
  for (const p of sorted) {
    for (const [phase, start, stop] of podPhases(p, end)) {
      values.push({ layer: 'seg', service: p.service, pod: p.pod, implementation: p.implementation, phase, start, stop });
    }
    if (Number.isFinite(p.ready)) values.push({ layer: 'event', service: p.service, pod: p.pod, t: p.ready, event: events[0], detail: 'Ready' });
    if (Number.isFinite(p.deleted)) values.push({ layer: 'event', service: p.service, pod: p.pod, t: p.deleted, event: events[1], detail: 'deleted by the diversifier' });
  }
  values.push(...failed.filter((f) => Number.isFinite(f.end) || Number.isFinite(f.time)).map(failedRow));
  const services = [...new Set([...pods.map((p) => p.service), ...failed.map((f) => f.service)])];
  return { values, podOrder: [noPod, ...sorted.map((p) => p.pod)], services };
}

export const timelineFigure: FigureBuilder = (data) => {
  if (!data.trace || data.trace.pods.length === 0) return undefined;
  const { values, podOrder, services } = rows(data);
  const impl = implementationColors(data.trace.pods.map((p) => p.implementation));
  const x = (field: string) => ({ field, type: 'quantitative' as const, title: 'simulated time (s)', scale: { nice: false } });
  const y = { field: 'pod', type: 'nominal' as const, sort: podOrder, title: 'pods, by creation time', axis: { labelFontSize: 8, labelLimit: 110 } };
  const c = data.cells.length === 1 ? data.cells[0] : undefined;
  const setting = c ? `period P = ${c.period} s, ${c.replicas} replicas per service; ` : '';
  const hasFailed = values.some((d) => d.event === events[2]);
  return {
    id: 'fig7-timeline',
    title: 'Pods over time in the traced replication',
    caption:
      'Every pod of every service in the first replication (--trace), from its creation until it is gone, coloured by the implementation it runs ' +
      '(python is the vulnerable one). Faint: created but not listening yet; solid: serving; half-faint: Terminating, deleted but kept for the grace period. ' +
      'Triangles mark when a pod became Ready and when the diversifier deleted it; crosses mark failed requests at the pod that answered or was last tried.',
    spec: {
      $schema: schemaUrl,
      config,
      title: {
        text: 'Pods over time in the traced replication',
        subtitle: `${setting}bars from creation to gone${hasFailed ? '; crosses: failed requests' : ''}`,
      },
      // One chart per service (not a facet): each gets its own pod axis without vega-lite's faceted-domain warnings.
      vconcat: services.map((service) => ({
        title: { text: service, fontSize: 13, anchor: 'start' as const },
        data: { values: values.filter((d) => d.service === service) },
        width: 820,
        height: { step: 10 },
        layer: [
          {
            transform: only('seg'),
            mark: { type: 'bar' as const, height: { band: 0.8 } },
            encoding: {
              x: x('start'),
              x2: { field: 'stop' },
              y,
              color: { field: 'implementation', type: 'nominal' as const, scale: impl, legend: { title: 'implementation', symbolOpacity: 1 } },
              opacity: {
                field: 'phase',
                type: 'ordinal' as const,
                // An ordinal opacity scale interpolates, so the domain runs from faintest to solid.
                sort: [phases[0], phases[2], phases[1]],
                scale: { domain: [phases[0], phases[2], phases[1]], range: [0.3, 1] },
                legend: { title: 'phase of a pod' },
              },
              tooltip: [
                { field: 'pod', title: 'pod' },
                { field: 'implementation', title: 'implementation' },
                { field: 'phase', title: 'phase' },
                { field: 'start', title: 'from (s)', format: '.2f' },
                { field: 'stop', title: 'to (s)', format: '.2f' },
              ],
            },
          },
          {
            transform: only('event'),
            mark: { type: 'point' as const, filled: true, size: 40, opacity: 1, color: okabeIto.black },
            encoding: {
              x: x('t'),
              y,
              shape: {
                field: 'event',
                type: 'nominal' as const,
                scale: { domain: [...events], range: ['triangle-right', 'triangle-down', 'cross'] },
                legend: { title: 'events' },
              },
              tooltip: [
                { field: 'pod', title: 'pod' },
                { field: 'event', title: 'event' },
                { field: 't', title: 'time (s)', format: '.3f' },
                { field: 'detail', title: 'detail' },
              ],
            },
          },
        ],
      })),
      resolve: { scale: { x: 'shared' } },
    },
  };
};
