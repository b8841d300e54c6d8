import type { Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// The retention job finds handled inbox events by when they were handled, and card tokens by when they expired
// or were used, without reading whole tables.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('inbox_events_handled').on('inbox_events').columns(['status', 'processed_at']).execute();
  await db.schema.createIndex('card_actions_expires').on('card_actions').columns(['expires_at']).execute();
  await db.schema.createIndex('card_actions_consumed').on('card_actions').columns(['consumed_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('card_actions_consumed').ifExists().execute();
  await db.schema.dropIndex('card_actions_expires').ifExists().execute();
  await db.schema.dropIndex('inbox_events_handled').ifExists().execute();
}
