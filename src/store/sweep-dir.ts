/**
 * A sweep's output directory while it runs: starts it fresh or resumes it,
 * files each finished unit, and at the end assembles the final files into
 * a staging folder (or, for a shard, marks the shard finished). See
 * sweep-files.ts for the layout; parts/ is listed in the folder's manifest
 * (output-folder.ts), so a parts/ of the user's is never used or removed.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SweepPlan } from '../experiment/plan.ts';
import type { UnitResult } from '../experiment/unit-run.ts';
import { shardUnits, type Shard, type Unit } from '../experiment/units.ts';
import { UserError } from '../util/errors.ts';
import { ensureDir, writeFileAtomic } from '../util/atomic.ts';
import { OutputFolder, Staging } from './output-folder.ts';
import { assemble, type OnCell } from './sweep-assemble.ts';
import {
  planFile, planPath, readOptional, readPlanFile, readShardMarker, resolvedPartPath, sameShard, shardMarkerName, shardMarkerPath,
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

  readonly out: string;

  private constructor(
    readonly folder: OutputFolder,
    readonly plan: PlanFile,
    private readonly resolvedText: string,
    readonly state: DirState,
    /** Indexes of units already on disk. */
    readonly done: Set<number>,
    /** Finished units of an interrupted run that a fresh start threw away. */
    readonly discarded: number,
  ) {
    this.units = shardUnits(unitsOf(plan), plan.shard ?? undefined);
    this.out = folder.dir;
  }

  /** Opens `out` (or the folder object of it) for the plan. */
  static async open(out: string | OutputFolder, sweep: SweepPlan, options: OpenOptions): Promise<SweepDir> {
    const folder = typeof out === 'string' ? await OutputFolder.open(out) : out;
    const dir = folder.dir;
    const plan = planFile(sweep, options.shard);
    const resolvedText = sweep.resolvedIn(dir);
    const ours = folder.owns('parts');
    const old = ours ? await readPlanFile(dir).catch(() => undefined) : undefined;
    if (options.resume && (await isComplete(dir, plan, resolvedText))) {
      return new SweepDir(folder, plan, resolvedText, 'complete', new Set(), 0);
    }
    if (options.resume && old) {
      if (old.hash !== plan.hash) {
        throw new UserError([{ file: dir, path: '', message: `holds the parts of another sweep (plan ${old.hash.slice(0, 12)}, this one ${plan.hash.slice(0, 12)}); run without --resume to start over, or choose another --out` }]);
      }
      if (!sameShard(old.shard, plan.shard)) {
        throw new UserError([{ file: dir, path: '', message: `holds the parts of ${shardText(old.shard)}, not of ${shardText(plan.shard)}` }]);
      }
      await folder.keepTree('parts');
      return new SweepDir(folder, plan, resolvedText, 'resumed', await finishedUnits(dir), 0);
    }
    const discarded = old?.hash === plan.hash ? (await finishedUnits(dir)).size : 0;
    await startFresh(folder, plan, resolvedText);
    return new SweepDir(folder, plan, resolvedText, 'fresh', new Set(), discarded);
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
   * assembles runs.csv, summary.csv and the resolved scenario into `into`
   * (a staging folder; default the directory itself, parts/ then removed).
   * Returns the files written.
   */
  async finish(onCell?: OnCell, into?: string): Promise<string[]> {
    const missing = this.pending();
    if (missing.length > 0) throw new Error(`SweepDir.finish: ${missing.length} units have not run`);
    if (this.plan.shard !== null) {
      const marker: ShardMarker = { format: 1, hash: this.plan.hash, shard: this.plan.shard, units: this.units.length };
      this.folder.checkFree([shardMarkerName]);
      await this.folder.add([shardMarkerName]);
      await writeFileAtomic(shardMarkerPath(this.out), `${JSON.stringify(marker, null, 2)}\n`);
      return [shardMarkerPath(this.out)];
    }
    if (into !== undefined) return assemble(into, this.plan, this.resolvedText, { unitPath: this.unitPath, onCell });
    const staging = await Staging.begin(this.folder);
    try {
      await assemble(staging.dir, this.plan, this.resolvedText, { unitPath: this.unitPath, onCell });
    } catch (e) {
      await staging.discard();
      throw e;
    }
    const files = await staging.commit(() => true);
    await this.removeParts();
    return files;
  }

  /** Removes parts/ once the final files are in place. */
  async removeParts(): Promise<void> {
    await this.folder.removeTree('parts');
  }

  private readonly unitPath = (u: Unit) => join(unitsDir(this.out), unitFileName(u));
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
async function startFresh(folder: OutputFolder, plan: PlanFile, resolvedText: string): Promise<void> {
  await folder.remove([shardMarkerName]);
  await folder.freshTree('parts');
  await ensureDir(unitsDir(folder.dir));
  await writeFileAtomic(resolvedPartPath(folder.dir), resolvedText);
  await writeFileAtomic(planPath(folder.dir), `${JSON.stringify(plan, null, 2)}\n`);
}
