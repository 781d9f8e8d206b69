/**
 * A sweep's output directory while it runs: starts it fresh or resumes it,
 * files each finished unit, and at the end assembles the final files (or,
 * for a shard, marks the shard finished). See sweep-files.ts for the layout.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SweepPlan } from '../experiment/plan.ts';
import type { UnitResult } from '../experiment/unit-run.ts';
import { shardUnits, type Shard, type Unit } from '../experiment/units.ts';
import { UserError } from '../scenario/errors.ts';
import { ensureDir, writeFileAtomic } from './atomic.ts';
import { assemble, type OnCell } from './sweep-assemble.ts';
import {
  partsDir, planFile, planPath, readOptional, readPlanFile, readShardMarker, resolvedPartPath, sameShard, shardMarkerPath,
  shardText, unitFileName, unitsDir, unitsOf, writeUnitFile, type PlanFile, type ShardMarker,
} from './sweep-files.ts';

export interface OpenOptions {
  /** Keep the finished units of an interrupted run of the same plan. */
  resume: boolean;
  shard?: Shard;
}

/**
 * fresh: nothing kept; resumed: finished units of an earlier run kept;
 * complete: the directory already holds this plan's final files (or finished shard).
 */
export type DirState = 'fresh' | 'resumed' | 'complete';

export class SweepDir {
  /** The units this run is responsible for (all, or the shard's). */
  readonly units: Unit[];

  private constructor(
    readonly out: string,
    readonly plan: PlanFile,
    private readonly resolvedText: string,
    readonly state: DirState,
    /** Indexes of units already on disk. */
    readonly done: Set<number>,
    /** Finished units of an interrupted run that a fresh start threw away. */
    readonly discarded: number,
  ) {
    this.units = shardUnits(unitsOf(plan), plan.shard ?? undefined);
  }

  static async open(out: string, sweep: SweepPlan, options: OpenOptions): Promise<SweepDir> {
    const plan = planFile(sweep, options.shard);
    const old = await readPlanFile(out).catch(() => undefined);
    if (options.resume && (await isComplete(out, plan, sweep.resolvedText))) {
      return new SweepDir(out, plan, sweep.resolvedText, 'complete', new Set(), 0);
    }
    if (options.resume && old) {
      if (old.hash !== plan.hash) {
        throw new UserError([{ file: out, path: '', message: `holds the parts of another sweep (plan ${old.hash.slice(0, 12)}, this one ${plan.hash.slice(0, 12)}); run without --resume to start over, or choose another --out` }]);
      }
      if (!sameShard(old.shard, plan.shard)) {
        throw new UserError([{ file: out, path: '', message: `holds the parts of ${shardText(old.shard)}, not of ${shardText(plan.shard)}` }]);
      }
      return new SweepDir(out, plan, sweep.resolvedText, 'resumed', await finishedUnits(out), 0);
    }
    const discarded = old?.hash === plan.hash ? (await finishedUnits(out)).size : 0;
    await startFresh(out, plan, sweep.resolvedText);
    return new SweepDir(out, plan, sweep.resolvedText, 'fresh', new Set(), discarded);
  }

  /** Units still to run, in plan order. */
  pending(): Unit[] {
    return this.state === 'complete' ? [] : this.units.filter((u) => !this.done.has(u.index));
  }

  /** Files a finished unit; from then on a resume will not run it again. */
  async put(r: UnitResult): Promise<void> {
    await writeUnitFile(join(unitsDir(this.out), unitFileName(r.unit)), this.plan, r);
    this.done.add(r.unit.index);
  }

  /**
   * After every unit is filed: a shard writes shard.json; a whole sweep
   * assembles runs.csv, summary.csv and the resolved scenario and removes
   * parts/. Returns the files written.
   */
  async finish(onCell?: OnCell): Promise<string[]> {
    const missing = this.pending();
    if (missing.length > 0) throw new Error(`SweepDir.finish: ${missing.length} units have not run`);
    if (this.plan.shard !== null) {
      const marker: ShardMarker = { format: 1, hash: this.plan.hash, shard: this.plan.shard, units: this.units.length };
      await writeFileAtomic(shardMarkerPath(this.out), `${JSON.stringify(marker, null, 2)}\n`);
      return [shardMarkerPath(this.out)];
    }
    const files = await assemble(this.out, this.plan, this.resolvedText, { unitPath: (u) => join(unitsDir(this.out), unitFileName(u)), onCell });
    await rm(partsDir(this.out), { recursive: true, force: true });
    return files;
  }
}

/** Unit indexes whose files are on disk; temp files of a killed writer are removed. */
async function finishedUnits(out: string): Promise<Set<number>> {
  const plan = await readPlanFile(out);
  if (!plan) return new Set();
  let names: string[];
  try {
    names = await readdir(unitsDir(out));
  } catch {
    return new Set();
  }
  const present = new Set(names.filter((n) => n.endsWith('.csv')));
  await Promise.all(names.filter((n) => n.includes('.tmp-')).map((n) => rm(join(unitsDir(out), n), { force: true })));
  return new Set(unitsOf(plan).filter((u) => present.has(unitFileName(u))).map((u) => u.index));
}

/** The final files of this plan are there (a whole sweep), or shard.json says this shard finished. */
async function isComplete(out: string, plan: PlanFile, resolvedText: string): Promise<boolean> {
  if (plan.shard !== null) {
    const m = await readShardMarker(out).catch(() => undefined);
    return m !== undefined && m.hash === plan.hash && sameShard(m.shard, plan.shard);
  }
  const resolved = await readOptional(join(out, plan.resolvedFile)).catch(() => undefined);
  return resolved === resolvedText && existsSync(join(out, 'runs.csv')) && existsSync(join(out, 'summary.csv'));
}

/**
 * Removes the parts and shard marker an earlier run left and writes the new
 * plan. The final files of an earlier run stay until this run's replace
 * them, so a run that fails (a full disk) or is stopped loses nothing.
 */
async function startFresh(out: string, plan: PlanFile, resolvedText: string): Promise<void> {
  await rm(partsDir(out), { recursive: true, force: true });
  await rm(shardMarkerPath(out), { force: true });
  await ensureDir(unitsDir(out));
  await writeFileAtomic(resolvedPartPath(out), resolvedText);
  await writeFileAtomic(planPath(out), `${JSON.stringify(plan, null, 2)}\n`);
}
