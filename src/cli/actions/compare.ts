/** What `sim compare` does; its options are in commands/compare.ts. */
import { join } from 'node:path';
import { compareTable } from '../../report/compare-table.ts';
import type { CompareRun } from '../../report/compare-output.ts';
import { assertOutputFolder, readOutput } from '../../store/output-data.ts';
import { OutputFolder } from '../../store/output-folder.ts';
import { isCompareFile, isPlotFile } from '../../store/plot-files.ts';
import { lockOutput } from '../out-lock.ts';
import { writeOutputs } from '../outputs.ts';
import { Interrupted, signalExitCodes } from '../signals.ts';

export interface CompareArgs {
  outdir: string;
  live: string;
  'fail-outside': boolean;
  plots: boolean;
  quiet: boolean;
}

export async function action(args: CompareArgs): Promise<void> {
  const out = args.outdir;
  await assertOutputFolder(out);
  await lockOutput(out, { create: false });
  const { compareOutputs } = await import('../../report/compare-output.ts'); // vega loads only when comparing
  const folder = await OutputFolder.open(out);
  folder.checkFree(args.plots ? ['compare.csv', 'report.html'] : ['compare.csv']);
  let r: CompareRun | undefined;
  const written = await writeOutputs({
    folder,
    write: async (stage, stopped) => {
      const onWarning = (m: string) => process.stderr.write(`sim: ${m}\n`);
      // compare.csv here; the compare figure with the others, in a report that now holds the comparison.
      r = await compareOutputs(out, args.live, { into: stage, plots: false, onWarning });
      if (args.plots) {
        const { drawReport } = await import('../../report/plot-outputs.ts');
        await drawReport(await readOutput(out), { into: stage, live: args.live, stopped, onWarning });
      }
    },
    replaces: (rel) => isCompareFile(rel) || (args.plots && isPlotFile(rel)),
    keep: 'nothing',
  });
  if (written.stopped !== undefined || r === undefined) throw new Interrupted(`interrupted: ${out}/ was left as it was`, signalExitCodes[written.stopped ?? 'SIGINT']);
  for (const note of r.notes) process.stderr.write(`sim: note: ${args.live}: ${note}\n`);
  const judged = r.rows.filter((row) => row.verdict !== 'unknown').length;
  if (judged === 0) {
    const why = r.rows.length === 0 ? 'no live row matches a simulated cell' : 'no simulated spread to judge the live values against';
    process.stderr.write(`sim: ${args.live}: nothing could be compared (${why})${args['fail-outside'] ? '; --fail-outside fails' : ''}\n`);
  }
  if (!args.quiet) {
    process.stdout.write(`${compareTable(r.rows, r.varied)}\n`);
    const csv = written.files.filter((f) => f.endsWith('compare.csv'));
    const redrawn = written.files.length - csv.length;
    process.stdout.write(`wrote ${csv.join(', ')}${redrawn > 0 ? `; redrew ${redrawn - 1} figure files and ${join(out, 'report.html')} (with the comparison)` : ''}\n`);
  }
  if (args['fail-outside'] && (judged === 0 || r.rows.some((row) => row.verdict === 'outside'))) process.exitCode = 1;
}
