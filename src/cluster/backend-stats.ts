/**
 * What ingress worker 0's backend lists looked like over time: when each pod
 * entered and left them, and per service the time with an empty list and the
 * time-averaged share of vulnerable pods while the list is not empty
 * (docs/model.md section 7), measured from the workload's start.
 */
import type { Pod } from './pod.ts';
import { arrayOf } from '../util/arrays.ts';

export class BackendStats {
  readonly emptyTime: number[];
  private readonly vulnerableIntegral: number[];
  private readonly nonEmptyTime: number[];
  private lists: (readonly Pod[])[];
  private since = NaN;

  constructor(services: number) {
    this.emptyTime = new Array<number>(services).fill(0);
    this.vulnerableIntegral = new Array<number>(services).fill(0);
    this.nonEmptyTime = new Array<number>(services).fill(0);
    this.lists = arrayOf(services, () => []);
  }

  /** Starts integrating (at t0). */
  start(now: number): void {
    this.since = now;
  }

  /** Worker 0 reloaded: close the interval of the old lists and record entries and exits. */
  reloaded(now: number, lists: readonly (readonly Pod[])[]): void {
    this.accumulate(now);
    for (let s = 0; s < lists.length; s++) {
      const old = this.lists[s];
      const cur = lists[s];
      if (old === cur) continue;
      for (const p of cur) if (p.endpointsIn === Infinity) p.endpointsIn = now;
      for (const p of old) if (!cur.includes(p)) p.endpointsOut = now;
    }
    this.lists = lists.slice();
  }

  /** Closes the measurement at the end of the run. */
  finish(now: number): void {
    this.accumulate(now);
  }

  vulnerableShare(service: number): number {
    return this.nonEmptyTime[service] > 0 ? this.vulnerableIntegral[service] / this.nonEmptyTime[service] : NaN;
  }

  private accumulate(now: number): void {
    if (Number.isNaN(this.since)) return;
    const dt = now - this.since;
    this.since = now;
    if (dt <= 0) return;
    for (let s = 0; s < this.lists.length; s++) {
      const list = this.lists[s];
      if (list.length === 0) {
        this.emptyTime[s] += dt;
        continue;
      }
      let vulnerable = 0;
      for (const p of list) if (p.implementation.vulnerable) vulnerable++;
      this.vulnerableIntegral[s] += (dt * vulnerable) / list.length;
      this.nonEmptyTime[s] += dt;
    }
  }
}
