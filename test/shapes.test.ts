/**
 * The objects every replication builds anew keep one hidden class (V8 map)
 * and packed arrays whichever tier of V8 runs the code that builds them. A
 * replication built with a spread got a new map each time, and
 * `Array.prototype.map` returned PACKED arrays from the interpreter and HOLEY
 * ones from optimized code: every garbage collection or rare path that
 * deoptimized a constructor then deoptimized everything that read its
 * arrays, and the recompiling took a fifth of a worker's CPU (bench/README.md
 * item 33). Checked in a child process (test/fixtures/shapes.ts) that runs
 * the cluster's constructor interpreted, then optimized, then deoptimized.
 */
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const scenarios = ['scenarios/paper.yaml', 'scenarios/attack-lateral.yaml'];

for (const file of scenarios) {
  test(`replications share hidden classes and packed arrays, interpreted or optimized: ${file}`, () => {
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', 'test/fixtures/shapes.ts', file], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.is(r.status, 0, r.stderr);
    const parts = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, { sameMap: boolean; holey: boolean | null }>;
    assert.ok(Object.keys(parts).length >= 12, `too few parts checked: ${Object.keys(parts).join(", ")}`);
    for (const [name, p] of Object.entries(parts)) {
      assert.ok(p.sameMap, `${name}: a new hidden class in a later replication`);
      assert.not.ok(p.holey, `${name}: a holey array`);
    }
  });
}

test.run();
