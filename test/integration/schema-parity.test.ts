import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrationsFor } from '../../migrations/index.ts';
import { createEmptyDatabase, dropDatabase, urlOfDatabase } from '../support/pg-databases.ts';

// PostgreSQL project only: both schemas, each built by its own migration list, are compared by introspection.

interface Column { type: string; notNull: boolean; default: string | null; primaryKey: boolean; identity: boolean; references: string | null }
interface Schema {
  columns: Record<string, Record<string, Column>>;
  /** `table(col, col)` of every unique constraint or unique index. */
  unique: string[];
  /** `name: table(col, col)` of every other index. */
  indexes: string[];
}

/**
 * SQLite declared type → PostgreSQL type. varchar(n) becomes text (SQLite never enforced n, and some values
 * exceed it); an `integer primary key autoincrement` becomes an identity column (checked via `identity`).
 */
function expectedPostgresType(sqliteType: string): string {
  const t = sqliteType.toLowerCase();
  if (t.startsWith('varchar') || t === 'text') return 'text';
  if (t === 'integer') return 'integer';
  if (t === 'bigint') return 'bigint';
  if (t === 'blob') return 'bytea';
  if (t === 'real') return 'double precision';
  throw new Error(`no PostgreSQL type mapped for SQLite type ${sqliteType}`);
}

/**
 * Columns PostgreSQL stores in a real type (migrations/postgres/20261204T0500_postgres_real_types.ts) where SQLite
 * keeps integer 0/1, JSON text or ISO text; src/db/postgres.ts reads them back as SQLite does. Every other column
 * has the mapped type above.
 */
const REAL_TYPES: Record<string, string> = {
  'assessments.passed': 'boolean',
  'communities.aliases': 'jsonb',
  'departments.aliases': 'jsonb',
  'routing_rules.keywords': 'jsonb',
  'routing_rules.phrasings': 'jsonb',
  'takeovers.services': 'jsonb',
  'grievance_routes.candidates': 'jsonb',
  'grievances.created_at': 'timestamp with time zone',
  'grievances.accepted_at': 'timestamp with time zone',
  'grievances.resolved_at': 'timestamp with time zone',
  'grievances.accept_due_at': 'timestamp with time zone',
  'grievances.resolve_due_at': 'timestamp with time zone',
  'grievances.updated_at': 'timestamp with time zone',
  'takeovers.recorded_at': 'timestamp with time zone',
  'takeovers.superseded_at': 'timestamp with time zone',
};

/** The SQLite schema with the real-typed columns as PostgreSQL has them (a JSON default is jsonb there). */
function withRealTypes(s: Schema): Schema {
  for (const [key, type] of Object.entries(REAL_TYPES)) {
    const [table, column] = key.split('.') as [string, string];
    const c = s.columns[table]?.[column];
    if (!c) throw new Error(`REAL_TYPES names ${key}, which SQLite does not have`);
    c.type = type;
    if (type === 'jsonb' && c.default !== null) c.default = `${c.default}::jsonb`;
  }
  return s;
}

/** Defaults that mean the same written in each dialect's words. */
function expectedPostgresDefault(sqliteDefault: string | null): string | null {
  if (sqliteDefault === 'CURRENT_TIMESTAMP') return "to_char((now() AT TIME ZONE 'UTC'::text), 'YYYY-MM-DD HH24:MI:SS'::text)";
  return sqliteDefault;
}

function sqliteSchema(database: OpenedDatabase): Schema {
  const s = database.sqlite;
  const tables = (s.prepare("select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'").all() as { name: string; sql: string }[]);
  const schema: Schema = { columns: {}, unique: [], indexes: [] };
  for (const t of tables) {
    const fks = s.prepare(`pragma foreign_key_list('${t.name}')`).all() as { from: string; table: string; to: string }[];
    schema.columns[t.name] = {};
    for (const c of s.prepare(`pragma table_info('${t.name}')`).all() as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[]) {
      const fk = fks.find((f) => f.from === c.name);
      schema.columns[t.name]![c.name] = {
        type: expectedPostgresType(c.type),
        notNull: c.notnull === 1 || c.pk > 0,
        default: expectedPostgresDefault(c.dflt_value),
        primaryKey: c.pk > 0,
        identity: c.pk > 0 && /autoincrement/i.test(t.sql),
        references: fk ? `${fk.table}.${fk.to}` : null,
      };
    }
    for (const ix of s.prepare(`pragma index_list('${t.name}')`).all() as { name: string; unique: number; origin: string }[]) {
      if (ix.origin === 'pk') continue;
      const cols = (s.prepare(`pragma index_info('${ix.name}')`).all() as { name: string }[]).map((c) => c.name).join(', ');
      if (ix.unique) schema.unique.push(`${t.name}(${cols})`);
      else schema.indexes.push(`${ix.name}: ${t.name}(${cols})`);
    }
  }
  return schema;
}

