/**
 * The diversifier's Kubernetes backend (@kubernetes/client-node): the pods
 * of a service are those matching the label selector LABEL=service in the
 * namespace (Terminating ones included, as the API lists them), in creation
 * order; a deletion is `DELETE pods/NAME` (a Terminating pod's deletion is a
 * no-op in Kubernetes, reported as ignored); waiting for a pod to be gone
 * polls it until 404. Needs RBAC get, list, delete on pods (scenarios/k8s/todo/diversifier.yaml).
 */
import type { PodBackend } from './diversifier.ts';

export interface K8sPod {
  name: string;
  terminating: boolean;
  created: string;
}

export interface K8sOptions {
  namespace: string;
  /** The label whose value is the service name (default app). */
  label: string;
  /** How often waitGone polls (s). */
  pollSeconds?: number;
}

interface PodItem {
  metadata?: { name?: string; deletionTimestamp?: unknown; creationTimestamp?: unknown };
}

/** The subset of CoreV1Api (client-node 1.x) the diversifier uses: tests can pass a fake. */
export interface CoreApi {
  listNamespacedPod(p: { namespace: string; labelSelector: string }): Promise<{ items: PodItem[] }>;
  deleteNamespacedPod(p: { name: string; namespace: string }): Promise<unknown>;
  readNamespacedPod(p: { name: string; namespace: string }): Promise<unknown>;
}

const stamp = (x: unknown) => (x instanceof Date ? x.toISOString() : typeof x === 'string' ? x : '');
const notFound = (e: unknown) => {
  const code = (e as { code?: number; statusCode?: number; response?: { statusCode?: number } }) ?? {};
  return code.code === 404 || code.statusCode === 404 || code.response?.statusCode === 404;
};

export function k8sBackend(api: CoreApi, o: K8sOptions): PodBackend<K8sPod> {
  return {
    async list(service) {
      const res = await api.listNamespacedPod({ namespace: o.namespace, labelSelector: `${o.label}=${service}` });
      return res.items
        .map((p) => ({ name: p.metadata?.name ?? '', terminating: p.metadata?.deletionTimestamp != null, created: stamp(p.metadata?.creationTimestamp) }))
        .filter((p) => p.name !== '')
        .sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async delete(_service, pod) {
      try {
        await api.deleteNamespacedPod({ name: pod.name, namespace: o.namespace });
      } catch (e) {
        if (notFound(e)) return false; // gone between the list and the delete
        throw e;
      }
      return !pod.terminating;
    },
    async waitGone(_service, pod) {
      for (;;) {
        try {
          await api.readNamespacedPod({ name: pod.name, namespace: o.namespace });
        } catch (e) {
          if (notFound(e)) return;
          throw e;
        }
        await new Promise((r) => setTimeout(r, (o.pollSeconds ?? 1) * 1000));
      }
    },
  };
}
