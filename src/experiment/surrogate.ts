/**
 * A smooth stand-in for a noisy loss: the least-squares quadratic through
 * the evaluated points near the best one, in coordinates scaled to [0, 1]
 * per parameter. Its minimum in the box locates the optimum, and its
 * curvature gives the profile interval loss <= min + delta of each
 * parameter, |x_i - x*_i| <= sqrt(2 delta (H^-1)_ii): Monte-Carlo noise in
 * single evaluations averages out instead of pulling the optimum and
 * narrowing the interval.
 */

export interface Box {
  low: number;
  high: number;
}

export interface Quadratic {
  /** f(u) = c + g.u + u.H.u / 2 over scaled coordinates u. */
  c: number;
  g: number[];
  H: number[][];
}

export interface SurrogateFit {
  /** Where the quadratic is lowest in the box, in the parameters' own units. */
  x: number[];
  /** Its value there. */
  min: number;
  /** Per parameter: the half-width of loss <= min + delta, in its own units; NaN when the quadratic is not convex. */
  halfWidth: (delta: number) => number[];
  /** Points it was fitted to. */
  used: number;
}

/** Coefficients of a full quadratic: 1 + d + d (d + 1) / 2. */
export const quadraticTerms = (d: number): number => 1 + d + (d * (d + 1)) / 2;

/**
 * Fits the points whose loss is within `window` of the lowest (at least the
 * 2 + terms lowest, so the fit has residual degrees of freedom); null when
 * there are too few finite points or the fit is singular or not convex.
 */
export function fitSurrogate(box: readonly Box[], xs: readonly (readonly number[])[], ys: readonly number[], window: number): SurrogateFit | null {
  const d = box.length;
  const q = quadraticTerms(d);
  const order = ys.map((y, i) => i).filter((i) => Number.isFinite(ys[i])).sort((a, b) => ys[a] - ys[b] || a - b);
  if (order.length < q + 2) return null;
  const lowest = ys[order[0]];
  const chosen = order.filter((i, k) => k < q + 2 || ys[i] <= lowest + window);
  const scale = (x: readonly number[]) => x.map((v, i) => (box[i].high > box[i].low ? (v - box[i].low) / (box[i].high - box[i].low) : 0));
  const rows = chosen.map((i) => features(scale(xs[i])));
  const beta = leastSquares(rows, chosen.map((i) => ys[i]));
  if (!beta) return null;
  const f = unpack(beta, d);
  const inv = invert(f.H);
  if (!inv || f.H.some((_, i) => !(f.H[i][i] > 0)) || !positiveDefinite(f.H)) return null;
  const u = boxMinimum(f);
  const width = box.map((b) => b.high - b.low);
  return {
    x: u.map((v, i) => box[i].low + v * width[i]),
    min: value(f, u),
    halfWidth: (delta) => inv.map((row, i) => Math.sqrt(2 * delta * row[i]) * width[i]),
    used: chosen.length,
  };
}

function features(u: readonly number[]): number[] {
  const out = [1, ...u];
  for (let i = 0; i < u.length; i++) for (let j = i; j < u.length; j++) out.push(u[i] * u[j]);
  return out;
}

function unpack(beta: readonly number[], d: number): Quadratic {
  const g = beta.slice(1, 1 + d);
  const H = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  let k = 1 + d;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      // u_i u_j carries H_ij (i != j: both halves) or H_ii / 2.
      if (i === j) H[i][i] = 2 * beta[k];
      else H[i][j] = H[j][i] = beta[k];
      k++;
    }
  }
  return { c: beta[0], g, H };
}

function value(f: Quadratic, u: readonly number[]): number {
  let v = f.c;
  for (let i = 0; i < u.length; i++) {
    v += f.g[i] * u[i];
    for (let j = 0; j < u.length; j++) v += 0.5 * u[i] * f.H[i][j] * u[j];
  }
  return v;
}

/** Coordinate descent on a convex quadratic over [0, 1]^d (converges; a few hundred sweeps are plenty for d <= 4). */
function boxMinimum(f: Quadratic): number[] {
  const d = f.g.length;
  const u = new Array<number>(d).fill(0.5);
  for (let sweep = 0; sweep < 500; sweep++) {
    let moved = 0;
    for (let i = 0; i < d; i++) {
      let rest = f.g[i];
      for (let j = 0; j < d; j++) if (j !== i) rest += f.H[i][j] * u[j];
      const next = Math.min(1, Math.max(0, -rest / f.H[i][i]));
      moved = Math.max(moved, Math.abs(next - u[i]));
      u[i] = next;
    }
    if (moved < 1e-12) break;
  }
  return u;
}

/** Least squares by the normal equations (a handful of unknowns, coordinates in [0, 1]). */
function leastSquares(rows: readonly number[][], y: readonly number[]): number[] | null {
  const q = rows[0].length;
  const A = Array.from({ length: q }, () => new Array<number>(q).fill(0));
  const b = new Array<number>(q).fill(0);
  rows.forEach((r, k) => {
    for (let i = 0; i < q; i++) {
      b[i] += r[i] * y[k];
      for (let j = 0; j < q; j++) A[i][j] += r[i] * r[j];
    }
  });
  return solve(A, b);
}

