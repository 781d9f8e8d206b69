import { test } from 'uvu';
import * as assert from 'uvu/assert';
import seedrandom from 'seedrandom';
import fc from 'fast-check';
import { percentile, percentilesOfUnsorted, summarize, tQuantile } from '../src/metrics/summary.ts';

function close(actual: number, expected: number, relTol: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= relTol, `${what}: got ${actual}, expected ${expected} (relative error ${err})`);
}

test('t quantiles match the textbook table to 4 decimals', () => {
  const table: [number, number][] = [[1, 12.7062], [2, 4.3027], [9, 2.2622], [29, 2.0452], [199, 1.972], [1e6, 1.96]];
  for (const [df, t] of table) assert.ok(Math.abs(tQuantile(0.975, df) - t) < 5e-5, `df=${df}: ${tQuantile(0.975, df)}`);
});

test('t quantiles match 20-digit reference values (mpmath) to 1e-11', () => {
  const ref: [number, number, number][] = [
    [0.975, 1, 12.706204736174693314],
    [0.975, 2, 4.3026527297494617894],
    [0.975, 3, 3.1824463052837084359],
    [0.975, 9, 2.2621571627982049992],
    [0.975, 29, 2.0452296421327038745],
    [0.975, 199, 1.9719565442517534484],
    [0.975, 1e6, 1.9599663568141066553],
    [0.995, 4, 4.6040948713499920459],
    [0.9, 3.5, 1.5765766051364052678],
    [0.975, 0.5, 164.5576734804882408],
    [0.025, 10, -2.2281388519862747157],
    [1e-10, 5, -156.82559270889431634],
  ];
  for (const [p, df, t] of ref) close(tQuantile(p, df), t, 1e-11, `t(${p}, ${df})`);
});

test('t quantiles are odd around p = 0.5 and reject impossible arguments', () => {
  assert.is(tQuantile(0.5, 7), 0);
  assert.is(tQuantile(0.25, 7), -tQuantile(0.75, 7)); // 1 - 0.75 is exact, so the two are the same computation
  assert.throws(() => tQuantile(0, 5), /p must be/);
  assert.throws(() => tQuantile(1, 5), /p must be/);
  assert.throws(() => tQuantile(0.9, 0), /df must be/);
  assert.throws(() => tQuantile(0.9, Infinity), /df must be/);
});

test('percentiles interpolate between order statistics like numpy (type 7), to the bit', () => {
  const cases: [number[], [number, number, number]][] = [
    [[3, 1, 4, 1, 5, 9, 2, 6], [1, 3.5, 7.949999999999998]],
    [[10, 20, 30, 40], [11.5, 25, 38.5]],
    [[0.1, 0.2, 0.3, 0.7, 1.1, 2.5], [0.125, 0.5, 2.15]],
    [[5, 1, 3], [1.2, 3, 4.8]],
    [[7], [7, 7, 7]],
  ];
  for (const [values, [p5, p50, p95]] of cases) {
    const s = summarize(values);
    assert.equal([s.p5, s.p50, s.p95], [p5, p50, p95], String(values));
  }
  assert.is(percentile([1, 2, 3], 0), 1);
  assert.is(percentile([1, 2, 3], 1), 3);
  assert.ok(Number.isNaN(percentile([], 0.5)));
});

test('NaN runs are left out and n counts the runs where the metric is defined', () => {
  const s = summarize([NaN, 5, 1, NaN, 3]);
  assert.is(s.n, 3);
  assert.is(s.mean, 3);
  assert.is(s.sd, 2);
  assert.is(s.min, 1);
  assert.is(s.max, 5);
  close(s.ci_low, 3 - (4.302652729749462 * 2) / Math.sqrt(3), 1e-14, 'ci_low');
  close(s.ci_high, 3 + (4.302652729749462 * 2) / Math.sqrt(3), 1e-14, 'ci_high');
});

test('sd is the sample sd (n - 1) and the mean is accurate', () => {
  const s = summarize([0.1, 0.2, 0.3, 0.7, 1.1, 2.5]);
  close(s.mean, 0.8166666666666667, 1e-15, 'mean');
  close(s.sd, 0.904249228181405, 1e-14, 'sd');
  const t = summarize([10, 20, 30, 40]);
  close(t.sd, 12.909944487358056, 1e-15, 'sd');
});

