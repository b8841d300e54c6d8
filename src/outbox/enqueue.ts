import crypto from 'node:crypto';
import type { Db } from '../db/connect.ts';
import type { OutgoingContent } from '../bot/types.ts';
import { renderText } from '../text/text-markup.ts';
import { type Audience, forAudience } from './audience.ts';
import { insertOutboxMessage } from '../db/outbox-store.ts';

export type OutboxOp = 'reply' | 'send' | 'patch' | 'urgent_app';
export type TargetType = 'message_id' | 'chat_id' | 'open_id';

export interface OutgoingItem {
  /** What caused this message (an event id, a reminder key); with `seq` it fixes the uuid. */
  cause: string;
  seq: number;
  op: OutboxOp;
  target: string;
  targetType: TargetType;
  /** The chat or user the send counts against for pacing. */
  paceKey: string;
  content: OutgoingContent;
  purpose?: string;
  /** The type of the chat it lands in; omitted = unknown, treated as a group (phones masked). */
  audience?: Audience;
}

/** The idempotency key Lark honours for an hour; the same cause and position always give the same uuid. */
export function outboxUuid(cause: string, seq: number): string {
  return crypto.createHash('sha256').update(`${cause}#${seq}`).digest('hex').slice(0, 40);
}

/**
 * Writes an outgoing message into the outbox, in the caller's transaction; a repeat of the same cause is a no-op.
 * Everything the bot sends passes here: phones are masked for groups, and text is rendered inert (user markup
 * neutralised, only the bot's own mentions live).
 */
export async function enqueueOutgoing(db: Db, item: OutgoingItem, now: Date): Promise<string> {
  const uuid = outboxUuid(item.cause, item.seq);
  const audience = item.audience ?? 'group';
  const c = forAudience(item.content, audience);
  const msgType = c.type === 'text' ? 'text' : c.type === 'card' ? 'interactive' : 'file';
  const content = c.type === 'text' ? JSON.stringify({ text: renderText(c.text) }) : c.type === 'card' ? JSON.stringify(c.card) : '';
  await insertOutboxMessage(db, {
    uuid,
    op: item.op,
    target: item.target,
    target_type: item.targetType,
    pace_key: item.paceKey,
    msg_type: msgType,
    content,
    file_name: c.type === 'file' ? c.fileName : null,
    file_data: c.type === 'file' ? c.data : null,
    file_key: null,
    cause: item.purpose ? `${item.cause}|${item.purpose}` : item.cause,
    status: 'pending',
    next_attempt_at: now.toISOString(),
    lease_until: null,
    created_at: now.toISOString(),
    sent_at: null,
    result_message_id: null,
    last_error: null,
    chat_type: audience,
  });
  return uuid;
}

/**
 * Shows a card action's result on its card later (its callback was already answered, or nobody waits for it any
 * more). One patch per card action event, whichever path gets there.
 */
export async function enqueueCardPatch(
  db: Db,
  eventId: string,
  card: { messageId: string; chatId: string | null; audience?: Audience },
  content: Record<string, unknown>,
  now: Date,
): Promise<void> {
  await enqueueOutgoing(
    db,
    {
      cause: `${eventId}:patch`, seq: 1, op: 'patch', target: card.messageId, targetType: 'message_id', paceKey: card.chatId ?? card.messageId,
      content: { type: 'card', card: content }, audience: card.audience,
    },
    now,
  );
}

/** What an urgent (加急) outbox row carries: whom to buzz, and what to send each one instead if Lark refuses. */
export interface UrgentAction {
  user_id_list: string[];
  fallback_text: string;
}

/**
 * 加急 in the app (`PATCH /im/v1/messages/:id/urgent_app`) as an outbox action: written in the caller's transaction
 * under a uuid from its cause, carried out by the sender outside it. If Lark refuses it (no scope, not allowed in
 * that group, a user it cannot reach), each user not reached gets `fallbackText` as a direct message instead.
 */
export async function enqueueUrgent(
  db: Db,
  item: { cause: string; seq: number; messageId: string; paceKey: string; userIds: string[]; fallbackText: string; purpose?: string },
  now: Date,
): Promise<string> {
  const uuid = outboxUuid(item.cause, item.seq);
  const action: UrgentAction = { user_id_list: item.userIds, fallback_text: item.fallbackText };
  await insertOutboxMessage(db, {
    uuid, op: 'urgent_app', target: item.messageId, target_type: 'message_id', pace_key: item.paceKey, msg_type: 'action',
    content: JSON.stringify(action), file_name: null, file_data: null, file_key: null,
    cause: item.purpose ? `${item.cause}|${item.purpose}` : item.cause, status: 'pending', next_attempt_at: now.toISOString(),
    lease_until: null, created_at: now.toISOString(), sent_at: null, result_message_id: null, last_error: null,
  });
  return uuid;
}

/**
 * The plain messages that stand in for an urgent action Lark did not carry out for `userIds`, written in the same
 * transaction that settles the action row (so they are sent once).
 */
export async function enqueueUrgentFallback(db: Db, row: { cause: string; content: string }, userIds: string[], now: Date): Promise<void> {
  const action = JSON.parse(row.content) as UrgentAction;
  const [cause, purpose] = row.cause.split('|');
  let seq = 0;
  for (const openId of userIds) {
    await enqueueOutgoing(
      db,
      { cause: `${cause}:fallback`, seq: ++seq, op: 'send', target: openId, targetType: 'open_id', paceKey: openId, content: { type: 'text', text: action.fallback_text }, purpose: `${purpose ?? 'urgent'}-fallback` },
      now,
    );
  }
}
