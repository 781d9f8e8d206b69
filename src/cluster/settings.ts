/**
 * Per-service settings resolved from a scenario: service overrides win over
 * the cluster defaults, and an implementation's own startup, serviceTime and
 * concurrency win over both (docs/model.md section 10).
 */
import { sampler, type Sampler } from '../engine/distributions.ts';
import type { Diversifier, Scenario } from '../schema/schema.ts';

export interface ImplementationSettings {
  readonly name: string;
  readonly weight: number;
  readonly vulnerable: boolean;
  readonly startup: Sampler;
  readonly serviceTime: Sampler;
  readonly concurrency: number;
}

export interface PodSettings {
  readonly replicas: number;
  readonly implementations: readonly ImplementationSettings[];
  readonly containerStart: Sampler;
  readonly readiness: 'none' | 'probe';
  readonly probePeriod: number;
  readonly initialDelay: number;
  readonly sigterm: 'ignore' | 'exit' | 'drain';
  readonly shutdownDelay: number;
  readonly drain: number;
  readonly grace: number;
  readonly terminationDelay: Sampler;
  readonly preStop: number;
  readonly controllerDelay: Sampler;
  readonly endpointSliceDelay: Sampler;
}

export interface ServiceSettings extends PodSettings {
  readonly name: string;
  readonly diversifier: Diversifier;
}

const resolved = new WeakMap<Scenario, readonly ServiceSettings[]>();

/**
 * The services of a scenario, in the order they are declared. Samplers hold
 * no state (they draw from the stream they are given), so the settings are
 * made once per scenario and shared by its replications.
 */
export function serviceSettings(scenario: Scenario): readonly ServiceSettings[] {
  let s = resolved.get(scenario);
  if (s === undefined) {
    s = resolveServices(scenario);
    resolved.set(scenario, s);
  }
  return s;
}

/** What the router reads of a scenario (the ingress's retries and workers, noise, hop latency). */
export interface RouterSettings {
  readonly tries: number;
  readonly connectTimeout: number;
  readonly workers: number;
  readonly errorRate: number;
  readonly latency: Sampler;
}

const routers = new WeakMap<Scenario, RouterSettings>();

/**
 * What the router needs of a scenario, made once per scenario, with every
 * field listed: an object spread made a new hidden class per replication,
 * which left the router's every read of its settings megamorphic.
 */
export function routerSettings(scenario: Scenario): RouterSettings {
  let s = routers.get(scenario);
  if (s === undefined) {
    const ing = scenario.ingress;
    s = { tries: ing.tries, connectTimeout: ing.connectTimeout, workers: ing.workers, errorRate: scenario.noise.errorRate, latency: sampler(scenario.latency) };
    routers.set(scenario, s);
  }
  return s;
}

function resolveServices(scenario: Scenario): ServiceSettings[] {
  return Object.entries(scenario.services).map(([name, o]) => {
    const { diversifier: divOverrides, ...podOverrides } = o;
    const s = { ...scenario.cluster, ...definedOnly(podOverrides) };
    return {
      name,
      replicas: s.replicas,
      implementations: s.implementations.map((impl) => ({
        name: impl.name,
        weight: impl.weight,
        vulnerable: impl.vulnerable,
        startup: sampler(impl.startup ?? s.startup),
        serviceTime: sampler(impl.serviceTime ?? s.serviceTime),
        concurrency: impl.concurrency ?? s.concurrency,
      })),
      containerStart: sampler(s.containerStart),
      readiness: s.readiness,
      probePeriod: s.probePeriod,
      initialDelay: s.initialDelay,
      sigterm: s.sigterm,
      shutdownDelay: s.shutdownDelay,
      drain: s.drain,
      grace: s.grace,
      terminationDelay: sampler(s.terminationDelay),
      preStop: s.preStop,
      controllerDelay: sampler(s.controllerDelay),
      endpointSliceDelay: sampler(s.endpointSliceDelay),
      diversifier: { ...scenario.diversifier, ...definedOnly(divOverrides ?? {}) },
    };
  });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