test('equal values give that value exactly, sd 0 and a CI of zero width', () => {
  const s = summarize(Array(30).fill(0.1));
  assert.equal(
    [s.n, s.mean, s.sd, s.ci_low, s.ci_high, s.p5, s.p95, s.min, s.max],
    [30, 0.1, 0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
  );
});

test('one run has no sd or CI; no run has nothing but n = 0', () => {
  const one = summarize([4, NaN]);
  assert.is(one.n, 1);
  assert.is(one.mean, 4);
  assert.is(one.p50, 4);
  assert.ok(Number.isNaN(one.sd) && Number.isNaN(one.ci_low) && Number.isNaN(one.ci_high));
  const none = summarize([NaN, NaN]);
  assert.is(none.n, 0);
  for (const [k, v] of Object.entries(none)) if (k !== 'n') assert.ok(Number.isNaN(v), k);
  assert.is(summarize([]).n, 0);
});

test('the 95 % CI covers the true mean of normal samples of 5 about 95 % of the time', () => {
  // With n = 5 a normal-quantile interval would cover only about 88 %: this tells t from z.
  const rng = seedrandom('ci-coverage');
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const trials = 4000;
  let covered = 0;
  for (let i = 0; i < trials; i++) {
    const s = summarize(Array.from({ length: 5 }, () => 10 + 3 * normal()));
    if (s.ci_low <= 10 && 10 <= s.ci_high) covered++;
  }
  const rate = covered / trials;
  assert.ok(rate > 0.935 && rate < 0.965, `coverage ${rate}`);
});

test('percentiles by selection equal the percentiles of the sorted values, to the bit, in any order, with ties', () => {
  const values = fc.oneof(
    fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { maxLength: 300 }),
    fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 300 }), // many ties
  );
  // Ascending as runMetrics asks (each selection then searches right of the previous), or in any order.
  const qs = fc.oneof(
    fc.uniqueArray(fc.constantFrom(0, 0.05, 0.5, 0.9, 0.95, 0.99, 1), { minLength: 1 }).map((q) => q.sort((a, b) => a - b)),
    fc.array(fc.constantFrom(0, 0.05, 0.5, 0.95, 0.99, 1), { minLength: 1, maxLength: 5 }),
  );
  fc.assert(
    fc.property(values, qs, fc.constantFrom('any', 'sorted', 'reversed'), (xs, q, order) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const input = order === 'sorted' ? sorted : order === 'reversed' ? [...sorted].reverse() : xs;
      const got = percentilesOfUnsorted(Float64Array.from(input), q);
      return got.every((g, i) => {
        const want = percentile(sorted, q[i]);
        return Object.is(g, want) || (g === 0 && want === 0);
      });
    }),
    { numRuns: 2000, seed: 15 },
  );
  // p50, p95, p99 of a run's size, as runMetrics takes them.
  const a = Float64Array.from({ length: 1601 }, (_, i) => (i * 7919) % 1601);
  const sorted = [...a].sort((x, y) => x - y);
  assert.equal(percentilesOfUnsorted(a, [0.5, 0.95, 0.99]), [0.5, 0.95, 0.99].map((q) => percentile(sorted, q)));
});

test('the statistics do not depend on where -0, 0 and NaN stand among the values', () => {
  // summarize sorts a typed array (-0 before 0); its statistics must be those of any order of the same values.
  const values = fc.array(fc.oneof(fc.constantFrom(0, -0, NaN, 1, -1, 2.5), fc.double({ noNaN: true, min: -10, max: 10 })), { maxLength: 60 });
  fc.assert(
    fc.property(values, fc.integer(), (xs, seed) => {
      const rng = seedrandom(String(seed));
      const shuffled = [...xs].sort(() => rng() - 0.5);
      const a = summarize(xs);
      const b = summarize(shuffled);
      return Object.keys(a).every((k) => {
        const [x, y] = [a[k as keyof typeof a], b[k as keyof typeof b]];
        return x === y || (Number.isNaN(x) && Number.isNaN(y));
      });
    }),
    { numRuns: 1000, seed: 16 },
  );
});

test.run();
