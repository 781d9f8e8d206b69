/**
 * `sim merge`: combines the output directories of a sweep's shards into
 * the files the unsharded sweep would have written, byte for byte. Any mix
 * of finished and interrupted shards works as long as, together, they hold
 * every unit of the plan once.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fromFolder, resolvedYamlIn } from '../experiment/resolved.ts';
import { parseScenario } from '../scenario/load.ts';
import type { Unit } from '../experiment/units.ts';
import { UserError, type Issue } from '../util/errors.ts';
import { ensureDir } from '../util/atomic.ts';
import { OutputFolder, Staging } from './output-folder.ts';
import { assemble, type OnCell } from './sweep-assemble.ts';
import { readOptional, readPlanFile, resolvedPartPath, unitFileName, unitsDir, unitsOf, type PlanFile } from './sweep-files.ts';

export interface MergeResult {
  plan: PlanFile;
  /** The directory written. */
  out: string;
  files: string[];
}

/** A checked merge, ready to write. */
export interface MergePlan {
  plan: PlanFile;
  /** The target directory: --out, or output/<sweep name>. */
  out: string;
  /** Writes runs.csv, summary.csv and the resolved sweep into `into` (a staging folder laid out as `out`). */
  write(into: string, onCell?: OnCell): Promise<string[]>;
}

/** Reads and checks the shard directories. Throws UserError on a mismatch or a missing unit. */
export async function planMerge(dirs: readonly string[], out: string | undefined): Promise<MergePlan> {
  const plans = await readPlans(dirs);
  const plan = plans[0];
  const resolvedText = await readOptional(resolvedPartPath(dirs[0]));
  if (resolvedText === undefined) throw new UserError([{ file: dirs[0], path: '', message: 'parts/resolved.yaml is missing' }]);
  const where = new Map<number, string>();
  const units = unitsOf(plan);
  for (const u of units) {
    const dir = dirs.find((d) => existsSync(join(unitsDir(d), unitFileName(u))));
    if (dir !== undefined) where.set(u.index, dir);
  }
  const missing = units.filter((u) => !where.has(u.index));
  if (missing.length > 0) throw new UserError([missingIssue(missing, units.length, plans, dirs)]);
  const target = out ?? join('output', plan.name);
  const resolved = rebase(resolvedText, join(dirs[0], plan.resolvedFile), target);
  const unitPath = (u: Unit) => join(unitsDir(where.get(u.index) ?? ''), unitFileName(u));
  return {
    plan,
    out: target,
    // The merged plan is a whole sweep, whatever shard the first directory ran.
    write: (into, onCell) => assemble(into, { ...plan, shard: null }, resolved, { unitPath, onCell }),
  };
}

/**
 * Merges shard directories into `out` (default output/<sweep name>); `beforeWrite` runs once the
 * target is known, before anything is written (the CLI locks it). Throws UserError on a mismatch or a missing unit.
 */
export async function mergeShards(
  dirs: readonly string[],
  out: string | undefined,
  onCell?: OnCell,
  beforeWrite?: (target: string) => Promise<void>,
): Promise<MergeResult> {
  const m = await planMerge(dirs, out);
  await beforeWrite?.(m.out);
  await ensureDir(m.out);
  const staging = await Staging.begin(await OutputFolder.open(m.out));
  try {
    await m.write(staging.dir, onCell);
  } catch (e) {
    await staging.discard();
    throw e;
  }
  return { plan: m.plan, out: m.out, files: await staging.commit(() => true) };
}

/** The resolved file of a shard (dataset paths relative to its folder) as written in `target`. */
function rebase(text: string, file: string, target: string): string {
  const s = parseScenario(text, file);
  // The loader anchors workload.dataset.file at the file's folder; a varied one is anchored here.
  const at = dirname(file);
  const axis = s.sweep?.vary?.['workload.dataset.file'];
  if (s.sweep && Array.isArray(axis)) s.sweep.vary['workload.dataset.file'] = axis.map((v) => (typeof v === 'string' ? fromFolder(at, v) : v));
  return resolvedYamlIn(s, target);
}

async function readPlans(dirs: readonly string[]): Promise<PlanFile[]> {
  const issues: Issue[] = [];
  const plans: PlanFile[] = [];
  for (const dir of dirs) {
    try {
      const p = await readPlanFile(dir);
      if (p) plans.push(p);
      else issues.push({ file: dir, path: '', message: 'no parts/plan.json: expected the --out directory of a `sim sweep --shard i/n` run' });
    } catch (e) {
      issues.push({ file: dir, path: '', message: e instanceof Error ? e.message : String(e) });
    }
  }
  if (issues.length === 0 && plans.length === 0) issues.push({ file: 'command line', path: '', message: 'name at least one shard directory' });
  const first = plans[0];
  plans.forEach((p, i) => {
    if (first && p.hash !== first.hash) {
      issues.push({ file: dirs[i], path: '', message: `holds another sweep (plan ${p.hash.slice(0, 12)}) than ${dirs[0]} (plan ${first.hash.slice(0, 12)})` });
    }
  });
  if (issues.length > 0) throw new UserError(issues);
  return plans;
}

/** Names the missing replications, and the shards to run when the directories were shards of one split. */
function missingIssue(missing: readonly Unit[], total: number, plans: readonly PlanFile[], dirs: readonly string[]): Issue {
  const shown = missing.slice(0, 5).map((u) => `cell ${u.cell} replications ${u.from}-${u.to - 1}`);
  let message = `missing ${missing.length} of ${total} units (${shown.join('; ')}${missing.length > shown.length ? '; ...' : ''})`;
  const counts = new Set(plans.map((p) => p.shard?.count));
  const count = plans[0].shard?.count;
  if (counts.size === 1 && count !== undefined) {
    const shards = [...new Set(missing.map((u) => u.index % count))].sort((a, b) => a - b);
    message += `: shard${shards.length > 1 ? 's' : ''} ${shards.map((i) => `${i}/${count}`).join(', ')} missing or unfinished`;
  }
  return { file: dirs.length === 1 ? dirs[0] : `the ${dirs.length} shard directories`, path: '', message };
}