/** Gaussian elimination with partial pivoting; null when (nearly) singular. */
function solve(A0: readonly number[][], b0: readonly number[]): number[] | null {
  const n = b0.length;
  const A = A0.map((r, i) => [...r, b0[i]]);
  const norm = Math.max(...A0.flat().map(Math.abs));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    if (!(Math.abs(A[p][c]) > 1e-12 * norm)) return null;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k <= n; k++) A[r][k] -= f * A[c][k];
    }
  }
  return A.map((r, i) => r[n] / r[i]);
}

function invert(H: readonly number[][]): number[][] | null {
  const d = H.length;
  const cols: number[][] = [];
  for (let j = 0; j < d; j++) {
    const e = new Array<number>(d).fill(0);
    e[j] = 1;
    const x = solve(H, e);
    if (!x) return null;
    cols.push(x);
  }
  return H.map((_, i) => cols.map((c) => c[i]));
}

function positiveDefinite(H: readonly number[][]): boolean {
  // Cholesky succeeds.
  const d = H.length;
  const L = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = H[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) return false;
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  return true;
}

/**
 * A smooth stand-in for the simulated means instead of the loss: per
 * target, the least-squares quadratic of its mean through the evaluated
 * points whose loss is within `window` of the lowest (at least the terms + 2
 * nearest to it). The loss of the smoothed means is then scanned over the box
 * (d <= 2): its minimum and, per parameter, the extent of
 * loss <= min + delta over the others (a profile). A mean response is
 * smoother than the loss it feeds (which squares its noise), and a
 * nonlinear response is followed where a quadratic loss would not be.
 */
export interface MeanFit {
  x: number[];
  min: number;
  /** Per parameter: [low, high] of loss <= min + delta over the scanned span, and whether each end is that span's (not a crossing). */
  extent: (delta: number) => { low: number; high: number; lowOpen: boolean; highOpen: boolean }[];
}

export function fitMeans(
  box: readonly Box[],
  xs: readonly (readonly number[])[],
  means: readonly (readonly number[])[],
  losses: readonly number[],
  window: number,
  lossOf: (means: readonly number[]) => number,
): MeanFit | null {
  const d = box.length;
  if (d === 0 || d > 2) return null;
  const q = quadraticTerms(d);
  const scale = (x: readonly number[]) => x.map((v, i) => (box[i].high > box[i].low ? (v - box[i].low) / (box[i].high - box[i].low) : 0));
  const ok = xs.map((_, j) => j).filter((j) => means[j].every(Number.isFinite) && Number.isFinite(losses[j]));
  if (ok.length < q + 2) return null;
  const lowest = ok.reduce((a, j) => (losses[j] < losses[a] ? j : a), ok[0]);
  const b = scale(xs[lowest]);
  const dist = (j: number) => scale(xs[j]).reduce((a, v, i) => a + (v - b[i]) ** 2, 0);
  // The points within `window` of the lowest loss, and the nearest others until the fit has residual degrees of freedom.
  const byDistance = ok.sort((a, c) => dist(a) - dist(c) || a - c);
  const near = byDistance.filter((j, k) => k < q + 2 || losses[j] <= losses[lowest] + window);
  const rows = near.map((j) => features(scale(xs[j])));
  const targets = means[0].length;
  const betas: number[][] = [];
  for (let k = 0; k < targets; k++) {
    const beta = leastSquares(rows, near.map((j) => means[j][k]));
    if (!beta) return null;
    betas.push(beta);
  }
  // The scan covers the span of the points used and half of it again on each side (within the box), on a lattice of 201 (1-D) or 61 x 61 (2-D).
  const span = box.map((_, i) => [Math.min(...near.map((j) => scale(xs[j])[i])), Math.max(...near.map((j) => scale(xs[j])[i]))]);
  const lo = span.map(([a, c]) => Math.max(0, a - (c - a) / 2));
  const hi = span.map(([a, c]) => Math.min(1, c + (c - a) / 2));
  const steps = d === 1 ? 200 : 60;
  const axis = (i: number) => Array.from({ length: steps + 1 }, (_, s) => lo[i] + ((hi[i] - lo[i]) * s) / steps);
  const grid = d === 1 ? axis(0).map((u) => [u]) : axis(0).flatMap((u) => axis(1).map((v) => [u, v]));
  const scanned = grid.map((u) => {
    const f = features(u);
    return lossOf(betas.map((beta) => beta.reduce((a, c, m) => a + c * f[m], 0)));
  });
  let at = 0;
  for (let j = 1; j < scanned.length; j++) if (scanned[j] < scanned[at]) at = j;
  if (!Number.isFinite(scanned[at])) return null;
  const unscale = (u: readonly number[]) => u.map((v, i) => box[i].low + v * (box[i].high - box[i].low));
  return {
    x: unscale(grid[at]),
    min: scanned[at],
    extent: (delta) =>
      box.map((_, i) => {
        const inside = grid.filter((_, j) => scanned[j] <= scanned[at] + delta).map((u) => u[i]);
        const [a, c] = [Math.min(...inside), Math.max(...inside)];
        const w = box[i].high - box[i].low;
        return { low: box[i].low + a * w, high: box[i].low + c * w, lowOpen: a <= lo[i], highOpen: c >= hi[i] };
      }),
  };
}
