/**
 * The engine (docs/model.md section 2): events leave in (time, seq) order, named
 * random streams are reproducible and independent, samplers have the
 * moments they promise, and the fingerprint sees every event.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sampler, type DistributionSpec } from '../src/engine/distributions.ts';
import seedrandom from 'seedrandom';
import { RandomStreams, type Rng } from '../src/engine/random.ts';
import { Simulation, SimulationLimitError } from '../src/engine/simulation.ts';

/** Schedules one event per (time, label); the handler appends the label to `log`. */
function scheduleAll(sim: Simulation, events: [number, string][], log: string[]) {
  const record = (label: string) => log.push(label);
  return events.map(([t, label]) => sim.at(t, 1, 0, record, label));
}

test('events run in time order, whatever the scheduling order', () => {
  const sim = new Simulation();
  const log: string[] = [];
  scheduleAll(sim, [[5, 'e'], [1, 'a'], [3, 'c'], [2, 'b'], [4, 'd'], [0.5, 'first']], log);
  sim.run();
  assert.equal(log, ['first', 'a', 'b', 'c', 'd', 'e']);
  assert.is(sim.now, 5);
  assert.is(sim.processed, 6);
});

test('events at the same time run in the order they were scheduled', () => {
  const sim = new Simulation();
  const log: string[] = [];
  // Interleave two times so the heap has to reorder them; ties must keep insertion order.
  const events: [number, string][] = [];
  for (let i = 0; i < 50; i++) events.push([i % 2 === 0 ? 2 : 1, `${i % 2 === 0 ? 'two' : 'one'}-${i}`]);
  scheduleAll(sim, events, log);
  sim.run();
  const expected = [...events.filter(([t]) => t === 1), ...events.filter(([t]) => t === 2)].map(([, l]) => l);
  assert.equal(log, expected);
});

test('an event scheduled at the current time by a handler runs after the events already queued for that time', () => {
  const sim = new Simulation();
  const log: string[] = [];
  sim.at(1, 1, 0, () => {
    log.push('a');
    sim.after(0, 1, 0, () => log.push('c'), null);
  }, null);
  sim.at(1, 1, 0, () => log.push('b'), null);
  sim.run();
  assert.equal(log, ['a', 'b', 'c']);
});

test('an event cannot be scheduled in the past', () => {
  const sim = new Simulation();
  sim.at(2, 1, 0, () => assert.throws(() => sim.at(1, 1, 0, () => {}, null), RangeError), null);
  sim.run();
  assert.is(sim.processed, 1);
});

test('a cancelled event does not run, is not counted and leaves the fingerprint as if never scheduled', () => {
  const sim = new Simulation();
  const log: string[] = [];
  const [, b] = scheduleAll(sim, [[1, 'a'], [2, 'b'], [3, 'c']], log);
  sim.cancel(b);
  sim.run();
  assert.equal(log, ['a', 'c']);
  assert.is(sim.processed, 2);

  const plain = new Simulation();
  scheduleAll(plain, [[1, 'a'], [3, 'c']], []);
  plain.run();
  assert.is(sim.fingerprint.toString(), plain.fingerprint.toString());
});

test('a handler can cancel a later event', () => {
  const sim = new Simulation();
  const log: string[] = [];
  const later = sim.at(2, 1, 0, () => log.push('later'), null);
  sim.at(1, 1, 0, () => sim.cancel(later), null);
  sim.run();
  assert.equal(log, []);
  assert.is(sim.processed, 1);
});

test('a stale handle cancels nothing: once its event ran, the reused slot belongs to another event', () => {
  const sim = new Simulation();
  const log: string[] = [];
  const first = sim.at(1, 1, 0, () => log.push('first'), null);
  sim.run();
  // The queue reuses the freed slot for the next event; the old handle must not reach it.
  sim.at(2, 1, 0, () => log.push('second'), null);
  sim.cancel(first);
  sim.run();
  assert.equal(log, ['first', 'second']);
});

