import type { Db } from '../db/connect.ts';
import type { RetentionPolicy } from '../campaign/schema.ts';
import { inTransaction } from '../db/transaction.ts';

const DAY_MS = 24 * 3600 * 1000;

/** Inbox statuses of events that are finished with; 'new' and 'processing' are never pruned. */
const HANDLED = ['done', 'ignored', 'failed'];
/** Outbox statuses of messages that will not be sent again; 'pending' is never pruned. */
const FINISHED = ['sent', 'dead'];

export interface PruneCounts {
  inbox: number;
  outbox: number;
  cardTokens: number;
}

export interface PruneCutoffs {
  /** Handled inbox events handled before this go (their decrypted texts with them). */
  inbox: string;
  /** Sent or given-up outbox messages last tried before this go. */
  outbox: string;
  /** Card tokens that expired, or were used, before this go; a token still valid never does. */
  cardTokens: string;
}

export function pruneCutoffs(policy: RetentionPolicy, now: Date): PruneCutoffs {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  return { inbox: before(policy.inboxDays), outbox: before(policy.outboxDays), cardTokens: before(policy.cardTokenDays) };
}

/**
 * Deletes at most `batch` rows of each kind that the policy no longer keeps, in one short transaction, oldest
 * first; call again until it returns less than `batch` everywhere. The schema keeps every period at a day or
 * more, so what de-duplication needs (Lark retries an event for about 7 hours; a uuid counts for one hour) stays.
 */
export async function pruneBatch(db: Db, cutoffs: PruneCutoffs, batch: number): Promise<PruneCounts> {
  return inTransaction(db, async (trx) => {
    const inbox = await trx
      .deleteFrom('inbox_events')
      .where('id', 'in', (eb) =>
        eb.selectFrom('inbox_events').select('id').where('status', 'in', HANDLED).where('processed_at', '<', cutoffs.inbox).orderBy('id').limit(batch),
      )
      .executeTakeFirst();
    // next_attempt_at is the last time a message was tried (sent rows are sent then, or within the hour after).
    const outbox = await trx
      .deleteFrom('outbox_messages')
      .where('id', 'in', (eb) =>
        eb.selectFrom('outbox_messages').select('id').where('status', 'in', FINISHED).where('next_attempt_at', '<', cutoffs.outbox).orderBy('id').limit(batch),
      )
      .executeTakeFirst();
    const tokens = await trx
      .deleteFrom('card_actions')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('card_actions')
          .select('id')
          .where((w) => w.or([w('expires_at', '<', cutoffs.cardTokens), w('consumed_at', '<', cutoffs.cardTokens)]))
          .orderBy('id')
          .limit(batch),
      )
      .executeTakeFirst();
    return { inbox: Number(inbox.numDeletedRows), outbox: Number(outbox.numDeletedRows), cardTokens: Number(tokens.numDeletedRows) };
  });
}
