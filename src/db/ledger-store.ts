import type { Db } from './connect.ts';

/** A scheduled slot's record: written once, in the same transaction as the slot's messages. */
export interface LedgerEntry {
  key: string;
  kind: string;
  slotAt: Date;
  status: 'sent' | 'missed';
  recordedAt: Date;
  detail: string | null;
}

/** Records a slot unless it is recorded already; returns whether this call recorded it (and so owns the slot). */
export async function recordSlot(db: Db, entry: LedgerEntry): Promise<boolean> {
  const inserted = await db
    .insertInto('reminder_ledger')
    .values({
      reminder_key: entry.key, kind: entry.kind, slot_at: entry.slotAt.toISOString(), status: entry.status,
      recorded_at: entry.recordedAt.toISOString(), detail: entry.detail,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Which of these slot keys are recorded already. */
export async function recordedSlotKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('reminder_ledger').select('reminder_key').where('reminder_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.reminder_key));
}

/** Notes on a slot's record why nothing (or what) was sent; with `status` (e.g. 'skipped') also changes it. */
export async function noteSlot(db: Db, key: string, note: { detail: string; status?: string }): Promise<void> {
  await db
    .updateTable('reminder_ledger')
    .set({ detail: note.detail, ...(note.status ? { status: note.status } : {}) })
    .where('reminder_key', '=', key)
    .execute();
}

/** Whether a slot whose key starts with `prefix` and ends with `suffix` carries this detail. */
export async function slotWithDetailExists(db: Db, key: { prefix: string; suffix: string }, detail: string): Promise<boolean> {
  const row = await db
    .selectFrom('reminder_ledger')
    .select('id')
    .where('reminder_key', 'like', `${key.prefix}%${key.suffix}`)
    .where('detail', '=', detail)
    .executeTakeFirst();
  return row !== undefined;
}
