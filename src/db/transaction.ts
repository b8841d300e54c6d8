import type { Db } from './connect.ts';

/**
 * Runs `fn` in one database transaction: everything it writes commits together or not at all. The one place
 * the code base opens a transaction, so a dialect that needs retries on serialization failures adds them here.
 */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
