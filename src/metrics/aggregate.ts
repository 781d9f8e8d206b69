/**
 * A metric "over every period" of an experiment (a live row with period
 * `all`, e.g. the paper's mean failure rate over its six runs): per
 * replication, the mean of the metric over the cells, so that statistics
 * over replications describe what one such experiment would measure.
 * Replication r of every cell shares its random streams (common random
 * numbers), so the per-replication means pair runs the way a sweep pairs them.
 */

/**
 * Per replication index, the mean of the defined (non-NaN) values across
 * cells; NaN when no cell defines it. Cells may have different numbers of
 * runs: only the replication indices every cell has are used.
 */
export function meanAcrossCells(cells: readonly (readonly number[])[]): number[] {
  if (cells.length === 0) return [];
  const reps = Math.min(...cells.map((c) => c.length));
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    let sum = 0;
    let n = 0;
    for (const c of cells) {
      if (Number.isNaN(c[r])) continue;
      sum += c[r];
      n++;
    }
    out.push(n > 0 ? sum / n : NaN);
  }
  return out;
}
