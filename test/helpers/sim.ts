/**
 * Shared helpers of the simulation tests: the paper scenario with overrides,
 * one replication's metrics by name, and cell statistics with standard
 * errors (so tolerances come from the data, not from taste).
 */
import { readFileSync } from 'node:fs';
import { attackActors } from '../../src/attack/index.ts';
import { loadDataset } from '../../src/experiment/run.ts';
import { runReplication, type RunOptions, type RunResult } from '../../src/experiment/replication.ts';
import { metricNames } from '../../src/schema/metric-names.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/schema/schema.ts';
import type { Dataset } from '../../src/dataset/dataset.ts';

export const paperFile = 'scenarios/paper.yaml';
const paperText = readFileSync(paperFile, 'utf8');

/** scenarios/paper.yaml with `--set` style overrides. */
export function paper(...sets: string[]): Scenario {
  return parseScenario(paperText, paperFile, sets);
}

/** A smaller dataset of the paper's shape (docs/model.md section 6): 1 in 10 tasks malicious. */
export const smallDataset = ['workload.dataset.tasksPerProject=20', 'workload.dataset.maliciousTasks=2'];

export type Metrics = Record<string, number>;

export interface Run extends RunResult {
  readonly m: Metrics;
}

/** A scenario ready to run: its dataset loaded once. */
export class Cell {
  readonly dataset: Dataset;
  readonly names: string[];
  constructor(readonly scenario: Scenario) {
    this.dataset = loadDataset(scenario);
    this.names = metricNames(Object.keys(scenario.services), attackActors(scenario));
  }

  run(rep: number, options: RunOptions = {}): Run {
    const r = runReplication(this.scenario, this.dataset, rep, options);
    return { ...r, m: Object.fromEntries(this.names.map((n, i) => [n, r.metrics[i]])) };
  }

  /** Reps 0..n-1 (or `first`..`first`+n-1). */
  runs(n: number, first = 0): Run[] {
    return Array.from({ length: n }, (_, i) => this.run(first + i));
  }
}

export interface Stats {
  n: number;
  mean: number;
  sd: number;
  /** Standard error of the mean. */
  se: number;
  /** Standard error of the sd (delta method with the sample's fourth central moment). */
  seSd: number;
}

/** Statistics of the defined (non-NaN) values. */
export function stats(values: readonly number[]): Stats {
  const xs = values.filter((x) => !Number.isNaN(x));
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const m2 = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n;
  const m4 = xs.reduce((a, x) => a + (x - mean) ** 4, 0) / n;
  const sd = Math.sqrt((m2 * n) / (n - 1));
  return { n, mean, sd, se: sd / Math.sqrt(n), seSd: sd > 0 ? Math.sqrt(Math.max(0, m4 - m2 * m2) / n) / (2 * sd) : 0 };
}

export const metric = (runs: readonly Run[], name: string): number[] => runs.map((r) => r.m[name]);
