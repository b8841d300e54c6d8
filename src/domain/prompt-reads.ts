import type { Db } from '../db/connect.ts';
import type { ReadReceipt } from '../outbox/messenger.ts';
import { type SentMessage, promptMessages } from './sent-messages.ts';

/** Lark keeps read receipts of the bot's messages for 7 days. */
const RECEIPT_DAYS_MS = 7 * 24 * 3600_000;

/**
 * Who opened a community's prompt card for a period. `readers` is null when it cannot be told (no read receipts in
 * this mode, the scope is missing, or the card is too old); an empty set when there was no card to open.
 */
export interface PromptReads {
  prompts: SentMessage[];
  readers: Set<string> | null;
  reason: string | null;
}

export async function promptReads(
  ctx: { db: Db; now: Date; readReceipts(messageId: string): Promise<ReadReceipt> },
  due: string,
  communityId: number,
): Promise<PromptReads> {
  const prompts = await promptMessages(ctx.db, due, communityId);
  if (!prompts.length) return { prompts, readers: new Set(), reason: 'no prompt was sent' };
  const readers = new Set<string>();
  let unknown: string | null = null;
  let known = 0;
  for (const p of prompts) {
    if (ctx.now.getTime() - Date.parse(p.sentAt) > RECEIPT_DAYS_MS) {
      unknown ??= 'prompt older than 7 days';
      continue;
    }
    const r = await ctx.readReceipts(p.messageId);
    if (!r.known) {
      unknown ??= r.reason;
      continue;
    }
    known++;
    for (const id of r.readers) readers.add(id);
  }
  // One group's answer is enough to tell who read it there; with none, nobody's reading is known.
  return known ? { prompts, readers, reason: null } : { prompts, readers: null, reason: unknown };
}

export type ReadState = 'read' | 'unread' | 'unknown';

/** Whether one person has opened the prompt. */
export function readState(reads: PromptReads | undefined, openId: string): ReadState {
  if (!reads || reads.readers === null) return 'unknown';
  return reads.readers.has(openId) ? 'read' : 'unread';
}
