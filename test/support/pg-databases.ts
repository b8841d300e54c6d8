import crypto from 'node:crypto';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrationsFor } from '../../migrations/index.ts';

export const TEMPLATE_DATABASE = 'coverage_bot_template';

/** The URL of another database on the same server. */
export function urlOfDatabase(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database; returns its name. */
export async function createEmptyDatabase(adminUrl: string, prefix = 'coverage_bot_t'): Promise<string> {
  const name = `${prefix}_${process.pid}_${crypto.randomBytes(5).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  return name;
}

/** The template every test database is copied from: the PostgreSQL migrations run once, on it. */
export async function prepareTemplate(adminUrl: string): Promise<void> {
  await withAdmin(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: urlOfDatabase(adminUrl, TEMPLATE_DATABASE), max: 1 }) }) });
  try {
    await migrateToLatest(db, migrationsFor('postgres'));
  } finally {
    await db.destroy();
  }
}

/** A fresh, migrated database copied from the template (a file copy: much faster than migrating). */
export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `coverage_bot_t_${process.pid}_${crypto.randomBytes(5).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
  return name;
}

/**
 * Test databases are reused: CREATE DATABASE costs ~0.5 s (a checkpoint), emptying one costs a few ms. A closed
 * test database is emptied (every table but the migration records, identities restarted: the same as a fresh
 * copy of the template) and listed as free in the admin database; the next test takes a free one with
 * FOR UPDATE SKIP LOCKED, or copies the template when none is free.
 */
export async function takeTestDatabase(adminUrl: string): Promise<string> {
  const taken = await withAdmin(adminUrl, async (c) => {
    const r = await c.query(
      `update coverage_bot_test_databases set in_use = true
        where name = (select name from coverage_bot_test_databases where not in_use limit 1 for update skip locked)
        returning name`,
    );
    return (r.rows[0] as { name: string } | undefined)?.name ?? null;
  });
  if (taken) return taken;
  const name = await createTestDatabase(adminUrl);
  await withAdmin(adminUrl, (c) => c.query('insert into coverage_bot_test_databases (name, in_use) values ($1, true)', [name]));
  return name;
}

/** Empties a test database (all connections to it closed) and lists it as free again. */
export async function giveBackTestDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlOfDatabase(adminUrl, name) });
  await client.connect();
  try {
    // DELETE, not TRUNCATE: the tables are small, and TRUNCATE makes new files for each (~200 ms in all). Foreign
    // key triggers are off for this session only, so the order does not matter.
    const tables = await client.query(`select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`);
    const sequences = await client.query(`select sequencename from pg_sequences where schemaname = 'public'`);
    await client.query(
      [
        'begin',
        'set local session_replication_role = replica',
        ...tables.rows.map((r: { tablename: string }) => `delete from "${r.tablename}"`),
        ...sequences.rows.map((r: { sequencename: string }) => `alter sequence "${r.sequencename}" restart`),
        'commit',
      ].join(';\n'),
    );
  } finally {
    await client.end();
  }
  await withAdmin(adminUrl, (c) => c.query('update coverage_bot_test_databases set in_use = false where name = $1', [name]));
}

/** The admin database's list of reusable test databases (made by the global setup). */
export async function prepareDatabaseList(adminUrl: string): Promise<void> {
  await withAdmin(adminUrl, async (c) => {
    await c.query('drop table if exists coverage_bot_test_databases');
    await c.query('create table coverage_bot_test_databases (name text primary key, in_use boolean not null)');
  });
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Drops the template and every test database (a server given by DATABASE_URL is left as it was found). */
export async function dropTestDatabases(adminUrl: string): Promise<void> {
  const names = await withAdmin(adminUrl, async (c) => (await c.query('select name from coverage_bot_test_databases')).rows.map((r: { name: string }) => r.name));
  for (const name of [...names, TEMPLATE_DATABASE]) await dropDatabase(adminUrl, name);
  await withAdmin(adminUrl, (c) => c.query('drop table if exists coverage_bot_test_databases'));
}
