/**
 * The Kubernetes manifests of a sharded sweep (scenarios/k8s): valid YAML
 * with what an Indexed Job needs, and shard arguments that `sim sweep`
 * accepts for every completion index.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { planSweep } from '../src/experiment/plan.ts';
import { parseShard } from '../src/experiment/units.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown, what: string): Obj => {
  assert.type(v, 'object', what);
  assert.ok(v !== null && !Array.isArray(v), what);
  return v as Obj;
};
const list = (v: unknown, what: string): unknown[] => {
  assert.ok(Array.isArray(v), `${what} is a list`);
  return v as unknown[];
};

function manifests(file: string): Obj[] {
  const parsed = parseAllDocuments(readFileSync(file, 'utf8'));
  const docs = 'empty' in parsed ? [] : parsed;
  assert.ok(docs.length > 0, `${file} holds manifests`);
  return docs.map((d, i) => {
    assert.equal(d.errors, [], `${file} document ${i}`);
    return obj(d.toJS(), `${file} document ${i}`);
  });
}

const sweepDocs = manifests('scenarios/k8s/sweep-job.yaml');
const kinds = (docs: Obj[]) => docs.map((d) => `${String(d.apiVersion)} ${String(d.kind)}`);

/** The value after `flag` in an argument list. */
const after = (args: string[], flag: string): string => {
  const i = args.indexOf(flag);
  assert.ok(i >= 0 && i + 1 < args.length, `${flag} present`);
  return args[i + 1];
};

test('sweep-job.yaml holds a PersistentVolumeClaim and an Indexed batch/v1 Job', () => {
  assert.equal(kinds(sweepDocs), ['v1 PersistentVolumeClaim', 'batch/v1 Job']);
  const pvc = sweepDocs[0];
  assert.ok(list(obj(pvc.spec, 'pvc spec').accessModes, 'accessModes').includes('ReadWriteMany'), 'pods on several nodes share the volume');
  const job = obj(sweepDocs[1].spec, 'job spec');
  assert.is(job.completionMode, 'Indexed');
  assert.ok(Number.isInteger(job.completions) && (job.completions as number) >= 1);
  assert.ok(Number.isInteger(job.parallelism) && (job.parallelism as number) >= 1 && (job.parallelism as number) <= (job.completions as number));
});

test('each pod runs shard $(JOB_COMPLETION_INDEX)/completions into its own folder on the claimed volume', () => {
  const pvcName = obj(sweepDocs[0].metadata, 'pvc metadata').name;
  const job = obj(sweepDocs[1].spec, 'job spec');
  const pod = obj(obj(job.template, 'template').spec, 'pod spec');
  assert.ok(['Never', 'OnFailure'].includes(String(pod.restartPolicy)));
  const containers = list(pod.containers, 'containers').map((c, i) => obj(c, `container ${i}`));
  assert.is(containers.length, 1);
  const c = containers[0];
  const args = [...list(c.command, 'command'), ...list(c.args ?? [], 'args')].map(String);
  assert.equal(args.slice(0, 2), ['sim', 'sweep']);
  assert.is(after(args, '--shard'), `$(JOB_COMPLETION_INDEX)/${String(job.completions)}`);
  assert.ok(args.includes('--resume'), 'a replaced pod keeps the units its predecessor finished');
  const out = after(args, '--out');
  assert.match(out, /\$\(JOB_COMPLETION_INDEX\)/);
  const mounts = list(c.volumeMounts, 'volumeMounts').map((m) => obj(m, 'mount'));
  const mount = mounts.find((m) => out.startsWith(`${String(m.mountPath)}/`));
  assert.ok(mount, `--out ${out} is on a mounted volume`);
  const volume = list(pod.volumes, 'volumes').map((v) => obj(v, 'volume')).find((v) => v.name === mount.name);
  assert.ok(volume, 'the mount names a volume');
  assert.is(obj(volume.persistentVolumeClaim, 'pvc volume').claimName, pvcName);
  // Every index the Job hands out is a shard sim accepts, and the scenario in the image plans.
  for (let i = 0; i < (job.completions as number); i++) {
    assert.equal(parseShard(after(args, '--shard').replace('$(JOB_COMPLETION_INDEX)', String(i))), { index: i, count: job.completions });
  }
  assert.is(planSweep(args[2]).cells.length, 6);
});

test('merge-job.yaml merges every shard folder of the same volume', () => {
  const docs = manifests('scenarios/k8s/merge-job.yaml');
  assert.equal(kinds(docs), ['batch/v1 Job', 'v1 Pod']);
  const pod = obj(obj(obj(docs[0].spec, 'job spec').template, 'template').spec, 'pod spec');
  const c = obj(list(pod.containers, 'containers')[0], 'container');
  const script = [...list(c.command, 'command'), ...list(c.args ?? [], 'args')].map(String).join(' ');
  assert.match(script, /sim merge \/results\/shard-\* --out \/results\//);
  const claim = (p: Obj) => obj(obj(list(p.volumes, 'volumes')[0], 'volume').persistentVolumeClaim, 'pvc').claimName;
  assert.is(claim(pod), 'sim-results');
  assert.is(claim(obj(docs[1].spec, 'pod spec')), 'sim-results');
});

test.run();
