import type { Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// Holidays and make-up workdays admins enter with 日历, for years the holiday package does not know yet or a day
// decided differently. A removed override keeps its row (removed_at), so the history stays.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendar_overrides')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('date', 'varchar(10)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('name', 'varchar(100)')
    .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('removed_at', 'varchar(32)')
    .addColumn('removed_by', 'varchar(64)')
    .execute();
  await db.schema.createIndex('calendar_overrides_date').on('calendar_overrides').columns(['campaign_id', 'date', 'removed_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('calendar_overrides_date').ifExists().execute();
  await db.schema.dropTable('calendar_overrides').ifExists().execute();
}
