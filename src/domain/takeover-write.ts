import type { Db } from '../db/connect.ts';
import type { TakeoversTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import type { WriteContext } from './write-context.ts';
import type { TakeoverFields } from './compounds.ts';
import { requireTakeoverWithinLimits } from './field-limits.ts';

export type TakeoverData = TakeoverFields;

/** A takeover as the audit log keeps it: the row id plus its data. */
export interface TakeoverSnapshot extends TakeoverData {
  id: number;
}

export type TakeoverRow = Selectable<TakeoversTable>;

export async function currentTakeover(db: Db, compoundId: number): Promise<TakeoverRow | undefined> {
  return db.selectFrom('takeovers').selectAll().where('compound_id', '=', compoundId).where('superseded_at', 'is', null).orderBy('id', 'desc').executeTakeFirst();
}

export function snapshotOf(row: TakeoverRow): TakeoverSnapshot {
  return {
    id: row.id, company: row.company, nature: row.nature, startDate: row.start_date,
    services: JSON.parse(row.services) as string[], manager: row.manager, phone: row.phone, remarks: row.remarks,
  };
}

export function sameTakeover(a: TakeoverData, b: TakeoverData): boolean {
  return a.company === b.company && a.nature === b.nature && a.startDate === b.startDate && a.manager === b.manager &&
    a.phone === b.phone && a.remarks === b.remarks && JSON.stringify(a.services) === JSON.stringify(b.services);
}

export interface RecordResult {
  changed: boolean;
  auditId: number | null;
  before: TakeoverSnapshot | null;
  after: TakeoverSnapshot | null;
}

/**
 * Records a takeover or a correction of it. History is kept: the new data is a new row and the previous row is
 * stamped superseded. Provenance (who, which message or card, which chat) goes on the row and in the audit log.
 */
export async function recordTakeover(ctx: WriteContext, compoundId: number, data: TakeoverData): Promise<RecordResult> {
  requireTakeoverWithinLimits(data);
  const prev = await currentTakeover(ctx.db, compoundId);
  const before = prev ? snapshotOf(prev) : null;
  if (before && sameTakeover(before, data)) return { changed: false, auditId: null, before, after: before };
  const at = ctx.now.toISOString();
  if (prev) await ctx.db.updateTable('takeovers').set({ superseded_at: at }).where('id', '=', prev.id).execute();
  const row = await ctx.db
    .insertInto('takeovers')
    .values({
      compound_id: compoundId, company: data.company, nature: data.nature, start_date: data.startDate,
      services: JSON.stringify(data.services), manager: data.manager, phone: data.phone, remarks: data.remarks,
      recorded_at: at, recorded_by: ctx.actor.openId, source_kind: ctx.source.kind, source_ref: ctx.source.ref,
      source_chat: ctx.chat.id, superseded_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.db.updateTable('compounds').set({ updated_at: at }).where('id', '=', compoundId).execute();
  const after: TakeoverSnapshot = { id: row.id, ...data };
  const auditId = await ctx.audit({ action: before ? 'takeover.correct' : 'takeover.record', entity: 'takeover', entityId: compoundId, before, after });
  return { changed: true, auditId, before, after };
}
