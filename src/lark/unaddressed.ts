import type { MessageEvent } from './envelope.ts';
import { normalizeMessage } from './normalize.ts';

/**
 * True only when a message event certainly does not address the bot, judged from the event alone: a group
 * message that does not @-mention the bot and is not a reply. A reply may answer one of the bot's messages, which
 * only the database knows, so replies are never judged here. Without the bot's open_id, only a plain text message
 * that mentions nobody is certain. Such chatter is acknowledged without a durable write.
 */
export function isCertainlyUnaddressed(e: MessageEvent, botOpenId: string | null): boolean {
  const m = e.message;
  if (m.chat_type === 'p2p' || m.parent_id || m.root_id) return false;
  if (!botOpenId) return m.message_type === 'text' && m.mentions.length === 0;
  return !normalizeMessage('', e, botOpenId).mentionedBot;
}
