import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database } from './schema.ts';
import { type DatabaseAdapter, createSqliteAdapter } from './adapter.ts';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  /** Everything engine-specific (durable commits, busy errors, lock waits, backup). */
  adapter: DatabaseAdapter;
  /** The raw SQLite connection, for tests that inspect it; the bot itself goes through `adapter`. */
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew; keep prepared statements by SQL text (the builder yields
 * the same text for the same query shape), so a hot query is compiled by SQLite once.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (stmt) {
        // Keep recently used statements at the end; the oldest is dropped first.
        cache.delete(sqlText);
      } else {
        stmt = sqlite.prepare(sqlText);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sqlText, stmt);
      return stmt as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
    close: () => sqlite.close(),
  };
}

/** SQLite's page cache per connection, in KiB (SQLite's default is 2,000). */
export const PAGE_CACHE_KIB = 16_384;

/**
 * Opens (and creates, with its folder) the SQLite file in WAL mode; ':memory:' for tests, or the bytes of a
 * serialized database for an in-memory copy of it (tests that start many bots from one prepared database).
 */
export function openDatabase(file: string | Buffer): OpenedDatabase {
  const onDisk = typeof file === 'string' && file !== ':memory:';
  if (onDisk) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file, { timeout: 5000 });
  if (onDisk) sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash; the inbox raises it to FULL for the commit before each 200
  // (src/db/adapter.ts, withDurableCommit), so what Lark was told is stored survives a power cut too.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Pruned rows (decrypted message texts) are overwritten, not left readable in free pages and in backups.
  sqlite.pragma('secure_delete = ON');
  // A bounded page cache: enough for a city's aggregates to stay in memory, never growing with the file.
  sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const adapter = createSqliteAdapter(db, sqlite);
  return { db, adapter, sqlite, close: () => adapter.close() };
}
