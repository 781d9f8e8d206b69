/**
 * Scenarios of the growth benchmark: the paper scenario with one dimension
 * grown at a time (services, replicas per service, dataset records,
 * rotation period).
 */
export interface GrowthCase {
  dimension: 'services' | 'replicas' | 'records' | 'period';
  value: number;
  /** Scenario YAML text. */
  yaml: string;
  reps: number;
}

const paperDataset = { users: 5, maliciousUsers: 1, projectsPerUser: 2, maliciousProjects: 1, tasksPerProject: 100, maliciousTasks: 10 };

function scenario(opts: { services?: number; replicas?: number; period?: number; tasksPerProject?: number; users?: number }): string {
  const extra = Math.max(0, (opts.services ?? 3) - 3);
  const services = ['users', 'projects', 'tasks', ...Array.from({ length: extra }, (_, i) => `svc-${i}`)];
  const d = { ...paperDataset };
  if (opts.users !== undefined) {
    d.users = opts.users;
    d.maliciousUsers = Math.max(1, Math.floor(opts.users / 5));
    d.projectsPerUser = 10;
  }
  if (opts.tasksPerProject !== undefined) {
    d.tasksPerProject = opts.tasksPerProject;
    d.maliciousTasks = Math.floor(opts.tasksPerProject / 10);
  }
  return [
    'name: growth',
    'seed: 7',
    `cluster: { replicas: ${opts.replicas ?? 3} }`,
    `services: { ${services.map((s) => `${s}: {}`).join(', ')} }`,
    `diversifier: { period: ${opts.period === undefined ? 10 : opts.period === Infinity ? 'inf' : opts.period} }`,
    `workload: { dataset: ${JSON.stringify(d)} }`,
  ].join('\n');
}

/** Records of a dataset with u users x 10 projects x t tasks: u + 10u + 10ut. */
const recordSizes: [users: number, tasks: number][] = [
  [10, 9],
  [10, 99],
  [100, 99],
  [100, 999],
];

export function growthCases(quick: boolean): GrowthCase[] {
  const reps = (n: number) => (quick ? Math.max(1, Math.floor(n / 4)) : n);
  return [
    ...[3, 30, 100, 300].map((v) => ({ dimension: 'services' as const, value: v, yaml: scenario({ services: v }), reps: reps(20) })),
    ...[3, 10, 30, 100].map((v) => ({ dimension: 'replicas' as const, value: v, yaml: scenario({ replicas: v }), reps: reps(20) })),
    ...recordSizes.map(([u, t]) => ({
      dimension: 'records' as const,
      value: u + 10 * u + 10 * u * t,
      yaml: scenario({ users: u, tasksPerProject: t }),
      reps: u * t > 10_000 ? 1 : reps(8),
    })),
    ...[Infinity, 10, 3, 1, 0.3, 0.1].map((v) => ({ dimension: 'period' as const, value: v, yaml: scenario({ period: v }), reps: reps(20) })),
  ];
}
