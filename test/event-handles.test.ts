/**
 * cancel() handles are `generation * 2^24 + slot`: exact below 2^53 only.
 * A slot is retired when its generation reaches 2^29, so no handle is ever
 * inexact; tested at that boundary (slots made to start just below it).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventQueue, maxGeneration, maxSlots } from '../src/engine/event-queue.ts';
import { Simulation } from '../src/engine/simulation.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { UserError } from '../src/util/errors.ts';

const noop = (): void => {};

/** Pushes one event, pops and releases it: one use of the slot. Returns the handle it had. */
function cycle(q: EventQueue): number {
  const h = q.push(0, 0, 0, noop, undefined);
  q.release(q.pop());
  return h;
}

test('a slot is reused until its generation reaches 2^29, then retired: every handle is below 2^53', () => {
  const q = new EventQueue(maxGeneration - 3);
  const handles = [cycle(q), cycle(q), cycle(q)];
  assert.equal(handles.map((h) => (h - (h % maxSlots)) / maxSlots), [maxGeneration - 3, maxGeneration - 2, maxGeneration - 1], 'one slot, three uses');
  assert.is(q.slotsUsed, 1);
  for (const h of handles) assert.ok(Number.isSafeInteger(h) && h <= Number.MAX_SAFE_INTEGER, `handle ${h} exact`);
  assert.is(handles[2], 2 ** 53 - maxSlots, 'the last use of slot 0 has the largest exact handle of that slot');
  const next = cycle(q);
  assert.is(q.slotsUsed, 2, 'the used-up slot is retired and a new one taken');
  assert.is(next % maxSlots, 1);
});

test('at the boundary a handle cancels its own event and no other', () => {
  const q = new EventQueue(maxGeneration - 2);
  const stale = cycle(q); // slot 0, generation 2^29 - 2
  const live = q.push(1, 0, 0, noop, undefined); // slot 0, generation 2^29 - 1: its last use
  q.cancel(stale);
  let slot = q.pop();
  assert.not.ok(q.isCancelled(slot), 'a stale handle of the same slot cancels nothing');
  q.release(slot);
  const after = q.push(2, 0, 0, noop, undefined); // a new slot: slot 0 is retired
  q.cancel(live); // stale: its event ran
  slot = q.pop();
  assert.is(slot, 1);
  assert.not.ok(q.isCancelled(slot));
  q.release(slot);
  const again = q.push(3, 0, 0, noop, undefined);
  q.cancel(again);
  slot = q.pop();
  assert.ok(q.isCancelled(slot), 'a live handle cancels its event');
  assert.ok([stale, live, after, again].every(Number.isSafeInteger));
});

test('a simulation runs on across retired slots with cancellations intact', () => {
  const sim = new Simulation();
  let ran = 0;
  const tick = (n: number): void => {
    ran++;
    if (n > 0) {
      sim.cancel(sim.after(0.5, 2, 0, () => assert.unreachable('a cancelled event ran'), undefined));
      sim.after(1, 1, 0, tick, n - 1);
    }
  };
  sim.after(0, 1, 0, tick, 1000);
  sim.run();
  assert.is(ran, 1001);
  assert.is(sim.processed, 1001);
});

test('maxEvents is at most 2^53 - 1, where the event count stays exact', () => {
  assert.is(loadScenario('test/corpus/scenario.json', [`maxEvents=${Number.MAX_SAFE_INTEGER}`]).maxEvents, Number.MAX_SAFE_INTEGER);
  try {
    loadScenario('test/corpus/scenario.json', ['maxEvents=1e300']);
    assert.unreachable('1e300 accepted');
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    assert.match(e.message, /maxEvents: expected an integer from 1 to 9007199254740991, found 1e\+300/);
  }
});

test.run();
