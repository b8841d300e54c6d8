import crypto from 'node:crypto';
import type { Db } from './connect.ts';
import { isPostgres } from './dialect.ts';
import type { InboxEventRow } from './schema.ts';
import { adapterOf } from './adapter.ts';
import { inTransaction } from './transaction.ts';

/** 'lark_message' holds the raw (verified) Lark event, normalised when processed; 'message' is already normalised. */
export type InboxKind = 'message' | 'lark_message' | 'card';

export interface InboxInput {
  eventId: string;
  /** For messages: Lark may deliver one message under two event ids; this keeps it to one row. */
  messageId: string | null;
  kind: InboxKind;
  payload: unknown;
}

/**
 * Stores events durably before they are acknowledged. Returns which of them were new.
 *
 * This commit, and only this one, waits for the disk (the adapter's durable commit; on SQLite synchronous=FULL): an event Lark got a 200 for survives a
 * power cut. Every later commit (processing, sending) survives a process crash, and after a power cut it is redone
 * from the inbox; outbox uuids make the redo send nothing twice. A FULL commit also syncs the log before it.
 */
export async function storeEvents(db: Db, events: InboxInput[], now: Date): Promise<boolean[]> {
  if (events.length === 0) return [];
  const at = now.toISOString();
  return adapterOf(db).withDurableCommit((conn) => insertEvents(conn, events, at));
}

