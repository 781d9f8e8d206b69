/**
 * The scenario schema: the single definition from which the TypeScript types,
 * validation, defaults, the JSON Schema (`sim schema`) and the README's
 * parameter reference are derived. Defaults are those of docs/model.md.
 *
 * Convention: a property that carries a `default` is optional in the file but
 * always present after loading, so it is *required* in the static type; the
 * JSON Schema export drops it from `required`. Properties that may stay absent
 * use `Type.Optional`.
 */
import { Type, type Static, type TOptional, type TSchema } from '@sinclair/typebox';
import { maxRecords, maxSeconds, minInterval } from './limits.ts';

const num = (description: string, def: number, opts: object = {}) =>
  Type.Number({ description, default: def, ...opts });
const int = (description: string, def: number, opts: object = {}) =>
  Type.Integer({ description, default: def, ...opts });
const oneOf = <T extends string>(values: readonly T[], description: string, def: T) =>
  Type.Union(values.map((v) => Type.Literal(v)), { description, default: def });

// Apart, so that the simulation reads them without building the schema (and loading TypeBox).
export { maxRecords, maxSeconds, minInterval };

const seconds = { minimum: 0, maximum: maxSeconds };
const positiveSeconds = { exclusiveMinimum: 0, maximum: maxSeconds };
const interval = { minimum: minInterval, maximum: maxSeconds };

/** A probability distribution of a duration in seconds. A bare number is a constant. */
export const Distribution = Type.Union(
  [
    Type.Number({ ...seconds, description: 'constant value' }),
    Type.Object({ dist: Type.Literal('constant'), value: Type.Number(seconds) }, { additionalProperties: false }),
    Type.Object(
      { dist: Type.Literal('uniform'), min: Type.Number(seconds), max: Type.Number(seconds) },
      { additionalProperties: false },
    ),
    Type.Object(
      { dist: Type.Literal('normal'), mean: Type.Number({ minimum: -maxSeconds, maximum: maxSeconds }), sd: Type.Number(seconds) },
      { additionalProperties: false, description: 'normal truncated at 0 (resampled)' },
    ),
    Type.Object(
      { dist: Type.Literal('lognormal'), mean: Type.Number({ minimum: 1e-9, maximum: maxSeconds }), sd: Type.Number(seconds) },
      { additionalProperties: false, description: "mean and sd of the variable itself" },
    ),
    Type.Object({ dist: Type.Literal('exponential'), mean: Type.Number(positiveSeconds) }, { additionalProperties: false }),
    Type.Object(
      { dist: Type.Literal('empirical'), samples: Type.Array(Type.Number(seconds), { minItems: 1 }) },
      { additionalProperties: false, description: 'uniform choice among the samples' },
    ),
  ],
  { description: 'distribution: a number, or {dist: constant|uniform|normal|lognormal|exponential|empirical, ...}' },
);
export type Distribution = Static<typeof Distribution>;

/** Kubernetes IntOrString for rollout bounds: a count or a percentage of replicas. */
const intOrPercent = (description: string, def: number | string) =>
  Type.Union([Type.Integer({ minimum: 0, maximum: 10000 }), Type.String({ pattern: '^[0-9]{1,3}%$' })], { description, default: def });

const dist = (description: string, def: Distribution) => Type.Union(Distribution.anyOf, { description, default: def });
const optDist = (description: string) => Type.Optional(Type.Union(Distribution.anyOf, { description }));

export const Implementation = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'implementation (language) name' }),
    weight: num('relative probability that a new pod runs it', 1, { minimum: 0, maximum: 1e9 }),
    vulnerable: Type.Boolean({ default: false, description: 'accepts malicious records' }),
    startup: optDist('overrides the service startup for pods running it'),
    serviceTime: optDist('overrides the service serviceTime for pods running it'),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, description: 'overrides the service concurrency' })),
  },
  { additionalProperties: false },
);
export type Implementation = Static<typeof Implementation>;

const defaultImplementations = [
  { name: 'python', weight: 1, vulnerable: true },
  { name: 'node', weight: 1, vulnerable: false },
  { name: 'dotnet', weight: 1, vulnerable: false },
];

