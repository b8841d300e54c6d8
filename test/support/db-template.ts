import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { OpenedDatabase } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/schema.ts';

/**
 * An in-memory copy of a prepared database (migrated, campaign imported, people bound): each of hundreds of
 * corpus messages runs against a fresh real database without repeating the set-up.
 */
export function databaseFromImage(image: Buffer): OpenedDatabase {
  const sqlite = new SQLite(image);
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, sqlite, close: () => db.destroy() };
}

/** The bytes of an open database, to be copied with `databaseFromImage`. */
export function imageOf(database: OpenedDatabase): Buffer {
  return database.sqlite.serialize();
}
