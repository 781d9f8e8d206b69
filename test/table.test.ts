import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatSignificant, formatSummaryTable } from '../src/report/table.ts';

test('numbers show three significant digits without trailing zeros or exponents', () => {
  const cases: [number, string][] = [
    [0.21, '0.21'], [0.2134, '0.213'], [12.345, '12.3'], [12, '12'], [100, '100'], [999.4, '999'],
    [999.6, '1000'], [1234567.8, '1234568'], [0, '0'], [-0.0001234, '-0.000123'], [-0.0001, '-0.0001'],
    [NaN, '-'], [Infinity, 'inf'], [-Infinity, '-inf'],
  ];
  for (const [x, text] of cases) assert.is(formatSignificant(x), text, String(x));
});

test('the summary table aligns labels, values and units; fractions show as percent', () => {
  const table = formatSummaryTable([
    { label: 'failure rate', mean: 0.0021, ci_low: 0.0015, ci_high: 0.0027, unit: '%' },
    { label: 'insert failure rate', mean: 0.1234, ci_low: 0.1, ci_high: 0.15, unit: '%' },
    { label: 't0', mean: 45.678, ci_low: NaN, ci_high: NaN, unit: 's' },
    { label: 'events', mean: 1234567.8, ci_low: 1200000, ci_high: 1250000 },
  ]);
  assert.is(table, [
    'failure rate             0.21 %   [0.15, 0.27]',
    'insert failure rate      12.3 %   [10, 15]',
    't0                       45.7 s',
    'events                1234568     [1200000, 1250000]',
  ].join('\n'));
  assert.is(formatSummaryTable([]), '');
});


test('the sweep table leads with the insert failure rate (the paper\'s metric), then the rate over all requests, each named, CIs clipped at 0', async () => {
  const { formatSweepTable, sweepTableRow } = await import('../src/report/sweep-table.ts');
  type Plan = Parameters<typeof formatSweepTable>[0];
  const plan = { paramColumns: [], cells: [{ reps: 3, period: '1', replicas: '3', extra: [] }] } as unknown as Plan;
  const row = sweepTableRow(plan, 0, { insert_failure_rate: [0, 0, 0.0081], failure_rate: [0, 0.001, 0.002], task_malicious_share: [0.03, 0.04, 0.05] });
  const [header, line] = formatSweepTable(plan, [row]).split('\n');
  assert.match(header, /^period\s+replicas\s+insert failure rate %\s+95 % CI\s+failure rate, all requests %\s+95 % CI\s+task malicious share %\s+95 % CI$/);
  assert.match(line, /^1\s+3\s+0\.27\s+\[0, 1\.43\]\s+0\.1\s+\[0, 0\.348\]\s+4\s+\[1\.52, 6\.48\]$/);
});

test.run();
