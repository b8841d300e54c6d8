import { type Kysely, sql } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.

/**
 * PostgreSQL only: real types for a focused set of columns that until now mirrored SQLite (ISO text, 0/1 integers,
 * JSON text). src/db/postgres.ts reads them back as SQLite would (ISO text with milliseconds, 1/0, JSON text), so no
 * query or caller forks; writes are unchanged (PostgreSQL's input functions take '1'/'0', JSON text and ISO instants).
 *
 * Chosen because the code always writes them one way: `passed` as 1/0; the JSON arrays via JSON.stringify (arrays
 * keep their order in jsonb; objects would not keep their key order, so scores/items stay text); the instants via
 * `toISOString()` and compared only with ISO instants, never with LIKE, substr or concatenation. Everything else
 * (lease stamps, payloads, snapshots, audit, kv settings, calendar dates) stays text.
 */
const booleans: [string, string][] = [['assessments', 'passed']];

const jsonArrays: [string, string, boolean][] = [
  // table, column, has default '[]'
  ['communities', 'aliases', true],
  ['departments', 'aliases', true],
  ['routing_rules', 'keywords', false],
  ['routing_rules', 'phrasings', true],
  ['takeovers', 'services', true],
  ['grievance_routes', 'candidates', true],
];

const instants: [string, string[]][] = [
  ['grievances', ['created_at', 'accepted_at', 'resolved_at', 'accept_due_at', 'resolve_due_at', 'updated_at']],
  ['takeovers', ['recorded_at', 'superseded_at']],
];

const id = (name: string) => sql.id(name);

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column] of booleans) {
    await sql`alter table ${id(table)} alter column ${id(column)} type boolean using ${id(column)} <> 0`.execute(db);
  }
  for (const [table, column, hasDefault] of jsonArrays) {
    if (hasDefault) await sql`alter table ${id(table)} alter column ${id(column)} drop default`.execute(db);
    await sql`alter table ${id(table)} alter column ${id(column)} type jsonb using ${id(column)}::jsonb`.execute(db);
    if (hasDefault) await sql`alter table ${id(table)} alter column ${id(column)} set default '[]'::jsonb`.execute(db);
  }
  // Indexes over these columns (grievances_progress) are rebuilt by ALTER TYPE itself.
  for (const [table, columns] of instants) {
    await sql.raw(`alter table ${table} ${columns.map((c) => `alter column ${c} type timestamptz using ${c}::timestamptz`).join(', ')}`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, columns] of instants) {
    await sql.raw(`alter table ${table} ${columns.map((c) => `alter column ${c} type text collate "C" using to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`).join(', ')}`).execute(db);
  }
  for (const [table, column, hasDefault] of jsonArrays) {
    if (hasDefault) await sql`alter table ${id(table)} alter column ${id(column)} drop default`.execute(db);
    await sql`alter table ${id(table)} alter column ${id(column)} type text collate "C" using ${id(column)}::text`.execute(db);
    if (hasDefault) await sql`alter table ${id(table)} alter column ${id(column)} set default '[]'`.execute(db);
  }
  for (const [table, column] of booleans) {
    await sql`alter table ${id(table)} alter column ${id(column)} type integer using case when ${id(column)} then 1 else 0 end`.execute(db);
  }
}