test('a handler can cancel its own handle or one of an event at the same time', () => {
  const sim = new Simulation();
  const log: string[] = [];
  let self = 0;
  self = sim.at(1, 1, 0, () => {
    log.push('self');
    sim.cancel(self); // already running: a no-op, and it must not cancel the event reusing the slot
    sim.cancel(sibling);
  }, null);
  const sibling = sim.at(1, 1, 0, () => log.push('sibling'), null);
  sim.at(1, 1, 0, () => log.push('third'), null);
  sim.run();
  assert.equal(log, ['self', 'third']);
});

test('cancelled far-off events do not pile up: a loop that cancels its timeouts keeps the queue small', () => {
  // A client that sends, gets an answer at once and cancels its 5 s timeout, 100,000 times, while
  // time moves by 1e-9 a step (the fuzz cases with think and service times near 0 ran out of memory).
  const sim = new Simulation();
  let left = 100_000;
  let maxPending = 0;
  const send = (): void => {
    const timeout = sim.after(5, 2, 0, () => assert.unreachable('a cancelled timeout ran'), null);
    sim.after(1e-9, 1, 0, () => {
      sim.cancel(timeout);
      maxPending = Math.max(maxPending, sim.pending);
      if (--left > 0) send();
    }, null);
  };
  send();
  sim.run();
  assert.is(sim.processed, 100_000);
  assert.ok(maxPending < 10_000, `${maxPending} pending events`);
});

test('(time, seq) order against a reference over random schedules with ties and cancellations', () => {
  // Handlers schedule more events at random delays (often 0 or on a coarse grid, to make ties)
  // and cancel random pending ones; a sorted list is the reference.
  for (let trial = 0; trial < 20; trial++) {
    const rng = new RandomStreams(trial, 0).stream('schedule');
    const sim = new Simulation();
    const log: number[] = [];
    interface Ref { time: number; seq: number; id: number; ran: boolean; cancelled: boolean; handle: number }
    const scheduled: Ref[] = [];
    let nextId = 0;
    let seq = 0;
    const schedule = (time: number) => {
      const id = nextId++;
      const ref: Ref = { time, seq: seq++, id, ran: false, cancelled: false, handle: 0 };
      ref.handle = sim.at(time, 1, id, handler, ref);
      scheduled.push(ref);
    };
    const handler = (ref: Ref) => {
      log.push(ref.id);
      ref.ran = true;
      if (nextId < 3000) {
        const k = Math.floor(rng() * 4);
        for (let i = 0; i < k; i++) {
          const u = rng();
          schedule(sim.now + (u < 0.3 ? 0 : u < 0.7 ? Math.floor(rng() * 5) : rng() * 10));
        }
      }
      if (rng() < 0.2) {
        // Any event ever scheduled: cancelling one that already ran (a stale handle) must change nothing.
        const victim = scheduled[Math.floor(rng() * scheduled.length)];
        if (!victim.ran) victim.cancelled = true;
        sim.cancel(victim.handle);
      }
    };
    for (let i = 0; i < 20; i++) schedule(Math.floor(rng() * 3));
    if (trial % 2 === 0) sim.run();
    else {
      // In steps of run(until), some ending at a tie's time, some between events: each stops where it must.
      const steps = new RandomStreams(trial, 1).stream('until');
      for (let until = 0; sim.pending > 0; ) sim.run((until += steps() < 0.3 ? 1 : steps() * 2));
    }
    // No event is scheduled before now, so the processing order is the sort of every uncancelled event by (time, seq).
    const reference = scheduled.filter((r) => !r.cancelled).sort((a, b) => a.time - b.time || a.seq - b.seq).map((r) => r.id);
    assert.ok(scheduled.length > 1000 && scheduled.some((r) => r.cancelled), 'the schedule exercises the queue');
    assert.equal(log, reference, `trial ${trial}`);
    assert.is(sim.processed, log.length);
  }
});

test('stop() ends the run after the current event; run() resumes where it stopped', () => {
  const sim = new Simulation();
  const log: string[] = [];
  scheduleAll(sim, [[1, 'a'], [3, 'c']], log);
  sim.at(2, 1, 0, () => {
    log.push('b');
    sim.stop();
  }, null);
  sim.at(2, 1, 0, () => log.push('b2'), null);
  sim.run();
  assert.equal(log, ['a', 'b']);
  assert.is(sim.now, 2);
  assert.is(sim.pending, 2);
  sim.run();
  assert.equal(log, ['a', 'b', 'b2', 'c']);
});

