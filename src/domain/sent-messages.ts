import type { Db } from '../db/connect.ts';

export interface SentMessage {
  messageId: string;
  /** The chat it went to (a group's chat_id, or the person's open_id for a direct message). */
  chatId: string | null;
  sentAt: string;
}

/** The messages one scheduled slot sent with one purpose (e.g. the prompt cards of `report-prompt:<due>:community:<id>`). */
export async function messagesOfSlot(db: Db, slotKey: string, purpose: string): Promise<SentMessage[]> {
  const rows = await db
    .selectFrom('bot_messages')
    .select(['message_id', 'chat_id', 'sent_at'])
    .where('cause', '=', `job:${slotKey}|${purpose}`)
    .orderBy('sent_at')
    .execute();
  return rows.map((r) => ({ messageId: r.message_id, chatId: r.chat_id, sentAt: r.sent_at }));
}

/** The key of the prompt slot of a community for a period, as the report-prompt job writes it. */
export const promptSlotKey = (due: string, communityId: number) => `report-prompt:${due}:community:${communityId}`;

/** The prompt cards a community's groups got for a period. */
export function promptMessages(db: Db, due: string, communityId: number): Promise<SentMessage[]> {
  return messagesOfSlot(db, promptSlotKey(due, communityId), 'report-prompt');
}
