import type { ActionState } from './compounds.ts';
import type { WriteContext } from './write-context.ts';
import { requireWithinLimits } from './field-limits.ts';

export interface SettingResult {
  changed: boolean;
  auditId: number | null;
}

/** Sets a compound's category (1, 2 or 3), with an audit entry. */
export async function setCategory(ctx: WriteContext, compoundId: number, category: 1 | 2 | 3): Promise<SettingResult & { before: number | null }> {
  const row = await ctx.db.selectFrom('compounds').select('category').where('id', '=', compoundId).executeTakeFirstOrThrow();
  const before = row.category ?? null;
  if (before === category) return { changed: false, auditId: null, before };
  await ctx.db.updateTable('compounds').set({ category, updated_at: ctx.now.toISOString() }).where('id', '=', compoundId).execute();
  const auditId = await ctx.audit({ action: 'category.set', entity: 'category', entityId: compoundId, before: { category: before }, after: { category } });
  return { changed: true, auditId, before };
}

export interface ActionSnapshot {
  state: ActionState;
  note: string | null;
}

export const actionEntityId = (compoundId: number, action: string) => `${compoundId}:${action}`;

/** Sets one upgrade action's state (未开始 / 进行中 / 已完成) and note, with an audit entry. */
export async function setActionState(
  ctx: WriteContext, compoundId: number, action: string, state: ActionState, note: string | null,
): Promise<SettingResult & { before: ActionSnapshot | null }> {
  requireWithinLimits({ actionNote: note }, '未作修改');
  const row = await ctx.db.selectFrom('upgrade_actions').select(['state', 'note']).where('compound_id', '=', compoundId).where('action', '=', action).executeTakeFirst();
  const before: ActionSnapshot | null = row ? { state: row.state as ActionState, note: row.note } : null;
  const effectiveNote = note ?? (before && before.state === state ? before.note : null);
  if ((before?.state ?? '未开始') === state && (before?.note ?? null) === effectiveNote) return { changed: false, auditId: null, before };
  const at = ctx.now.toISOString();
  const values = { state, note: effectiveNote, updated_at: at, updated_by: ctx.actor.openId, source_kind: ctx.source.kind, source_ref: ctx.source.ref };
  if (row) await ctx.db.updateTable('upgrade_actions').set(values).where('compound_id', '=', compoundId).where('action', '=', action).execute();
  else await ctx.db.insertInto('upgrade_actions').values({ compound_id: compoundId, action, ...values }).execute();
  await ctx.db.updateTable('compounds').set({ updated_at: at }).where('id', '=', compoundId).execute();
  const after: ActionSnapshot = { state, note: effectiveNote };
  const auditId = await ctx.audit({ action: 'action.set', entity: 'upgrade_action', entityId: actionEntityId(compoundId, action), before, after: { action, ...after } });
  return { changed: true, auditId, before };
}
