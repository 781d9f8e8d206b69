/**
 * A sweep worker thread: runs the units it is sent, one at a time, and
 * posts each unit's metrics back (the buffer is transferred, not copied).
 */
import { parentPort } from 'node:worker_threads';
import { DatasetCache, ReplicationError, runUnit } from './unit-run.ts';
import type { UnitReply, UnitRequest } from './pool.ts';

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');
const datasets = new DatasetCache();

port.on('message', (req: UnitRequest) => {
  let reply: UnitReply;
  try {
    const result = runUnit(req.scenario, req.unit, datasets);
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
