import type { TestProject } from 'vitest/node';
import { startTestCluster } from './pg-cluster.ts';
import { dropTestDatabases, prepareDatabaseList, prepareTemplate } from './pg-databases.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/**
 * The PostgreSQL project's global setup: a server (DATABASE_URL, else a throwaway cluster), the migrated template
 * database, and the server's URL handed to every test file; the cluster is stopped after the run.
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const cluster = await startTestCluster();
  await prepareTemplate(cluster.adminUrl);
  await prepareDatabaseList(cluster.adminUrl);
  project.provide('pgAdminUrl', cluster.adminUrl);
  console.log(`[postgres] tests run on ${cluster.source}; template migrated in ${Date.now() - started} ms`);
  return async () => {
    if (cluster.source === 'DATABASE_URL') await dropTestDatabases(cluster.adminUrl);
    await cluster.stop();
  };
}
