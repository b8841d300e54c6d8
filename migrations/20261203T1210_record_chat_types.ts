import type { Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// The chat type ('p2p' | 'group') of every message the bot sends, so a card callback (which carries none) can
// tell a group from a direct chat. Unknown (NULL, e.g. rows from before this migration) is treated as a group.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox_messages').addColumn('chat_type', 'varchar(8)').execute();
  await db.schema.alterTable('bot_messages').addColumn('chat_type', 'varchar(8)').execute();
  await db.schema.createIndex('bot_messages_chat').on('bot_messages').columns(['chat_id', 'chat_type']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('bot_messages_chat').ifExists().execute();
  await db.schema.alterTable('bot_messages').dropColumn('chat_type').execute();
  await db.schema.alterTable('outbox_messages').dropColumn('chat_type').execute();
}
