/**
 * Every figure, in report order. A builder returns undefined when the
 * outputs lack its data (no heatmap without a replicas x period sweep, no
 * timeline without pods.csv).
 */
import type { FigureBuilder } from './common.ts';
import { failureFigure } from './failure.ts';
import { heatmapFigure } from './heatmap.ts';
import { outcomesFigure } from './outcomes.ts';
import { spreadFigure } from './spread.ts';
import { tasksFigure } from './tasks.ts';
import { timelineFigure } from './timeline.ts';
import { tradeoffFigure } from './tradeoff.ts';

export type { Figure, FigureBuilder } from './common.ts';

export const figureBuilders: readonly FigureBuilder[] = [
  outcomesFigure,
  failureFigure,
  tasksFigure,
  tradeoffFigure,
  heatmapFigure,
  spreadFigure,
  timelineFigure,
];
