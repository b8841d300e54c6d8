import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { OutboxMessageRow } from '../db/schema.ts';
import type { Delivery } from './messenger.ts';
import { type UrgentAction, enqueueUrgentFallback } from './enqueue.ts';
import { type OutboxSettlement, settleOutboxMessage } from '../db/outbox-store.ts';
import { inTransaction } from '../db/transaction.ts';

/**
 * How the sender settles outbox actions (加急) as opposed to messages: whoever Lark did not reach gets the plain
 * fallback message, written in the same transaction that settles the action, so it goes exactly once. A refusal
 * (no scope, a group that does not allow it) is logged once per sender, then only at debug level.
 */
export function createActionSettler(db: Db, log: Logger) {
  const logged = new Set<string>();
  return {
    isAction: (row: Pick<OutboxMessageRow, 'op'>) => row.op === 'urgent_app',

    /** After Lark carried it out: fallbacks for the users it reported invalid. */
    async done(trx: Db, row: OutboxMessageRow, result: Delivery, now: Date): Promise<void> {
      if (result.invalidUserIds?.length) await enqueueUrgentFallback(trx, row, result.invalidUserIds, now);
    },

    /** Lark refused it for good (or it ran out of attempts): the row is settled and everyone gets the fallback. */
    async refused(row: OutboxMessageRow, error: string, settle: OutboxSettlement, now: Date): Promise<void> {
      const key = `${row.op}:${error.replace(/\s+/g, ' ').slice(0, 80)}`;
      const fields = { outboxId: row.id, op: row.op, error: error.slice(0, 200) };
      if (logged.has(key)) log.debug(fields, 'Lark refused an action; sending plain messages instead');
      else {
        logged.add(key);
        log.warn(fields, 'Lark refused an action; sending plain messages instead');
      }
      await inTransaction(db, async (trx) => {
        if (!(await settleOutboxMessage(trx, row, settle))) return;
        await enqueueUrgentFallback(trx, row, (JSON.parse(row.content) as UrgentAction).user_id_list, now);
      });
    },
  };
}
