import crypto from 'node:crypto';
import type { Updateable } from 'kysely';
import type { Db } from './connect.ts';
import { isPostgres } from './dialect.ts';
import type { NewOutboxMessage, OutboxMessageRow, OutboxMessagesTable } from './schema.ts';

/** Writes an outbox row; a row with the same uuid already there makes this a no-op (the same cause sends once). */
export async function insertOutboxMessage(db: Db, row: NewOutboxMessage): Promise<void> {
  await db.insertInto('outbox_messages').values(row).onConflict((oc) => oc.doNothing()).execute();
}

/** What the sender needs to schedule a due row; contents (and file data) are read for the rows actually claimed. */
export type DueOutboxRow = Pick<OutboxMessageRow, 'id' | 'pace_key' | 'msg_type' | 'file_key'>;

/** Pending rows due by `now` that nobody holds, oldest first. */
export async function dueOutboxMessages(db: Db, now: Date, limit: number): Promise<DueOutboxRow[]> {
  const at = now.toISOString();
  return db
    .selectFrom('outbox_messages')
    .select(['id', 'pace_key', 'msg_type', 'file_key'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', at)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Takes a row for sending (nobody else holds it) and returns it whole, in one statement. The lease is the expiry
 * followed by a random tag (as in the inbox): it says until when and by which claim the row is held, and string
 * comparison with an ISO instant still orders by the expiry. On PostgreSQL a row another replica is claiming at
 * this moment is skipped (SKIP LOCKED) rather than waited for.
 */
export async function claimOutboxMessage(db: Db, id: number, now: Date, leaseMs: number): Promise<OutboxMessageRow | undefined> {
  const at = now.toISOString();
  const stamp = `${new Date(now.getTime() + leaseMs).toISOString()}#${crypto.randomBytes(6).toString('hex')}`;
  return db
    .updateTable('outbox_messages')
    .set({ lease_until: stamp })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
    .$if(isPostgres(db), (q) => q.where('id', 'in', (eb) => eb.selectFrom('outbox_messages').select('id').where('id', '=', id).forUpdate().skipLocked()))
    .returningAll()
    .executeTakeFirst();
}

/** The fields a send attempt's outcome sets on its row. */
export type OutboxSettlement = Updateable<OutboxMessagesTable>;

/**
 * Records the outcome of a send attempt on its row (sent, retry later, or given up), only while this claim still
 * holds it (`row.lease_until` is the claim's stamp): a replica whose lease ran out and was taken over changes
 * nothing. Returns whether it did.
 */
export async function settleOutboxMessage(db: Db, row: { id: number; lease_until: string | null }, fields: OutboxSettlement): Promise<boolean> {
  const r = await db.updateTable('outbox_messages').set(fields).where('id', '=', row.id).where('lease_until', '=', row.lease_until ?? '').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** How many rows still wait to be sent. */
export async function countPendingOutbox(db: Db): Promise<number> {
  const row = await db
    .selectFrom('outbox_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** How many outbox rows there are in each status (for /metrics). */
export async function countOutboxByStatus(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('outbox_messages')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

/** When the oldest row still waiting to be sent was written (ISO instant), or null when none waits. */
export async function oldestPendingOutboxAt(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('outbox_messages')
    .select((eb) => eb.fn.min('created_at').as('oldest'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return (row?.oldest as string | null | undefined) ?? null;
}