test('run(until) processes the events at or before `until` and leaves the clock there', () => {
  const sim = new Simulation();
  const log: string[] = [];
  scheduleAll(sim, [[1, 'a'], [2, 'b'], [2.5, 'c'], [4, 'd']], log);
  sim.run(2.5);
  assert.equal(log, ['a', 'b', 'c']);
  assert.is(sim.now, 2.5);
  sim.run(3);
  assert.equal(log, ['a', 'b', 'c']);
  assert.is(sim.now, 3, 'the clock advances to `until` when no event is due');
  sim.run();
  assert.equal(log, ['a', 'b', 'c', 'd']);
  assert.is(sim.now, 4);
});

test('maxEvents: processing one event more than the limit throws', () => {
  const sim = new Simulation(5);
  const log: string[] = [];
  scheduleAll(sim, Array.from({ length: 10 }, (_, i): [number, string] => [i, String(i)]), log);
  assert.throws(() => sim.run(), (e: unknown) => e instanceof SimulationLimitError);
  assert.equal(log, ['0', '1', '2', '3', '4']);

  const exact = new Simulation(5);
  scheduleAll(exact, Array.from({ length: 5 }, (_, i): [number, string] => [i, String(i)]), []);
  exact.run();
  assert.is(exact.processed, 5, 'exactly maxEvents events are allowed');
});

test('the event held out of the heap counts in pending, run(until), cancel and ties', () => {
  // The queue holds the earliest event pushed since the last pop apart (it usually runs next): every path must see it.
  const sim = new Simulation();
  const log: string[] = [];
  scheduleAll(sim, [[4, 'd'], [2, 'b']], log);
  const [early] = scheduleAll(sim, [[1, 'a']], log);
  assert.is(sim.pending, 3);
  sim.run(0.5);
  assert.equal(log, [], 'run(until) sees the held event is after until');
  sim.cancel(early);
  sim.run(3);
  assert.equal(log, ['b'], 'a held event cancelled does not run');
  // A handler's event at the time of a queued one, scheduled later, runs after it.
  sim.at(5, 1, 0, () => sim.at(6, 1, 0, (l: string) => log.push(l), 'f2'), null);
  scheduleAll(sim, [[6, 'f1']], log);
  sim.run();
  assert.equal(log, ['b', 'd', 'f1', 'f2']);
  assert.is(sim.pending, 0);
  // Two pushed between pops, the later first: the earlier is held, the later joins the heap.
  sim.at(8, 1, 0, () => {
    sim.at(10, 1, 0, (l: string) => log.push(l), 'h');
    sim.at(9, 1, 0, (l: string) => log.push(l), 'g');
    sim.at(9, 1, 0, (l: string) => log.push(l), 'g2');
  }, null);
  sim.run();
  assert.equal(log, ['b', 'd', 'f1', 'f2', 'g', 'g2', 'h']);
});

// ---------------------------------------------------------------- random streams

const draws = (rng: Rng, n: number) => Array.from({ length: n }, () => rng());

