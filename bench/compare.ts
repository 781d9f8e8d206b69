/**
 * Two versions of the simulator, compared in one process (bench/README item
 * 26): `node --import tsx bench/compare.ts <git-rev> [--scenario
 * paper|lateral] [--rounds 20] [--reps 200]` runs the code at <git-rev>
 * (A) and the working tree (B) in alternating rounds of replications and
 * prints the median of the paired ratios of their rates. Runs made minutes
 * apart cannot tell 10 % from this VM's swings; rounds a second apart can.
 *
 * Each version is bundled by esbuild into output/bench-compare/, so the two
 * share no module and V8 optimizes each on its own. They do share one heap:
 * a change to what the garbage collector must do shows in both, so judge
 * such a change with separate processes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { lateralHour } from './attack.ts';
import { summary } from './stats.ts';

// In process as sim runs (src/cli/sim.mjs).
setFlagsFromString('--no-allocation-site-pretenuring');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { scenario: { type: 'string', default: 'paper' }, rounds: { type: 'string', default: '20' }, reps: { type: 'string', default: '' } },
});
const rev = positionals[0];
if (rev === undefined) {
  process.stderr.write('usage: node --import tsx bench/compare.ts <git-rev> [--scenario paper|lateral] [--rounds 20] [--reps 200]\n');
  process.exit(2);
}
const lateral = values.scenario === 'lateral';
const rounds = Number(values.rounds);
const reps = Number(values.reps || (lateral ? 10 : 200));
const root = resolve('output/bench-compare');

/** The replication loop of the tree at `dir`, as a module source. */
const entry = (dir: string): string => `
import { runReplication } from '${dir}/src/experiment/replication.ts';
import { loadDataset } from '${dir}/src/experiment/run.ts';
import { loadScenario, parseScenario } from '${dir}/src/scenario/load.ts';
const scenario = ${lateral ? `parseScenario(${JSON.stringify(lateralHour)}, 'bench/attack.ts')` : `loadScenario(${JSON.stringify(resolve('scenarios/paper.yaml'))})`};
const dataset = loadDataset(scenario);
export function rate(reps, from) {
  const t = process.hrtime.bigint();
  for (let r = from; r < from + reps; r++) runReplication(scenario, dataset, r);
  return reps / (Number(process.hrtime.bigint() - t) / 1e9);
}
`;

async function bundle(name: string, dir: string): Promise<(reps: number, from: number) => number> {
  const src = `${root}/${name}.entry.mjs`;
  writeFileSync(src, entry(dir));
  const out = `${root}/${name}.mjs`;
  await build({ entryPoints: [src], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: out, logLevel: 'warning' });
  return ((await import(pathToFileURL(out).href)) as { rate: (reps: number, from: number) => number }).rate;
}

const sha = execFileSync('git', ['rev-parse', '--short', rev], { encoding: 'utf8' }).trim();
const base = `${root}/${sha}`;
rmSync(base, { recursive: true, force: true });
mkdirSync(base, { recursive: true });
execFileSync('sh', ['-c', `git archive --format=tar ${sha} src | tar -x -C ${base}`]);
const a = await bundle(sha, base);
const b = await bundle('work', resolve('.'));

a(reps, 0);
b(reps, 0); // warm-up
const ra: number[] = [];
const rb: number[] = [];
for (let i = 0; i < rounds; i++) {
  const from = (i + 1) * reps; // the same replications for both
  if (i % 2 === 0) {
    ra.push(a(reps, from));
    rb.push(b(reps, from));
  } else {
    rb.push(b(reps, from));
    ra.push(a(reps, from));
  }
}
const median = (xs: number[]): number => summary(xs).median;
const ratios = ra.map((x, i) => rb[i] / x);
console.log(`${values.scenario}, ${rounds} rounds of ${reps} replications: A (${sha}) ${median(ra).toFixed(1)} reps/s, B (working tree) ${median(rb).toFixed(1)} reps/s; B/A, median of paired ratios: ${median(ratios).toFixed(3)}x`);
