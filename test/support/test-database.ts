import { inject } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/db/connect.ts';
import { openPostgresDatabase } from '../../src/db/postgres.ts';
import { giveBackTestDatabase, takeTestDatabase, urlOfDatabase } from './pg-databases.ts';

/** Which database this test run uses: the vitest project sets TEST_DB (sqlite, or postgres). */
export const testBackend: 'sqlite' | 'postgres' = process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/**
 * A fresh, empty (or, on PostgreSQL, already migrated) database for one test bot: in-memory SQLite, or a new
 * PostgreSQL database equal to the migrated template (test/support/pg-databases.ts), emptied and reused after it is
 * closed.
 */
export function openTestDatabase(): OpenedDatabase {
  if (testBackend === 'sqlite') return openDatabase(':memory:');
  const adminUrl = inject('pgAdminUrl');
  let name: Promise<string> | null = null;
  const database = openPostgresDatabase(() => (name ??= takeTestDatabase(adminUrl)).then((n) => urlOfDatabase(adminUrl, n)), { max: 4 });
  const close = database.close;
  database.close = async () => {
    await close();
    if (name) await giveBackTestDatabase(adminUrl, await name);
    name = null;
  };
  return database;
}
