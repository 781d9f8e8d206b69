/**
 * The chi-square distribution's upper tail, for the p-value of a
 * calibration loss: P(X >= x) for X ~ chi-square with k degrees of freedom,
 * the regularized upper incomplete gamma function Q(k/2, x/2) (series below
 * a + 1, continued fraction above: Numerical Recipes, 6.2).
 */
export function chiSquareSf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  const a = k / 2;
  const y = x / 2;
  return y < a + 1 ? 1 - lowerSeries(a, y) : upperFraction(a, y);
}

const lnGammaCoefficients = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];

/** ln Gamma(a) for a > 0 (Lanczos, about 1e-10 relative). */
export function lnGamma(a: number): number {
  let x = a;
  let tmp = a + 5.5;
  tmp -= (a + 0.5) * Math.log(tmp);
  let ser = 1.000000000190015;
  for (const c of lnGammaCoefficients) ser += c / ++x;
  return -tmp + Math.log((2.5066282746310005 * ser) / a);
}

function lowerSeries(a: number, x: number): number {
  let sum = 1 / a;
  let term = sum;
  for (let n = 1; n < 1000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

function upperFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}
