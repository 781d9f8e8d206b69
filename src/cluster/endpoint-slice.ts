/**
 * A service's EndpointSlice: the pods whose Ready change has arrived and
 * whose deletion has not. A deletion that arrives first keeps the pod out
 * for good (docs/model.md section 10). Kept in pod-creation order.
 */
import type { Pod } from './pod.ts';

export class EndpointSlice {
  /** Ready, not-Terminating pods in creation order. Replaced, never mutated, so views can share it. */
  pods: readonly Pod[] = [];

  /** Applies a Ready change; true when the pod entered. */
  addReady(pod: Pod): boolean {
    if (pod.sliceDeleted || pod.inSlice) return false;
    pod.inSlice = true;
    const next = this.pods.slice();
    let i = next.length;
    while (i > 0 && next[i - 1].id > pod.id) i--;
    next.splice(i, 0, pod);
    this.pods = next;
    return true;
  }

  /** Applies a deletion; true when the pod was in the slice. */
  remove(pod: Pod): boolean {
    pod.sliceDeleted = true;
    if (!pod.inSlice) return false;
    pod.inSlice = false;
    this.pods = this.pods.filter((p) => p !== pod);
    return true;
  }
}
