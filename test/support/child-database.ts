import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/db/connect.ts';
import { openPostgresDatabase } from '../../src/db/postgres.ts';
import { giveBackTestDatabase, takeTestDatabase, urlOfDatabase } from './pg-databases.ts';
import { testBackend } from './test-database.ts';

/**
 * The database a bot started as its own process (ChildBot) works on, on this run's backend: a SQLite file in
 * `dir`, or a fresh PostgreSQL test database passed as DATABASE_URL. The test reads it through `reader` while the
 * bot runs, and asks `integrity()` after each kill.
 */
export interface ChildDatabase {
  /** For ChildBot.start: the file (unused on PostgreSQL, where DATABASE_URL wins) and the environment. */
  dbPath: string;
  env: Record<string, string>;
  /** A second connection for the test's own reads (opened on first use). */
  readonly reader: OpenedDatabase;
  /** 'ok' when the storage is sound after a kill. */
  integrity(): Promise<string>;
  dispose(): Promise<void>;
}

export async function childDatabase(dir: string): Promise<ChildDatabase> {
  const dbPath = path.join(dir, 'bot.db');
  if (testBackend === 'sqlite') {
    let reader: OpenedDatabase | null = null;
    return {
      dbPath,
      env: {},
      get reader() {
        return (reader ??= openDatabase(dbPath));
      },
      async integrity() {
        const db = new SQLite(dbPath);
        try {
          return (db.pragma('integrity_check', { simple: true }) as string) ?? '';
        } finally {
          db.close();
        }
      },
      async dispose() {
        await reader?.close();
      },
    };
  }
  const adminUrl = inject('pgAdminUrl');
  const name = await takeTestDatabase(adminUrl);
  const url = urlOfDatabase(adminUrl, name);
  let reader: OpenedDatabase | null = null;
  const open = () => (reader ??= openPostgresDatabase(url, { max: 2 }));
  return {
    dbPath,
    env: { DATABASE_URL: url },
    get reader() {
      return open();
    },
    // The server keeps its own files sound through a kill of a client; what a kill could break is ours: a second
    // row for one delivery, or an outbox row without the event that caused it.
    async integrity() {
      const { db } = open();
      const r = await sql<{ problem: string }>`
        select 'event ' || event_id as problem from inbox_events group by event_id having count(*) > 1
        union all
        select 'outbox ' || uuid from outbox_messages group by uuid having count(*) > 1`.execute(db);
      return r.rows.length === 0 ? 'ok' : r.rows.map((x) => x.problem).join(', ');
    },
    async dispose() {
      await reader?.close();
      await giveBackTestDatabase(adminUrl, name);
    },
  };
}
