/**
 * Figure 7: the timeline of the traced replication (pods.csv, requests.csv):
 * every pod of every service as a bar from its creation until it is gone,
 * coloured by implementation, faint while starting (not listening yet) and
 * half-faint while Terminating; kills, Ready and failed requests marked.
 */
import type { FailedRequest, OutputData, PodRow } from '../../store/output-data.ts';
import { only, schemaUrl, type Datum, type FigureBuilder } from './common.ts';
import { config, implementationColors, okabeIto } from './theme.ts';

const phases = ['starting (not listening yet)', 'serving', 'Terminating (grace period)'] as const;
const events = ['Ready (enters the endpoints)', 'kill (pod deleted)', 'failed request'] as const;
const noPod = '(no pod)';

/** The phases of one pod as [phase, start, stop], empty ones left out; open ones end at `end`. */
export function podPhases(p: PodRow, end: number): [string, number, number][] {
  // Cut at the end of the run: later times in pods.csv were only scheduled (a grace period still running).
  const at = (x: number) => Math.min(Number.isFinite(x) ? x : end, end);
  const stop = at(p.gone);
  const deleted = Math.min(at(p.deleted), stop);
  const listening = Math.min(at(p.listening), deleted);
  const out: [string, number, number][] = [
    [phases[0], p.created, listening],
    [phases[1], listening, deleted],
    [phases[2], deleted, stop],
  ];
  return out.filter(([, a, b]) => b > a);
}

/** The traced replication's row of runs.csv: replication 0 of a single-cell run. */
function tracedRun(data: OutputData) {
  return data.cells.length === 1 ? data.runs.find((r) => r.cell === data.cells[0].cell && r.rep === 0) : undefined;
}

/** When the traced replication ended: its last response, else runs.csv's end_time, else the last pod event. */
function endOf(data: OutputData): number {
  const { pods, end } = data.trace!;
  if (Number.isFinite(end)) return end;
  const endTime = tracedRun(data)?.values.end_time ?? NaN;
  if (Number.isFinite(endTime)) return endTime;
  return Math.max(0, ...pods.flatMap((p) => [p.created, p.listening, p.deleted, p.gone]).filter(Number.isFinite));
}

function failedRow(f: FailedRequest): Datum {
  const t = Number.isFinite(f.end) ? f.end : f.time;
  return {
    layer: 'event', service: f.service, pod: f.pod || noPod, t, event: events[2],
    detail: `${f.step} ${f.type} ${f.name}: HTTP ${f.status} (${f.cause})`,
  };
}

function rows(data: OutputData): { values: Datum[]; podOrder: Map<string, string[]>; services: string[] } {
  const { pods, failed } = data.trace!;
  const end = endOf(data);
  const values: Datum[] = [];
  const sorted = [...pods].sort((a, b) => a.created - b.created || (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
  for (const p of sorted) {
    for (const [phase, start, stop] of podPhases(p, end)) {
      values.push({ layer: 'seg', service: p.service, pod: p.pod, implementation: p.implementation, phase, start, stop });
    }
    if (p.ready <= end) values.push({ layer: 'event', service: p.service, pod: p.pod, t: p.ready, event: events[0], detail: 'Ready' });
    if (p.deleted <= end) values.push({ layer: 'event', service: p.service, pod: p.pod, t: p.deleted, event: events[1], detail: 'deleted by the diversifier' });
  }
  values.push(...failed.filter((f) => Number.isFinite(f.end) || Number.isFinite(f.time)).map(failedRow));
  const services = [...new Set([...pods.map((p) => p.service), ...failed.map((f) => f.service)])];
  const t0 = tracedRun(data)?.values.t0 ?? NaN;
  if (Number.isFinite(t0)) for (const service of services) values.push({ layer: 't0', service, t: t0, detail: 't0: the diversifiers and the test script start' });
  // Pod ids need only be unique within a service, so each service gets its own order.
  const podOrder = new Map(services.map((s) => [s, [noPod, ...sorted.filter((p) => p.service === s).map((p) => p.pod)]]));
  return { values, podOrder, services };
}

export const timelineFigure: FigureBuilder = (data) => {
  if (!data.trace || data.trace.pods.length === 0) return undefined;
  const { values, podOrder, services } = rows(data);
  const impl = implementationColors(data.trace.pods.map((p) => p.implementation));
  const x = (field: string) => ({ field, type: 'quantitative' as const, title: 'simulated time (s)', scale: { nice: false } });
  const y = (service: string) => ({
    field: 'pod',
    type: 'nominal' as const,
    sort: podOrder.get(service),
    title: 'pods',
    axis: { labelFontSize: 8, labelLimit: 110 },
  });
  const c = data.cells.length === 1 ? data.cells[0] : undefined;
  const setting = c ? `period P = ${c.period} s, ${c.replicas} replicas per service; ` : '';
  const hasFailed = values.some((d) => d.event === events[2]);
  return {
    id: 'fig7-timeline',
    title: 'Pods over time in the traced replication',
    caption:
      'Every pod of every service in the first replication (--trace), from its creation until it is gone, coloured by the implementation it runs ' +
      '(python is the vulnerable one). Faint: created but not listening yet; solid: serving; half-faint: Terminating, deleted but kept for the grace period. ' +
      'Pods are listed by creation time. Triangles mark when a pod became Ready and when the diversifier deleted it; crosses mark failed requests at the pod that answered or was last tried. ' +
      'The dashed line is t0, when every service first has all its replicas listening and the diversifiers and the test script start.',
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
          ...(values.some((d) => d.layer === 't0')
            ? [{ transform: only('t0'), mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#666666' }, encoding: { x: x('t'), tooltip: [{ field: 'detail', title: 't0' }] } }]
            : []),
          {
            transform: only('seg'),
            mark: { type: 'bar' as const, height: { band: 0.8 } },
            encoding: {
              x: x('start'),
              x2: { field: 'stop' },
              y: y(service),
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
              y: y(service),
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