async function postgresSchema(db: Kysely<any>): Promise<Schema> {
  const schema: Schema = { columns: {}, unique: [], indexes: [] };
  const cols = await db
    .selectFrom('information_schema.columns as c')
    .select(['c.table_name', 'c.column_name', 'c.data_type', 'c.is_nullable', 'c.column_default', 'c.is_identity'])
    .where('c.table_schema', '=', 'public')
    .where('c.table_name', 'not like', 'kysely_%')
    .execute();
  const keys = await db
    .selectFrom('information_schema.table_constraints as tc')
    .innerJoin('information_schema.key_column_usage as k', (j) => j.onRef('k.constraint_name', '=', 'tc.constraint_name').onRef('k.table_name', '=', 'tc.table_name'))
    .leftJoin('information_schema.constraint_column_usage as r', (j) => j.onRef('r.constraint_name', '=', 'tc.constraint_name'))
    .select(['tc.table_name', 'tc.constraint_type', 'k.column_name', 'r.table_name as ref_table', 'r.column_name as ref_column'])
    .where('tc.table_schema', '=', 'public')
    .where('tc.constraint_type', 'in', ['PRIMARY KEY', 'FOREIGN KEY'])
    .execute();
  for (const c of cols) {
    const pk = keys.some((k) => k.table_name === c.table_name && k.column_name === c.column_name && k.constraint_type === 'PRIMARY KEY');
    const fk = keys.find((k) => k.table_name === c.table_name && k.column_name === c.column_name && k.constraint_type === 'FOREIGN KEY');
    (schema.columns[c.table_name] ??= {})[c.column_name] = {
      // varchar(n) from a migration shared by both databases stays varchar on PostgreSQL; like text, it holds any length.
      type: c.data_type === 'character varying' ? 'text' : c.data_type,
      notNull: c.is_nullable === 'NO',
      default: c.column_default === null ? null : String(c.column_default).replace(/::text$/, '').replace(/^\((.*)\)$/, '$1'),
      primaryKey: pk,
      identity: c.is_identity === 'YES',
      references: fk ? `${fk.ref_table}.${fk.ref_column}` : null,
    };
  }
  const indexes = await db
    .selectFrom('pg_indexes')
    .select(['tablename', 'indexname', 'indexdef'])
    .where('schemaname', '=', 'public')
    .where('tablename', 'not like', 'kysely_%')
    .execute();
  // A primary key's index is named after its constraint (`t_pkey`, or the name a migration gave it).
  const primaryKeys = new Set(
    (await db.selectFrom('information_schema.table_constraints').select('constraint_name').where('table_schema', '=', 'public').where('constraint_type', '=', 'PRIMARY KEY').execute()).map((r) => r.constraint_name),
  );
  for (const ix of indexes) {
    const columns = /\((.*)\)$/.exec(ix.indexdef)![1]!;
    if (primaryKeys.has(ix.indexname)) continue;
    if (/^CREATE UNIQUE INDEX/.test(ix.indexdef)) schema.unique.push(`${ix.tablename}(${columns})`);
    else schema.indexes.push(`${ix.indexname}: ${ix.tablename}(${columns})`);
  }
  return schema;
}

/** Numbers in defaults are text in SQLite's catalogue; compare the column maps table by table, sorted. */
function normalised(s: Schema) {
  return {
    columns: Object.fromEntries(Object.entries(s.columns).sort(([a], [b]) => a.localeCompare(b))),
    unique: [...s.unique].sort(),
    indexes: [...s.indexes].sort(),
  };
}

describe('the PostgreSQL baseline and the SQLite migrations build the same schema', () => {
  const adminUrl = inject('pgAdminUrl');
  let name: string;
  let pgDb: Kysely<any>;
  let lite: OpenedDatabase;

  beforeAll(async () => {
    name = await createEmptyDatabase(adminUrl, 'coverage_bot_parity');
    pgDb = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: urlOfDatabase(adminUrl, name), max: 2 }) }) });
    await migrateToLatest(pgDb, migrationsFor('postgres'));
    lite = openDatabase(':memory:');
    await migrateToLatest(lite.db, migrationsFor('sqlite'));
  });
  afterAll(async () => {
    await pgDb?.destroy();
    await lite?.close();
    if (name) await dropDatabase(adminUrl, name);
  });

  it('has the same tables, columns, types (mapped, or the real types listed), nullability, defaults, keys, unique constraints and indexes', async () => {
    const expected = normalised(withRealTypes(sqliteSchema(lite)));
    const actual = normalised(await postgresSchema(pgDb));
    expect(Object.keys(actual.columns)).toEqual(Object.keys(expected.columns));
    for (const table of Object.keys(expected.columns)) {
      expect({ table, columns: actual.columns[table] }).toEqual({ table, columns: expected.columns[table] });
    }
    expect(actual.unique).toEqual(expected.unique);
    expect(actual.indexes).toEqual(expected.indexes);
  });

  it('uses exactly the listed real types where the SQLite types map otherwise', async () => {
    const lite_ = sqliteSchema(lite);
    const actual = (await postgresSchema(pgDb)).columns;
    const differing: Record<string, string> = {};
    for (const [table, columns] of Object.entries(actual)) {
      for (const [column, c] of Object.entries(columns)) {
        if (c.type !== lite_.columns[table]?.[column]?.type) differing[`${table}.${column}`] = c.type;
      }
    }
    expect(differing).toEqual(REAL_TYPES);
  });

  it('compares text bytewise on PostgreSQL, as SQLite does, whatever the database locale', async () => {
    const collations = await pgDb
      .selectFrom('information_schema.columns')
      .select(['table_name', 'column_name', 'collation_name'])
      .where('table_schema', '=', 'public')
      .where('data_type', '=', 'text')
      .where('table_name', 'not like', 'kysely_%')
      .execute();
    expect(collations.length).toBeGreaterThan(100);
    expect(collations.filter((c) => c.collation_name !== 'C')).toEqual([]);
  });
});
