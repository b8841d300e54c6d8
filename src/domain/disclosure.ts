/**
 * 公示 (notice §三.2: 服务内容、收费、公共收益、投诉渠道) and the owners' committee (业委会) of each compound.
 * Each change keeps its provenance on the row and an audit entry, and 撤销 restores the value before it.
 */
import type { Db } from '../db/connect.ts';
import { inChunks } from '../db/chunks.ts';
import type { WriteContext } from './write-context.ts';

export const DISCLOSURE_STATES = ['已公示', '未公示'] as const;
export type DisclosureState = (typeof DISCLOSURE_STATES)[number];
export const COMMITTEE_STATES = ['未成立', '筹备中', '已成立', '已备案'] as const;
export type CommitteeState = (typeof COMMITTEE_STATES)[number];
/** A committee that exists: 已成立 or 已备案. */
export const COMMITTEE_FORMED: readonly CommitteeState[] = ['已成立', '已备案'];

export interface DatedState<S extends string> {
  state: S;
  onDate: string | null;
}

export const disclosureEntityId = (compoundId: number, item: string) => `${compoundId}:${item}`;
export const committeeEntityId = (compoundId: number) => String(compoundId);

/** Each item's 公示 at one compound (an item never recorded is absent). */
export async function disclosuresOf(db: Db, compoundId: number): Promise<Map<string, DatedState<DisclosureState>>> {
  const rows = await db.selectFrom('compound_disclosures').select(['item', 'state', 'on_date']).where('compound_id', '=', compoundId).execute();
  return new Map(rows.map((r) => [r.item, { state: r.state as DisclosureState, onDate: r.on_date }]));
}

/** The 业委会 state of each of these compounds that has one recorded. */
export async function committeeStates(db: Db, compoundIds: number[]): Promise<Map<number, CommitteeState>> {
  const rows = await inChunks(compoundIds, (ids) => db.selectFrom('compound_committees').select(['compound_id', 'state']).where('compound_id', 'in', ids).execute());
  return new Map(rows.map((r) => [r.compound_id, r.state as CommitteeState]));
}

export async function committeeOf(db: Db, compoundId: number): Promise<DatedState<CommitteeState> | null> {
  const r = await db.selectFrom('compound_committees').select(['state', 'on_date']).where('compound_id', '=', compoundId).executeTakeFirst();
  return r ? { state: r.state as CommitteeState, onDate: r.on_date } : null;
}

const provenance = (ctx: WriteContext) => ({
  updated_at: ctx.now.toISOString(), updated_by: ctx.actor.openId, source_kind: ctx.source.kind, source_ref: ctx.source.ref, source_chat: ctx.chat.id,
});

/** Sets one item's 公示; unchanged → nothing written. */
export async function setDisclosure(
  ctx: WriteContext, compoundId: number, item: string, next: DatedState<DisclosureState>,
): Promise<{ changed: boolean; auditId: number | null; before: DatedState<DisclosureState> | null }> {
  const before = (await disclosuresOf(ctx.db, compoundId)).get(item) ?? null;
  const onDate = next.onDate ?? (before?.state === next.state ? before.onDate : null);
  if (before && before.state === next.state && before.onDate === onDate) return { changed: false, auditId: null, before };
  const values = { state: next.state, on_date: onDate, ...provenance(ctx) };
  if (before) await ctx.db.updateTable('compound_disclosures').set(values).where('compound_id', '=', compoundId).where('item', '=', item).execute();
  else await ctx.db.insertInto('compound_disclosures').values({ compound_id: compoundId, item, ...values }).execute();
  const auditId = await ctx.audit({ action: 'disclosure.set', entity: 'disclosure', entityId: disclosureEntityId(compoundId, item), before, after: { item, state: next.state, onDate } });
  return { changed: true, auditId, before };
}

/** Sets the 业委会 state; unchanged → nothing written. */
export async function setCommittee(
  ctx: WriteContext, compoundId: number, next: DatedState<CommitteeState>,
): Promise<{ changed: boolean; auditId: number | null; before: DatedState<CommitteeState> | null }> {
  const before = await committeeOf(ctx.db, compoundId);
  const onDate = next.onDate ?? (before?.state === next.state ? before.onDate : null);
  if (before && before.state === next.state && before.onDate === onDate) return { changed: false, auditId: null, before };
  const values = { state: next.state, on_date: onDate, ...provenance(ctx) };
  if (before) await ctx.db.updateTable('compound_committees').set(values).where('compound_id', '=', compoundId).execute();
  else await ctx.db.insertInto('compound_committees').values({ compound_id: compoundId, ...values }).execute();
  const auditId = await ctx.audit({ action: 'committee.set', entity: 'committee', entityId: committeeEntityId(compoundId), before, after: { state: next.state, onDate } });
  return { changed: true, auditId, before };
}

/** 撤销: the value before the change, or no record at all. */
export async function revertDisclosure(ctx: WriteContext, compoundId: number, item: string, before: DatedState<DisclosureState> | null): Promise<void> {
  const q = ctx.db.deleteFrom('compound_disclosures').where('compound_id', '=', compoundId).where('item', '=', item);
  if (!before) await q.execute();
  else await ctx.db.updateTable('compound_disclosures').set({ state: before.state, on_date: before.onDate, ...provenance(ctx) }).where('compound_id', '=', compoundId).where('item', '=', item).execute();
}

export async function revertCommittee(ctx: WriteContext, compoundId: number, before: DatedState<CommitteeState> | null): Promise<void> {
  if (!before) await ctx.db.deleteFrom('compound_committees').where('compound_id', '=', compoundId).execute();
  else await ctx.db.updateTable('compound_committees').set({ state: before.state, on_date: before.onDate, ...provenance(ctx) }).where('compound_id', '=', compoundId).execute();
}
