/**
 * Units of work: a cell's replications cut into consecutive blocks. A unit
 * is what a worker runs in one message, what a checkpoint file holds and
 * what a shard owns, so resuming, sharding and merging all work on whole
 * units. The split depends only on the plan (never on the worker count or
 * the shard count), so every way of running a sweep cuts it the same way.
 */
import { UserError } from '../util/errors.ts';

export interface Unit {
  /** Position in the plan's unit order: by cell, then by first replication. */
  index: number;
  cell: number;
  /** Replications from..to-1. */
  from: number;
  to: number;
}

/**
 * Replications per unit: at least 25 (about 0.1 s of the paper scenario, so
 * messaging stays negligible), at most 100 units per cell (so a million
 * replications do not make a million files).
 */
export function unitReps(reps: number): number {
  return Math.max(25, Math.ceil(reps / 100));
}

/** Every unit of cells with these replication counts, in plan order. */
export function planUnits(cellReps: readonly number[]): Unit[] {
  const units: Unit[] = [];
  cellReps.forEach((reps, cell) => {
    const size = unitReps(reps);
    for (let from = 0; from < reps; from += size) units.push({ index: units.length, cell, from, to: Math.min(reps, from + size) });
  });
  return units;
}

/** Shard `index` of `count` (0-based, as Kubernetes' JOB_COMPLETION_INDEX). */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `i/n` with 0 <= i < n. Throws UserError naming the token. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const fail = (message: string) => new UserError([{ file: `--shard ${text}`, path: '', message }]);
  if (!m) throw fail('expected i/n, e.g. 0/4 (i counts from 0, like JOB_COMPLETION_INDEX)');
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (count < 1) throw fail('n must be at least 1');
  if (index >= count) throw fail(`i must be between 0 and ${count - 1} (i counts from 0)`);
  return { index, count };
}

/** The units a shard owns: every n-th unit, so each shard gets a share of every cell and cheap and dear cells mix. */
export function shardUnits(units: readonly Unit[], shard: Shard | undefined): Unit[] {
  return shard === undefined ? [...units] : units.filter((u) => u.index % shard.count === shard.index);
}
