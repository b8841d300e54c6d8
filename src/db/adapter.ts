import { sql } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { Db } from './connect.ts';
import { isBusyError, isSerializationFailure } from './errors.ts';
import { pingDatabase } from './health.ts';

import type { Dialect } from './dialect.ts';

/**
 * What differs between the database engines, behind one interface: the rest of the code base talks to Kysely
 * through the repositories and asks the adapter for everything engine-specific (durable commits, lock and
 * serialization errors, lock waits). Backups go through src/db/configured-backup.ts, which needs no open connection.
 */
export interface DatabaseAdapter {
  readonly dialect: Dialect;
  readonly db: Db;
  /**
   * Runs `fn` so that its commit waits for the disk (SQLite: synchronous=FULL for this commit only; PostgreSQL's
   * commits are durable already). `fn` gets the connection to use.
   */
  withDurableCommit<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Another connection holds the lock: try again later (not a fault). */
  isBusy(err: unknown): boolean;
  /** The transaction lost a race with another one and may simply be retried. */
  isSerializationFailure(err: unknown): boolean;
  /** From here on the process serves requests: wait only briefly for other connections' locks. */
  setServingBusyTimeout(): Promise<void>;
  /** Whether the database answers at all (health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How long the serving bot's connection waits for another connection's write lock before a statement fails.
 * better-sqlite3 waits synchronously, blocking the event loop (every webhook request with it), so the bot waits
 * briefly and retries on timers instead (the inbox store, the worker and sender backoffs). The CLI keeps
 * SQLite's patient default.
 */
export const SERVING_BUSY_TIMEOUT_MS = 200;

const adapters = new WeakMap<Db, DatabaseAdapter>();

/** Makes `adapterOf(db)` find the adapter of a database opened by `src/db/`. */
export function registerAdapter(adapter: DatabaseAdapter): DatabaseAdapter {
  adapters.set(adapter.db, adapter);
  return adapter;
}

/**
 * The adapter of a database handle (the root handle, not a transaction's): for the storage modules whose callers
 * hold only `db`, such as the inbox's durable commit.
 */
export function adapterOf(db: Db): DatabaseAdapter {
  const adapter = adapters.get(db);
  if (!adapter) throw new Error('this database was not opened through src/db (no adapter registered)');
  return adapter;
}

/** The SQLite adapter over one better-sqlite3 connection. */
export function createSqliteAdapter(db: Db, sqlite: SQLite.Database): DatabaseAdapter {
  return registerAdapter({
    dialect: 'sqlite',
    db,
    withDurableCommit(fn) {
      // One connection for the whole commit, so the PRAGMAs bracket exactly this transaction.
      return db.connection().execute(async (conn) => {
        await sql`PRAGMA synchronous = FULL`.execute(conn);
        try {
          return await fn(conn);
        } finally {
          await sql`PRAGMA synchronous = NORMAL`.execute(conn);
        }
      });
    },
    isBusy: isBusyError,
    isSerializationFailure,
    async setServingBusyTimeout() {
      sqlite.pragma(`busy_timeout = ${SERVING_BUSY_TIMEOUT_MS}`);
    },
    ping: () => pingDatabase(db),
    close: () => db.destroy(),
  });
}