async function insertEvents(db: Db, events: InboxInput[], at: string): Promise<boolean[]> {
  return inTransaction(db, async (trx) => {
    const out: boolean[] = [];
    for (const e of events) {
      const r = await trx
        .insertInto('inbox_events')
        .values({
          event_id: e.eventId, message_id: e.messageId, kind: e.kind, payload: JSON.stringify(e.payload),
          status: 'new', lease_until: null, received_at: at, processed_at: null, response: null, error: null,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      out.push(Number(r.numInsertedOrUpdatedRows ?? 0n) > 0);
    }
    return out;
  });
}

export async function findInboxEvent(db: Db, eventId: string): Promise<InboxEventRow | undefined> {
  return db.selectFrom('inbox_events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
}

/** The stored answer of a processed event (a card action's response), as written by `markEventDone`. */
export async function inboxResponse(db: Db, id: number): Promise<string | null> {
  const row = await db.selectFrom('inbox_events').select('response').where('id', '=', id).executeTakeFirst();
  return row?.response ?? null;
}

/**
 * A lease stamp: the expiry instant followed by a random tag, so each claim is told apart (two workers on one
 * clock) while string comparison with an ISO instant still orders by the expiry.
 */
function leaseStamp(now: Date, leaseMs: number): string {
  return `${new Date(now.getTime() + leaseMs).toISOString()}#${crypto.randomBytes(6).toString('hex')}`;
}

/**
 * Claims events to process, oldest first, in one statement and one commit. An event whose lease ran out (its
 * worker died) is taken back alone, so a crash-looping event is set aside without dragging its neighbours along;
 * new events are taken up to `limit` at a time. A claim does not count as an attempt: `beginAttempt` counts one
 * when processing really starts, so events claimed in a batch by a worker that died before reaching them are not
 * charged for its death. Card actions are left a few seconds for the request that received them, which handles
 * them inline.
 */
export async function claimEventBatch(db: Db, now: Date, leaseMs: number, limit = 50, cardGraceMs = 5000): Promise<InboxEventRow[]> {
  const at = now.toISOString();
  const stale = await db
    .selectFrom('inbox_events')
    .select('id')
    .where('status', '=', 'processing')
    .where('lease_until', '<', at)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (stale) {
    const row = await claimEvent(db, stale.id, now, leaseMs);
    return row ? [row] : [];
  }
  const cardCutoff = new Date(now.getTime() - cardGraceMs).toISOString();
  if (isPostgres(db)) {
    // Replicas claim side by side: each takes rows nobody is claiming at this moment (SKIP LOCKED), in one statement.
    const stamp = leaseStamp(now, leaseMs);
    const rows = await db
      .updateTable('inbox_events')
      .set({ status: 'processing', lease_until: stamp })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('inbox_events')
          .select('id')
          .where('status', '=', 'new')
          .where((w) => w.or([w('kind', '<>', 'card'), w('received_at', '<', cardCutoff)]))
          .orderBy('id')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .where('status', '=', 'new')
      .returningAll()
      .execute();
    return rows.sort((a, b) => a.id - b.id);
  }
  const ids = (
    await db
      .selectFrom('inbox_events')
      .select('id')
      .where('status', '=', 'new')
      .where((eb) => eb.or([eb('kind', '<>', 'card'), eb('received_at', '<', cardCutoff)]))
      .orderBy('id')
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return [];
  const stamp = leaseStamp(now, leaseMs);
  await db
    .updateTable('inbox_events')
    .set({ status: 'processing', lease_until: stamp })
    .where('id', 'in', ids)
    .where('status', '=', 'new')
    .execute();
  return db.selectFrom('inbox_events').selectAll().where('id', 'in', ids).where('lease_until', '=', stamp).orderBy('id').execute();
}

/** Claims a specific event if nobody holds it. */
export async function claimEvent(db: Db, id: number, now: Date, leaseMs: number): Promise<InboxEventRow | null> {
  const at = now.toISOString();
  const stamp = leaseStamp(now, leaseMs);
  const r = await db
    .updateTable('inbox_events')
    .set({ status: 'processing', lease_until: stamp })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('status', '=', 'new'), eb.and([eb('status', '=', 'processing'), eb('lease_until', '<', at)])]))
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return null;
  return (await db.selectFrom('inbox_events').selectAll().where('id', '=', id).where('lease_until', '=', stamp).executeTakeFirst()) ?? null;
}

/**
 * Counts an attempt at a claimed event just before it is processed, in its own commit (so a crash during the
 * processing leaves it counted). Returns the attempt's number, or null when this claim no longer holds the event.
 */
export async function beginAttempt(db: Db, row: { id: number; lease_until: string | null }): Promise<number | null> {
  const r = await db
    .updateTable('inbox_events')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', row.id)
    .where('status', '=', 'processing')
    .where('lease_until', '=', row.lease_until ?? '')
    .returning('attempts')
    .executeTakeFirst();
  return r ? r.attempts : null;
}

/** Gives claimed events back unprocessed (only where this claim still holds them). */
export async function releaseEvents(db: Db, rows: { id: number; lease_until: string | null }[]): Promise<void> {
  for (const row of rows) {
    await db
      .updateTable('inbox_events')
      .set({ status: 'new', lease_until: null })
      .where('id', '=', row.id)
      .where('status', '=', 'processing')
      .where('lease_until', '=', row.lease_until ?? '')
      .execute();
  }
}

/** Finishes a claimed event, only if this claim still holds it (`row.lease_until` is the claim's stamp). */
export async function markEventDone(
  db: Db,
  row: { id: number; lease_until: string | null },
  now: Date,
  outcome: { status: 'done' | 'ignored' | 'failed'; response?: unknown; error?: string },
): Promise<boolean> {
  const r = await db
    .updateTable('inbox_events')
    .set({
      status: outcome.status,
      processed_at: now.toISOString(),
      lease_until: null,
      response: outcome.response === undefined ? null : JSON.stringify(outcome.response),
      error: outcome.error ?? null,
    })
    .where('id', '=', row.id)
    .where('status', '=', 'processing')
    .where('lease_until', '=', row.lease_until ?? '')
    .executeTakeFirst();
  // Zero rows: another worker finished this event first; the caller rolls its work back.
  return Number(r.numUpdatedRows) === 1;
}

/** How many events the inbox holds in each status (for /metrics). */
export async function countInboxByStatus(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('inbox_events')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}