/** Settings of a Deployment's pods; the cluster block holds the defaults of every service. */
const podSettings = {
  replicas: int('replicas per service (R)', 3, { minimum: 1, maximum: 10000 }),
  implementations: Type.Array(Implementation, {
    minItems: 1,
    default: defaultImplementations,
    description: 'implementations in every image; one is drawn by weight when a pod is created',
  }),
  startup: dist('pod creation until the application listens (s)', { dist: 'lognormal', mean: 3.63, sd: 0.5 }),
  containerStart: dist('pod creation until the container runs (s), capped at startup', {
    dist: 'uniform',
    min: 0.5,
    max: 1.5,
  }),
  serviceTime: dist('time a request spends in the application (s)', { dist: 'lognormal', mean: 0.02, sd: 0.01 }),
  concurrency: int('requests a pod serves at once; more wait in FIFO order', 8, { minimum: 1 }),
  readiness: oneOf(['none', 'probe'] as const, 'none: Ready when the container runs; probe: first probe after listening', 'none'),
  probePeriod: num('readiness probe period (s)', 10, interval),
  initialDelay: num('readiness probe initial delay (s)', 0, seconds),
  sigterm: oneOf(['ignore', 'exit', 'drain'] as const, 'what the application does on SIGTERM (drain closes the listener at once, exit listens until it exits)', 'ignore'),
  shutdownDelay: num('sigterm exit: seconds from SIGTERM until it exits (what it holds then is killed)', 0, seconds),
  drain: num('sigterm drain: longest it finishes its requests after SIGTERM (its listener closes at once), s', 5, seconds),
  grace: num('terminationGracePeriodSeconds', 30, seconds),
  terminationDelay: dist('deletion until the kubelet acts on it (runs preStop, then SIGTERM) (s)', 0),
  preStop: num('a preStop sleep (s): the pod keeps serving through it, then gets SIGTERM; within the grace period', 0, seconds),
  controllerDelay: dist('deletion until the ReplicaSet creates the replacement (s)', { dist: 'uniform', min: 0.05, max: 0.5 }),
  endpointSliceDelay: dist('Ready change or deletion until the EndpointSlice shows it (s)', {
    dist: 'uniform',
    min: 0.05,
    max: 0.5,
  }),
};

export const Diversifier = Type.Object(
  {
    period: Type.Union([Type.Number(interval), Type.Literal('inf')], {
      default: 10,
      description: "seconds between deletions (P), or 'inf' for no rotation",
    }),
    jitter: num('each later interval is P + U(-J, J) (s)', 0, seconds),
    select: oneOf(['any', 'ready', 'oldest'] as const, 'which pod it deletes', 'any'),
    waitForDeletion: Type.Boolean({ default: false, description: 'wait until the victim is gone before the next interval' }),
    strategy: oneOf(
      ['delete', 'surge', 'rollout'] as const,
      'delete: delete a pod, the ReplicaSet replaces it; surge: create the replacement first, then delete; rollout: kubectl rollout restart',
      'delete',
    ),
    waitFor: oneOf(['running', 'ready'] as const, 'surge: the new pod must be Running or Ready before the victim is deleted', 'ready'),
    pollInterval: num('surge: how often the controller checks the new pod (s)', 1, interval),
    settle: num('surge: seconds between the new pod being up and deleting the victim', 0, seconds),
    timeout: num('surge: a swap whose new pod is not up after this many seconds is abandoned (the new pod deleted)', 600, positiveSeconds),
    from: oneOf(['end', 'start'] as const, 'surge and rollout: the next interval runs from the end of a swap (or rollout), or from its start', 'end'),
    maxSurge: intOrPercent('rollout: pods above replicas during the rollout (rounded up)', '25%'),
    maxUnavailable: intOrPercent('rollout: replicas that may be unavailable during the rollout (rounded down)', '25%'),
    minReadySeconds: num('rollout: a new pod counts as available this long after Ready', 0, seconds),
  },
  { additionalProperties: false, default: {} },
);
export type Diversifier = Static<typeof Diversifier>;

const optional = <T extends Record<string, TSchema>>(props: T) =>
  Object.fromEntries(
    Object.entries(props).map(([k, v]) => {
      const { default: _dropped, ...rest } = v as TSchema & { default?: unknown };
      return [k, Type.Optional(rest as TSchema)];
    }),
  ) as { [K in keyof T]: TOptional<T[K]> };

export const ServiceOverrides = Type.Object(
  {
    ...optional(podSettings),
    diversifier: Type.Optional(Type.Object(optional(Diversifier.properties), { additionalProperties: false })),
  },
  { additionalProperties: false, default: {} },
);
export type ServiceOverrides = Static<typeof ServiceOverrides>;

