/** The files `sim plot` writes and replaces (kept apart from plot-outputs.ts, which loads vega). */
export const isPlotFile = (rel: string): boolean =>
  /^figures\/(fig\d+-[a-z0-9-]+|compare)\.(vl\.json|svg|png)$/.test(rel) || rel === 'report.html';

/** The files of `sim compare`. */
export const isCompareFile = (rel: string): boolean => rel === 'compare.csv' || /^figures\/compare\.(vl\.json|svg|png)$/.test(rel);
