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

test.run();
