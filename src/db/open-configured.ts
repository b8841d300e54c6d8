import { type OpenedDatabase, openDatabase } from './connect.ts';
import { openPostgresDatabase } from './postgres.ts';
import type { Migration } from 'kysely';
import { dialectOf } from './dialect.ts';
import { migrationsFor } from '../../migrations/index.ts';

/** The configured database: PostgreSQL when DATABASE_URL is set, else the SQLite file at DB_PATH. */
export function openConfiguredDatabase(config: { dbPath: string; databaseUrl?: string }, opts: { applicationName?: string } = {}): OpenedDatabase {
  return config.databaseUrl ? openPostgresDatabase(config.databaseUrl, { applicationName: opts.applicationName }) : openDatabase(config.dbPath);
}

/** The migrations of the database `db` talks to (SQLite's history, or PostgreSQL's baseline, then the shared ones). */
export function migrationsOf(db: OpenedDatabase['db']): Record<string, Migration> {
  return migrationsFor(dialectOf(db));
}
