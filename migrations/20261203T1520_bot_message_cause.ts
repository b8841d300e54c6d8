import type { Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// Which cause (e.g. the reminder key `job:report-prompt:2020-10-01:community:3`) sent a message, so later steps can
// find it again: read receipts and 加急 of the prompt, and the prompt card's update when the community confirms.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bot_messages').addColumn('cause', 'varchar(200)').execute();
  await db.schema.createIndex('bot_messages_cause').on('bot_messages').columns(['cause']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('bot_messages_cause').ifExists().execute();
  await db.schema.alterTable('bot_messages').dropColumn('cause').execute();
}
