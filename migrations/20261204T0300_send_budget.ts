import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../src/db/dialect.ts';

// Frozen once landed: add a new migration instead of editing this one.
// Shared by both databases (portable: no id column). On PostgreSQL, where several replicas send for one Lark
// app, every request that counts for Lark's quotas first takes a stamp here (src/db/send-budget.ts), so the
// quotas hold for the whole app; SQLite (one process) paces in memory and leaves the table empty.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('send_budget_stamps')
    .addColumn('scope', isPostgres(db) ? sql`text collate "C"` : 'text', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('send_budget_stamps_scope').on('send_budget_stamps').columns(['scope', 'at_ms']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('send_budget_stamps').ifExists().execute();
}
