import pg from 'pg';
import { CompiledQuery, type DatabaseConnection, Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.ts';
import type { Db, OpenedDatabase } from './connect.ts';
import { type DatabaseAdapter, registerAdapter } from './adapter.ts';
import { isBusyError, isSerializationFailure } from './errors.ts';
import { pingDatabase } from './health.ts';

/** PostgreSQL's type OIDs whose default `pg` parsing would differ from what the SQLite path returns. */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const BOOL = 16;
const JSONB = 3802;

/** pg's own timestamptz parser (handles PostgreSQL's `2026-12-04 05:00:00.123+00` output), as a Date. */
const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (text: string) => Date;

/**
 * Results read the same as on SQLite, so no query or caller forks: counts and sums (bigint, numeric) as numbers,
 * dates and timestamps without a zone as their text (a `date` would otherwise become a Date at local midnight);
 * the columns migrations/postgres/20261204T0500_postgres_real_types.ts gave real types read as the code wrote them:
 * timestamptz as `toISOString()` text (…T…Z with milliseconds), boolean as 1/0, jsonb as compact JSON text.
 * Per pool, not the global `pg.types`, so nothing else in the process changes.
 */
const parsers: Record<number, (text: string) => unknown> = {
  [INT8]: Number,
  [NUMERIC]: Number,
  [DATE]: (s) => s,
  [TIMESTAMP]: (s) => s,
  [TIMESTAMPTZ]: (s) => {
    const d = parseTimestamptz(s);
    // ±infinity (never written by the code) has no ISO form: keep PostgreSQL's text.
    return Number.isNaN(d.getTime()) ? s : d.toISOString();
  },
  [BOOL]: (s) => (s === 't' ? 1 : 0),
  [JSONB]: (s) => JSON.stringify(JSON.parse(s)),
};

export const sameAsSqliteTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    return parsers[oid] ?? pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

export interface PostgresPoolOptions {
  /** Connections this process keeps at most (the server's max_connections is shared by every replica). */
  max?: number;
  /** An application_name that shows in pg_stat_activity (e.g. the replica's id). */
  applicationName?: string;
}

export function createPostgresPool(url: string, opts: PostgresPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    types: sameAsSqliteTypes,
    application_name: opts.applicationName ?? 'coverage-bot',
    // A replica whose server went away notices instead of waiting on a dead socket.
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
    // Instants and dates print the same whatever the server's or role's settings (the parsers above rely on it).
    options: '-c TimeZone=UTC -c DateStyle=ISO,MDY',
  });
  // An idle client's error (server restart, network cut) would otherwise crash the process; the next query
  // reconnects and fails or succeeds on its own.
  pool.on('error', () => {});
  return pool;
}

/**
 * How long a serving bot's statement waits for a lock another connection holds before it fails as busy (55P03).
 * Waiting does not block the event loop here, but each waiting statement holds one of the pool's few connections:
 * without a bound, a table lock held elsewhere (an operator's LOCK, a long ALTER) would take every connection, and
 * health checks, the worker and the sender would all starve. Busy statements are retried as on SQLite (the inbox
 * store until its budget, then 503; the worker and sender back off). Start-up (migrations, the campaign import)
 * waits as long as it takes.
 */
export const SERVING_LOCK_TIMEOUT_MS = 1000;

/** Session settings applied to each pooled connection once the bot serves (`lockTimeoutMs` null until then). */
interface SessionSettings {
  lockTimeoutMs: number | null;
}

/**
 * A Kysely instance on PostgreSQL. `url` may be a promise-returning function (tests create their database from a
 * migrated template first), so opening stays synchronous like the SQLite path; the pool is made on first use.
 */
export function createPostgresKysely(
  url: string | (() => Promise<string>),
  opts: PostgresPoolOptions = {},
  session: SessionSettings = { lockTimeoutMs: null },
): Kysely<Database> {
  let made: Promise<pg.Pool> | null = null;
  const pool = () => (made ??= (async () => createPostgresPool(typeof url === 'string' ? url : await url(), opts))());
  const settled = new WeakSet<DatabaseConnection>();
  return new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      // Kysely keeps one connection object per pooled client, so each client is set once.
      onReserveConnection: async (conn) => {
        if (session.lockTimeoutMs === null || settled.has(conn)) return;
        await conn.executeQuery(CompiledQuery.raw(`set lock_timeout = ${Math.floor(session.lockTimeoutMs)}`));
        settled.add(conn);
      },
    }),
  });
}

/** Opens a PostgreSQL database for the bot (DATABASE_URL), with its adapter. */
export function openPostgresDatabase(url: string | (() => Promise<string>), opts: PostgresPoolOptions = {}): OpenedDatabase {
  let resolved: Promise<string> | null = null;
  const urlOnce = () => (resolved ??= typeof url === 'string' ? Promise.resolve(url) : url());
  const session: SessionSettings = { lockTimeoutMs: null };
  const db = createPostgresKysely(urlOnce, opts, session);
  const adapter = createPostgresAdapter(db, session);
  return {
    db,
    adapter,
    get sqlite(): never {
      return noSqliteHandle();
    },
    close: () => adapter.close(),
  };
}

/** The PostgreSQL side of the adapter: commits are durable already, lock waits do not block the event loop. */
export function createPostgresAdapter(db: Db, session: SessionSettings = { lockTimeoutMs: null }): DatabaseAdapter {
  return registerAdapter({
    dialect: 'postgres',
    db,
    // synchronous_commit is on by default: a committed transaction is on disk before COMMIT returns.
    withDurableCommit: (fn) => fn(db),
    isBusy: isBusyError,
    isSerializationFailure,
    async setServingBusyTimeout() {
      session.lockTimeoutMs = SERVING_LOCK_TIMEOUT_MS;
    },
    ping: () => pingDatabase(db),
    close: () => db.destroy(),
  });
}

/** A thrower for the SQLite handle on a PostgreSQL database (only SQLite-only tests and tools reach for it). */
export function noSqliteHandle(): never {
  throw new Error('this database is PostgreSQL: there is no SQLite handle');
}