const via = oneOf(['ingress', 'clusterIP'] as const, 'path of this request: the ingress or a Service ClusterIP', 'ingress');

/** One kind of request of the clients and arrivals workloads. */
export const RequestKind = Type.Object(
  {
    service: Type.String({ minLength: 1, description: 'the service it goes to' }),
    operation: Type.String({ default: 'GET', minLength: 1, description: 'a label (method and path); requests are counted per service, not per operation' }),
    weight: num('relative share of requests of this kind', 1, { minimum: 0, maximum: 1e9 }),
    via: oneOf(
      ['ingress', 'clusterIP', 'loadBalancer'] as const,
      'entry path: the ingress, a ClusterIP from inside the cluster, or a LoadBalancer/NodePort Service from outside',
      'ingress',
    ),
  },
  { additionalProperties: false },
);
export type RequestKind = Static<typeof RequestKind>;

export const attackKinds = ['pseudo', 'persistent', 'foothold', 'lateral', 'fingerprint'] as const;

/** One attacker (README "Attackers"); fields a kind does not use are ignored by it. */
export const Attacker = Type.Object(
  {
    kind: oneOf(attackKinds, 'pseudo: the dataset\'s malicious records; persistent, foothold, lateral, fingerprint: an actor (README "Attackers")', 'pseudo'),
    name: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_]*$', maxLength: 40, description: 'names its streams and metric columns (default: its kind)' })),
    target: Type.String({ default: 'users', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description: 'service it attacks (lateral: ignored, the chain\'s first service is the target)' }),
    via: oneOf(['ingress', 'clusterIP'] as const, 'how it reaches its target from outside (lateral: its first stage)', 'ingress'),
    start: num('first attempt, seconds after t0', 0, seconds),
    interval: dist('time between attempts (s)', 1),
    exploitTime: dist('foothold, lateral: time a compromised pod must keep running for the foothold to install (s), drawn per install', 30),
    chain: Type.Array(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }), {
      minItems: 1, maxItems: 20, default: ['users', 'projects', 'tasks'],
      description: 'lateral: services in attack order; later stages are attacked from a foothold in the one before, through its ClusterIP',
    }),
    reveal: num('fingerprint: probability that a response reveals the implementation that served it', 1, { minimum: 0, maximum: 1 }),
  },
  { additionalProperties: false },
);
export type Attacker = Static<typeof Attacker>;

