import type { Db } from './connect.ts';
import { isSerializationFailure } from './errors.ts';

const roots = new WeakMap<Db, Db>();

/** The database a transaction handle belongs to (the handle itself when it is not a transaction). */
export function rootDatabase(db: Db): Db {
  return roots.get(db) ?? db;
}

/** Tries of a transaction that keeps losing races (PostgreSQL deadlock or serialization failure) before it fails. */
const MAX_TRIES = 4;

/**
 * Runs `fn` in one database transaction: everything it writes commits together or not at all. The one place
 * the code base opens a transaction. On PostgreSQL, concurrent writers (other replicas) can make a transaction
 * fail with a deadlock or serialization failure; it rolled back entirely, so it simply runs again. `fn` must
 * therefore only write through `trx` (no sends or other effects outside the database), as every caller does.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  const root = rootDatabase(db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => {
        roots.set(trx, root);
        return fn(trx);
      });
    } catch (err) {
      if (attempt >= MAX_TRIES || !isSerializationFailure(err)) throw err;
    }
  }
}
