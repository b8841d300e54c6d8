import type { Db } from './connect.ts';
import type { BotMessagesTable } from './schema.ts';
import type { Insertable } from 'kysely';

/** Keeps the record of a message the bot sent (replies to it are addressed to the bot); a repeat is a no-op. */
export async function recordBotMessage(db: Db, row: Insertable<BotMessagesTable>): Promise<void> {
  await db.insertInto('bot_messages').values(row).onConflict((oc) => oc.doNothing()).execute();
}

/** Whether the bot sent this message. */
export async function isBotMessage(db: Db, messageId: string): Promise<boolean> {
  const row = await db.selectFrom('bot_messages').select('message_id').where('message_id', '=', messageId).executeTakeFirst();
  return row !== undefined;
}