export const Scenario = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ default: 'scenario', pattern: '^[A-Za-z0-9._-]{1,100}$', description: 'names the output folder (output/NAME): one folder name of at most 100 letters, digits, `.`, `_` and `-`, not `.` or `..`' }),
    description: Type.Optional(Type.String({ description: 'free text about the scenario' })),
    seed: int('seed of every random stream', 1, { minimum: 0, maximum: 2 ** 53 - 1 }),
    reps: int('replications', 30, { minimum: 1, maximum: 1_000_000 }),
    maxEvents: int('a replication that processes more events fails', 100_000_000, { minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    cluster: Type.Object(podSettings, { additionalProperties: false, default: {} }),
    services: Type.Record(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }), ServiceOverrides, {
      default: { users: {}, projects: {}, tasks: {} },
      description: 'the Deployments, each overriding any cluster setting and the diversifier; must include users, projects, tasks',
    }),
    diversifier: Diversifier,
    ingress: Type.Object(
      {
        policy: oneOf(['round-robin', 'random', 'least-request'] as const, 'load-balancing policy', 'round-robin'),
        workers: int('worker processes, each with its own balancer', 1, { minimum: 1, maximum: 64 }),
        tries: int('proxy-next-upstream-tries', 3, { minimum: 1, maximum: 100 }),
        connectTimeout: num('proxy-connect-timeout (s)', 5, positiveSeconds),
        syncRate: num('controller syncs per second (token bucket)', 0.3, { minimum: 1 / maxSeconds, maximum: 1 / minInterval }),
        syncBurst: int('controller sync burst', 1, { minimum: 1 }),
        pollInterval: num('balancer backend reload interval (s)', 1, interval),
      },
      { additionalProperties: false, default: {} },
    ),
    proxy: Type.Object(
      { syncDelay: dist('kube-proxy lag behind a slice change (s)', { dist: 'uniform', min: 0, max: 1 }) },
      { additionalProperties: false, default: {} },
    ),
    noise: Type.Object(
      { errorRate: num('probability that an accepted request fails (500)', 0, { minimum: 0, maximum: 1 }) },
      { additionalProperties: false, default: {} },
    ),
    latency: dist('one network hop (s)', 0.001),
    loadBalancer: Type.Object(
      { nodes: int('nodes a LoadBalancer spreads connections over, each with its own kube-proxy view', 1, { minimum: 1, maximum: 1000 }) },
      { additionalProperties: false, default: {} },
    ),
    attack: Type.Array(Attacker, {
      default: [{ kind: 'pseudo' }],
      maxItems: 20,
      description: 'the attackers, all at once (README "Attackers"); each has its own random streams attack/<name>/...',
    }),
    horizon: num('the run lasts at least this long after t0 (s): attackers act and diversifiers rotate until then; 0: until the workload ends', 0, seconds),
    workload: Type.Object(
      {
        kind: oneOf(
          ['testScript', 'clients', 'arrivals'] as const,
          "testScript: the paper's; clients: closed-loop threads; arrivals: open-loop traffic at a rate",
          'testScript',
        ),
        duration: num('clients and arrivals: seconds of traffic from t0 (requests sent before it still end)', 600, positiveSeconds),
        timeout: num('clients and arrivals: client-side timeout of a request (s)', 10, positiveSeconds),
        requests: Type.Array(RequestKind, {
          default: [],
          maxItems: 1000,
          description: 'clients and arrivals: the request mix, drawn by weight; empty: GET to the first service via the ingress',
        }),
        clients: Type.Object(
          {
            threads: int('closed-loop client threads', 1, { minimum: 1, maximum: 10000 }),
            think: dist('a thread waits this long after each response or timeout (s)', 0.1),
          },
          { additionalProperties: false, default: {} },
        ),
        arrivals: Type.Object(
          {
            rate: num('requests per second', 10, { exclusiveMinimum: 0, maximum: 1e6 }),
            process: oneOf(['poisson', 'constant'] as const, 'exponential or constant gaps between requests', 'poisson'),
          },
          { additionalProperties: false, default: {} },
        ),
        threads: int('test-script threads; 0: no workload (a run of attackers only, up to the horizon)', 2, { minimum: 0, maximum: 10000 }),
        pace: num('wait after each record (s)', 0.1, seconds),
        dataset: Type.Object(
          {
            file: Type.Optional(Type.String({ description: 'CSV dataset (type,name,parent,malicious), relative to the scenario' })),
            users: int('users', 5, { minimum: 0 }),
            maliciousUsers: int('malicious users', 1, { minimum: 0 }),
            projectsPerUser: int('projects per user', 2, { minimum: 0 }),
            maliciousProjects: int('malicious projects per user', 1, { minimum: 0 }),
            tasksPerProject: int('tasks per project', 100, { minimum: 0 }),
            maliciousTasks: int('malicious tasks per project', 10, { minimum: 0 }),
          },
          { additionalProperties: false, default: {} },
        ),
        via: Type.Object(
          {
            user: Type.Object({ insert: via }, { additionalProperties: false, default: {} }),
            project: Type.Object({ lookup: via, insert: via }, { additionalProperties: false, default: {} }),
            task: Type.Object({ lookup: via, insert: via }, { additionalProperties: false, default: {} }),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    sweep: Type.Optional(
      Type.Object(
        {
          vary: Type.Record(Type.String(), Type.Union([Type.Array(Type.Union([Type.Number(), Type.String(), Type.Boolean()])), Type.String()]), {
            description: 'path -> list of values, or a range a..b[:step]',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** A scenario after loading: every defaulted field present. */
export type Scenario = Static<typeof Scenario>;
export type ClusterSettings = Scenario['cluster'];
export type IngressSettings = Scenario['ingress'];
export type Via = Scenario['workload']['via']['user']['insert'];

/** Short names accepted by --set and --vary. */
export const pathAliases: Record<string, string> = {
  period: 'diversifier.period',
  replicas: 'cluster.replicas',
  tries: 'ingress.tries',
  policy: 'ingress.policy',
  errorRate: 'noise.errorRate',
  readiness: 'cluster.readiness',
  sigterm: 'cluster.sigterm',
  strategy: 'diversifier.strategy',
};

export { workloadServices } from './workload-services.ts';
