/**
 * A sweep worker thread: runs the units it is sent, one at a time in the
 * order sent, and posts each unit's metrics back (the buffer is transferred,
 * not copied). A unit comes with its cell's scenario unless the previous
 * unit was of the same cell.
 */
import { parentPort } from 'node:worker_threads';
import { DatasetCache, ReplicationError, runUnit } from './unit-run.ts';
import type { Scenario } from '../schema/schema.ts';
import type { UnitReply, UnitRequest } from './pool.ts';

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');
const datasets = new DatasetCache();
let scenario: Scenario | undefined;

port.on('message', (req: UnitRequest) => {
  let reply: UnitReply;
  try {
    scenario = req.scenario ?? scenario;
    if (scenario === undefined) throw new Error('worker: a unit without a scenario');
    const result = runUnit(scenario, req.unit, datasets);
    reply = { ok: true, result };
    port.postMessage(reply, [result.metrics.buffer as ArrayBuffer]);
    return;
  } catch (e) {
    const where = e instanceof ReplicationError ? { cell: e.cell, rep: e.rep, limit: e.limit } : {};
    const message = e instanceof ReplicationError ? e.reason : e instanceof Error ? e.message : String(e);
    reply = { ok: false, ...where, message, stack: e instanceof Error ? e.stack : undefined };
  }
  port.postMessage(reply);
});
