/** `sim calibrate --explain`: the candidates' fits, ranked (experiment/explain-run.ts), printed and written. */
import type { SimSetup } from '../../experiment/calibrate-sim.ts';
import { defaultCurvePeriods, runExplain } from '../../experiment/explain-run.ts';
import { explainFiles, explainSummary, writeExplain } from '../../report/explain-output.ts';
import type { OutputFolder } from '../../store/output-folder.ts';
import { writeOutputs } from '../outputs.ts';

export async function runExplainCommand(setup: SimSetup, budget: number, folder: OutputFolder, quiet: boolean): Promise<void> {
  const started = Date.now();
  const result = runExplain({
    ...setup,
    candidates: setup.params,
    curvePeriods: defaultCurvePeriods,
    budget,
    progress: (name, done) => {
      if (!quiet) process.stderr.write(`explain: ${name}: evaluation ${done}  [${((Date.now() - started) / 1000).toFixed(1)} s]\n`);
    },
  });
  const { files } = await writeOutputs({
    folder,
    write: async (stage) => {
      await writeExplain(stage, result);
    },
    replaces: (rel) => explainFiles.includes(rel),
    keep: 'data',
  });
  process.stdout.write(`${explainSummary(result)}\n\nwrote ${files.join(', ')}\n`);
}