function correlation(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

test('a stream is a function of (seed, replication, name) only', () => {
  const a = new RandomStreams(42, 3);
  const b = new RandomStreams(42, 3);
  b.stream('other')(); // another stream used first in b changes nothing
  assert.equal(draws(a.stream('startup/users'), 100), draws(b.stream('startup/users'), 100));
  a.stream('x');
  assert.throws(() => a.stream('x'), /random stream 'x' claimed twice/, 'a second consumer of a stream is an error');
});

test("a stream draws what seedrandom.alea draws for its key '<seed>/<replication>/<name>' (its seeding replayed by aleaState)", () => {
  const names = ['startup/users', 'service/tasks', 'lb/ingress', '', 'é/ü/名前', 'x'.repeat(300)];
  for (const [seed, rep] of [[20240501, 0], [1, 999], [4294967295, 12], [0, 0]]) {
    for (const name of names) {
      const ours = new RandomStreams(seed, rep).stream(name);
      const theirs = seedrandom.alea(`${seed}/${rep}/${name}`);
      for (let i = 0; i < 50; i++) assert.is(ours(), theirs(), `${seed}/${rep}/${name} draw ${i}`);
    }
  }
});

test('adding a consumer does not shift another stream', () => {
  const alone = new RandomStreams(7, 0);
  const shared = new RandomStreams(7, 0);
  const x1 = draws(alone.stream('language/tasks'), 1000);
  const x2: number[] = [];
  const extra = shared.stream('new-consumer');
  const x = shared.stream('language/tasks');
  for (let i = 0; i < 1000; i++) {
    extra();
    x2.push(x());
    extra();
  }
  assert.equal(x2, x1);
});

test('different names, replications and seeds give uncorrelated streams (|r| < 4 / sqrt(n))', () => {
  const n = 20000;
  const bound = 4 / Math.sqrt(n);
  const base = draws(new RandomStreams(1, 0).stream('noise'), n);
  const others = {
    'other name': draws(new RandomStreams(1, 0).stream('latency'), n),
    'similar name': draws(new RandomStreams(1, 0).stream('noise2'), n),
    'next replication': draws(new RandomStreams(1, 1).stream('noise'), n),
    'next seed': draws(new RandomStreams(2, 0).stream('noise'), n),
    'rep 10': draws(new RandomStreams(1, 10).stream('noise'), n),
  };
  for (const [label, ys] of Object.entries(others)) {
    const r = correlation(base, ys);
    assert.ok(Math.abs(r) < bound, `${label}: correlation ${r} exceeds ${bound}`);
    assert.not.equal(ys.slice(0, 5), base.slice(0, 5), label);
  }
  // Lag-1 autocorrelation of one stream.
  const r1 = correlation(base.slice(0, -1), base.slice(1));
  assert.ok(Math.abs(r1) < bound, `lag-1 autocorrelation ${r1}`);
});

test('streams are uniform on [0, 1): 10 equal bins within 4 binomial SE', () => {
  const n = 100000;
  const bins = new Array<number>(10).fill(0);
  for (const u of draws(new RandomStreams(3, 0).stream('u'), n)) {
    assert.ok(u >= 0 && u < 1);
    bins[Math.floor(u * 10)]++;
  }
  const se = Math.sqrt(n * 0.1 * 0.9);
  for (const b of bins) assert.ok(Math.abs(b - n / 10) < 4 * se, `bin count ${b}`);
});

// ---------------------------------------------------------------- distributions

/**
 * Checks the sample mean and sd against the distribution's raw moments
 * E[X^k], k = 1..4, within 4 standard errors: SE(mean) = sd / sqrt(n) and,
 * by the delta method, SE(sd) = sqrt((mu4 - var^2) / n) / (2 sd).
 */
function checkMoments(label: string, xs: number[], raw: [number, number, number, number]) {
  const n = xs.length;
  const [r1, r2, r3, r4] = raw;
  const variance = r2 - r1 * r1;
  const mu4 = r4 - 4 * r1 * r3 + 6 * r1 * r1 * r2 - 3 * r1 ** 4;
  const sd = Math.sqrt(variance);
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sampleSd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const seMean = sd / Math.sqrt(n);
  const seSd = Math.sqrt((mu4 - variance * variance) / n) / (2 * sd);
  assert.ok(Math.abs(mean - r1) < 4 * seMean, `${label}: mean ${mean}, expected ${r1} +- ${4 * seMean}`);
  assert.ok(Math.abs(sampleSd - sd) < 4 * seSd, `${label}: sd ${sampleSd}, expected ${sd} +- ${4 * seSd}`);
}

const N = 100000;
function sample(spec: DistributionSpec, name: string): number[] {
  const rng = new RandomStreams(11, 0).stream(name);
  const s = sampler(spec);
  return Array.from({ length: N }, () => s.sample(rng));
}

test('constant: a bare number or {dist: constant} always gives its value', () => {
  assert.ok(sample(2.5, 'c').every((x) => x === 2.5));
  assert.ok(sample({ dist: 'constant', value: 0.001 }, 'c').every((x) => x === 0.001));
  assert.is(sampler(2.5).mean, 2.5);
});

test('uniform(a, b): within [a, b), mean (a + b) / 2, sd (b - a) / sqrt(12)', () => {
  const [a, b] = [0.5, 1.5];
  const xs = sample({ dist: 'uniform', min: a, max: b }, 'uniform');
  assert.ok(xs.every((x) => x >= a && x < b));
  // Raw moments of U(a, b): (b^(k+1) - a^(k+1)) / ((k + 1)(b - a)).
  const m = (k: number) => (b ** (k + 1) - a ** (k + 1)) / ((k + 1) * (b - a));
  checkMoments('uniform', xs, [m(1), m(2), m(3), m(4)]);
});

test('normal far from 0: mean and sd as given', () => {
  const [mu, s] = [10, 2];
  const xs = sample({ dist: 'normal', mean: mu, sd: s }, 'normal');
  checkMoments('normal', xs, [mu, mu ** 2 + s ** 2, mu ** 3 + 3 * mu * s ** 2, mu ** 4 + 6 * mu ** 2 * s ** 2 + 3 * s ** 4]);
});

test('normal is truncated at 0 by resampling: normal(0, s) becomes the half-normal', () => {
  const s = 1.5;
  const xs = sample({ dist: 'normal', mean: 0, sd: s }, 'half');
  assert.ok(xs.every((x) => x >= 0));
  const c = Math.sqrt(2 / Math.PI);
  checkMoments('half-normal', xs, [s * c, s ** 2, 2 * s ** 3 * c, 3 * s ** 4]);
});

test('lognormal "mean m, sd s" has mean m and sd s (docs/model.md section 10)', () => {
  for (const [m, s] of [[3.63, 0.5], [0.02, 0.01], [1, 2]]) {
    const sigma2 = Math.log(1 + (s * s) / (m * m));
    const mu = Math.log(m) - sigma2 / 2;
    const raw = (k: number) => Math.exp(k * mu + (k * k * sigma2) / 2);
    const xs = sample({ dist: 'lognormal', mean: m, sd: s }, `lognormal-${m}`);
    assert.ok(xs.every((x) => x > 0));
    // A heavy tail (m = 1, s = 2) has a large fourth moment: the SE says how far the sample may stray.
    checkMoments(`lognormal(${m}, ${s})`, xs, [raw(1), raw(2), raw(3), raw(4)]);
    // The median is exp(mu): half the draws fall below it (binomial SE).
    const below = xs.filter((x) => x < Math.exp(mu)).length;
    assert.ok(Math.abs(below - N / 2) < 4 * Math.sqrt(N / 4), `lognormal(${m}, ${s}) median`);
  }
});

test('exponential(mean m): mean m, sd m', () => {
  const m = 0.7;
  const xs = sample({ dist: 'exponential', mean: m }, 'exp');
  assert.ok(xs.every((x) => x >= 0 && Number.isFinite(x)));
  checkMoments('exponential', xs, [m, 2 * m ** 2, 6 * m ** 3, 24 * m ** 4]);
});

test('empirical: each sample is drawn with equal probability', () => {
  const samples = [1, 2, 2, 5];
  const xs = sample({ dist: 'empirical', samples }, 'emp');
  const se = (p: number) => Math.sqrt(N * p * (1 - p));
  for (const [v, p] of [[1, 0.25], [2, 0.5], [5, 0.25]]) {
    const k = xs.filter((x) => x === v).length;
    assert.ok(Math.abs(k - N * p) < 4 * se(p), `value ${v}: ${k} of ${N}`);
  }
  assert.ok(xs.every((x) => samples.includes(x)));
  assert.is(sampler({ dist: 'empirical', samples }).mean, 2.5);
});

test('every sampler but the truncated normal uses a fixed number of uniforms per sample', () => {
  // Streams stay aligned across configurations only if a sample's cost does not depend on its value.
  const used = (spec: DistributionSpec) => {
    let calls = 0;
    const base = new RandomStreams(5, 0).stream('count');
    const rng = (() => (calls++, base())) as Rng;
    const s = sampler(spec);
    const per = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const before = calls;
      s.sample(rng);
      per.add(calls - before);
    }
    return [...per];
  };
  assert.equal(used(3), [0]);
  assert.equal(used({ dist: 'uniform', min: 0, max: 1 }), [1]);
  assert.equal(used({ dist: 'lognormal', mean: 1, sd: 1 }), [2]);
  assert.equal(used({ dist: 'exponential', mean: 1 }), [1]);
  assert.equal(used({ dist: 'empirical', samples: [1, 2, 3] }), [1]);
  assert.equal(used({ dist: 'normal', mean: 100, sd: 1 }), [2]);
});

