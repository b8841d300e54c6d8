import { type OpenedDatabase, openDatabase } from '../../src/db/connect.ts';

/**
 * An in-memory copy of a prepared database (migrated, campaign imported, people bound): each of hundreds of
 * corpus messages runs against a fresh real database without repeating the set-up.
 */
export function databaseFromImage(image: Buffer): OpenedDatabase {
  return openDatabase(image);
}

/** The bytes of an open database, to be copied with `databaseFromImage`. */
export function imageOf(database: OpenedDatabase): Buffer {
  return database.sqlite.serialize();
}
