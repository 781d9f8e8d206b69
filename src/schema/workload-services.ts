/**
 * Services the test script talks to, by record type. Its own module, free of
 * the schema's TypeBox objects, so that a worker thread (which never
 * validates) does not build the schema when it starts.
 */
export const workloadServices = { user: 'users', project: 'projects', task: 'tasks' } as const;
