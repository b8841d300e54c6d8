import { defineConfig } from 'vitest/config';

/**
 * The PostgreSQL pass runs every test that opens a database; pure unit tests and the language corpus
 * (test/unit, test/understanding) run once, on the SQLite pass.
 */
const postgresPass = ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/understanding/issue-examples.test.ts'];
/**
 * Tests of SQLite itself (file backup, WAL and synchronous PRAGMAs, the write-lock faults), and the process tests
 * that start the bot on a SQLite file of their own whatever the pass (they would only repeat the SQLite run).
 * On PostgreSQL, kill -9 is covered by test/e2e/crash.test.ts (which runs on both) and test/e2e/replicas.test.ts.
 */
const sqliteOnly = [
  'test/integration/backup.test.ts', 'test/integration/db-faults.test.ts', 'test/integration/inbox-durability.test.ts',
  'test/integration/backup-dialects.test.ts',
  'test/e2e/start.test.ts', 'test/e2e/local-terminal.test.ts', 'test/e2e/long-connection-crash.test.ts', 'test/e2e/log-durability.test.ts',
];
/** Tests of PostgreSQL itself (schema parity, pg_dump backups, replicas sharing one server). */
const postgresOnly = ['test/integration/schema-parity.test.ts', 'test/integration/postgres-*.test.ts', 'test/e2e/replicas.test.ts'];

const shared = {
  setupFiles: ['test/support/strict-setup.ts'],
  testTimeout: 20_000,
  hookTimeout: 20_000,
  pool: 'forks' as const,
};

// One `vitest run` runs the suite on both databases (the two projects share the worker pool); the reporter
// names each file's project, [sqlite] or [postgres].
export default defineConfig({
  test: {
    // Two files at a time even on two cores: the PostgreSQL files mostly wait on the server, not the CPU.
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'], exclude: postgresOnly, env: { TEST_DB: 'sqlite' } } },
      {
        test: {
          ...shared,
          name: 'postgres',
          // A ceiling against hangs, not a measurement: every query is a round trip to the server here, and a few
          // files set up hundreds of rows (the 100-community reminder burst took ~20 s under a loaded machine).
          testTimeout: 45_000,
          hookTimeout: 45_000,
          include: postgresPass,
          exclude: sqliteOnly,
          globalSetup: ['test/support/pg-global-setup.ts'],
          env: { TEST_DB: 'postgres' },
        },
      },
    ],
  },
});
