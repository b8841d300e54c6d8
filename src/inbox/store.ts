import type { Db } from '../db/connect.ts';
import type { InboxEventRow } from '../db/schema.ts';

/** 'lark_message' holds the raw (verified) Lark event, normalised when processed; 'message' is already normalised. */
export type InboxKind = 'message' | 'lark_message' | 'card';

export interface InboxInput {
  eventId: string;
  /** For messages: Lark may deliver one message under two event ids; this keeps it to one row. */
  messageId: string | null;
  kind: InboxKind;
  payload: unknown;
}

/** Stores events durably before they are acknowledged. Returns which of them were new. */
export async function storeEvents(db: Db, events: InboxInput[], now: Date): Promise<boolean[]> {
  if (events.length === 0) return [];
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
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

/**
 * Claims one event to process: a new one, or one whose lease ran out (its worker died). Card actions are
 * left a few seconds for the request that received them, which handles them inline.
 */
export async function claimNextEvent(db: Db, now: Date, leaseMs: number, cardGraceMs = 5000): Promise<InboxEventRow | null> {
  const at = now.toISOString();
  const cardCutoff = new Date(now.getTime() - cardGraceMs).toISOString();
  for (let tries = 0; tries < 5; tries++) {
    const candidate = await db
      .selectFrom('inbox_events')
      .select(['id'])
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'new'), eb.or([eb('kind', '<>', 'card'), eb('received_at', '<', cardCutoff)])]),
          eb.and([eb('status', '=', 'processing'), eb('lease_until', '<', at)]),
        ]),
      )
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!candidate) return null;
    const row = await claimEvent(db, candidate.id, now, leaseMs);
    if (row) return row;
  }
  return null;
}

/** Claims a specific event if nobody holds it. */
export async function claimEvent(db: Db, id: number, now: Date, leaseMs: number): Promise<InboxEventRow | null> {
  const at = now.toISOString();
  const r = await db
    .updateTable('inbox_events')
    .set((eb) => ({ status: 'processing', lease_until: new Date(now.getTime() + leaseMs).toISOString(), attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('status', '=', 'new'), eb.and([eb('status', '=', 'processing'), eb('lease_until', '<', at)])]))
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return null;
  return (await db.selectFrom('inbox_events').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function markEventDone(
  db: Db,
  id: number,
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
    .where('id', '=', id)
    .where('status', '=', 'processing')
    .executeTakeFirst();
  // Zero rows: another worker finished this event first; the caller rolls its work back.
  return Number(r.numUpdatedRows) === 1;
}
