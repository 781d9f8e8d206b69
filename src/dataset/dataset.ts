/**
 * The test script's dataset: users, each with projects, each with tasks.
 * Either generated from counts (the paper's) or read from a CSV file
 * (dataset-file.ts).
 */
export interface Task {
  readonly name: string;
  readonly malicious: boolean;
}
export interface Project extends Task {
  readonly tasks: readonly Task[];
}
export interface User extends Task {
  readonly projects: readonly Project[];
}
export type Dataset = readonly User[];

export interface DatasetCounts {
  users: number;
  maliciousUsers: number;
  projectsPerUser: number;
  maliciousProjects: number;
  tasksPerProject: number;
  maliciousTasks: number;
}

/**
 * Whether record j of n is malicious when m of the n are: the positions
 * floor((k + 0.5) n / m), k = 0..m-1, spread the malicious records evenly
 * (docs/model.md section 6).
 */
export function maliciousPositions(n: number, m: number): Set<number> {
  const positions = new Set<number>();
  for (let k = 0; k < Math.min(m, n); k++) positions.add(Math.floor(((k + 0.5) * n) / m));
  return positions;
}

/**
 * The paper's dataset shape, from counts. Task names need only be unique
 * within their project, so every project shares one task list: a dataset of
 * a million tasks costs no more memory than one project's.
 */
export function generateDataset(c: DatasetCounts): Dataset {
  const badUsers = maliciousPositions(c.users, c.maliciousUsers);
  const badProjects = maliciousPositions(c.projectsPerUser, c.maliciousProjects);
  const badTasks = maliciousPositions(c.tasksPerProject, c.maliciousTasks);
  const tasks: Task[] = [];
  for (let t = 0; t < c.tasksPerProject; t++) tasks.push({ name: `task-${t}`, malicious: badTasks.has(t) });
  const users: User[] = [];
  for (let u = 0; u < c.users; u++) {
    const projects: Project[] = [];
    for (let p = 0; p < c.projectsPerUser; p++) projects.push({ name: `project-${u}-${p}`, malicious: badProjects.has(p), tasks });
    users.push({ name: `user-${u}`, malicious: badUsers.has(u), projects });
  }
  return users;
}

/** Records per type, and the optimal run: clean tasks of clean projects of clean users. */
export function datasetTotals(d: Dataset): { user: number; project: number; task: number; optimalTasks: number } {
  let project = 0;
  let task = 0;
  let optimalTasks = 0;
  for (const u of d) {
    project += u.projects.length;
    for (const p of u.projects) {
      task += p.tasks.length;
      if (!u.malicious && !p.malicious) optimalTasks += p.tasks.filter((t) => !t.malicious).length;
    }
  }
  return { user: d.length, project, task, optimalTasks };
}
