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
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE} STRATEGY FILE_COPY`));
  return name;
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
