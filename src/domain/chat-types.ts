import type { Db } from '../db/connect.ts';
import type { Audience } from '../outbox/audience.ts';

/**
 * The type of the chat a card sits in, from the bot's record of what it sent: by the card's message id, else by
 * any message the bot sent to that chat. A card callback carries no chat type; unknown means group.
 */
export async function chatTypeOf(db: Db, where: { messageId: string | null; chatId: string | null }): Promise<Audience> {
  if (where.messageId) {
    const row = await db.selectFrom('bot_messages').select('chat_type').where('message_id', '=', where.messageId).executeTakeFirst();
    if (row?.chat_type === 'p2p' || row?.chat_type === 'group') return row.chat_type;
  }
  if (where.chatId) {
    const rows = await db.selectFrom('bot_messages').select('chat_type').where('chat_id', '=', where.chatId).where('chat_type', 'is not', null).limit(2).execute();
    const types = new Set(rows.map((r) => r.chat_type));
    if (types.size === 1 && types.has('p2p')) return 'p2p';
  }
  return 'group';
}