// ---------------------------------------------------------------- fingerprint

/** Fingerprint of a run of the given events (time, kind, entity). */
function fingerprintOf(events: [number, number, number][]): string {
  const sim = new Simulation();
  for (const [t, kind, entity] of events) sim.at(t, kind, entity, () => {}, null);
  sim.run();
  return sim.fingerprint.toString();
}

test('the fingerprint, hashed a batch at a time, is the per-event hash it always was, across batch ends', () => {
  // The hash as it was computed one event at a time (every recorded fingerprint was made so).
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const mix = (h: number, word: number): number => {
    let k = Math.imul(word, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    return (Math.imul(h, 5) + 0xe6546b64) | 0;
  };
  const reference = (events: [number, number, number][]): string => {
    let a = 0x811c9dc5;
    let b = 0x9e3779b9;
    for (const [time, kind, entity] of events) {
      f64[0] = time;
      a = mix(mix(mix(mix(a, u32[0]), u32[1]), kind), entity);
      b = mix(mix(mix(mix(b, entity), kind), u32[1]), u32[0]);
    }
    return [a, b].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
  };
  const rng = new RandomStreams(3, 0).stream('fingerprint');
  // Entities past 2^31 and 2^32 (request ids in long runs), as the queue stores them (float64).
  const entity = (): number => [Math.floor(rng() * 1000), 2 ** 31 + Math.floor(rng() * 1e6), 2 ** 40 + Math.floor(rng() * 1e6)][Math.floor(rng() * 3)];
  for (const n of [0, 1, 255, 256, 257, 511, 512, 1000]) {
    let t = 0;
    const events = Array.from({ length: n }, (): [number, number, number] => [(t += rng() * 3), 1 + Math.floor(rng() * 300), entity()]);
    assert.is(fingerprintOf(events), reference(events), `${n} events`);
  }
});

test('the fingerprint is reproducible and changes when any one event changes', () => {
  const base: [number, number, number][] = Array.from({ length: 30 }, (_, i) => [i * 0.37, (i % 5) + 1, i * 7]);
  const fp = fingerprintOf(base);
  assert.match(fp, /^[0-9a-f]{16}$/);
  assert.is(fingerprintOf(base.map((e) => [...e] as [number, number, number])), fp);
  const variants = new Set<string>([fp]);
  for (const i of [0, 13, 29]) {
    for (const field of [0, 1, 2]) {
      const changed = base.map((e) => [...e] as [number, number, number]);
      // The smallest change of the time (one ulp), or a kind or entity one off.
      changed[i][field] = field === 0 ? changed[i][field] + Math.max(Number.EPSILON, changed[i][field] * Number.EPSILON) : changed[i][field] + 1;
      const f = fingerprintOf(changed);
      assert.is.not(f, fp, `event ${i}, field ${field}`);
      variants.add(f);
    }
  }
  assert.is(variants.size, 10, 'every change gives a different fingerprint');
  // Two events at the same time in swapped order.
  const swapped = base.map((e) => [...e] as [number, number, number]);
  swapped[3][0] = swapped[4][0] = 1;
  const other = swapped.map((e) => [...e] as [number, number, number]);
  [other[3], other[4]] = [other[4], other[3]];
  assert.is.not(fingerprintOf(swapped), fingerprintOf(other));
  // One event more.
  assert.is.not(fingerprintOf([...base, [20, 1, 1]]), fp);
});

test.run();
