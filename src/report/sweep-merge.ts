/**
 * `sim merge`: combines the output directories of a sweep's shards into
 * the files the unsharded sweep would have written, byte for byte. Any mix
 * of finished and interrupted shards works as long as, together, they hold
 * every unit of the plan once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Unit } from '../experiment/units.ts';
import { UserError, type Issue } from '../scenario/errors.ts';
import { ensureDir } from './atomic.ts';
import { assemble, type OnCell } from './sweep-assemble.ts';
import { readOptional, readPlanFile, resolvedPartPath, unitFileName, unitsDir, unitsOf, type PlanFile } from './sweep-files.ts';

export interface MergeResult {
  plan: PlanFile;
  /** The directory written. */
  out: string;
  files: string[];
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
  await beforeWrite?.(target);
  await ensureDir(target);
  const unitPath = (u: Unit) => join(unitsDir(where.get(u.index) ?? ''), unitFileName(u));
  // The merged plan is a whole sweep, whatever shard the first directory ran.
  const files = await assemble(target, { ...plan, shard: null }, resolvedText, { unitPath, onCell });
  return { plan, out: target, files };
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
