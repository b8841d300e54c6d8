import type { Db } from '../db/connect.ts';
import type { AuditLogTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import { UserError } from '../errors.ts';
import { canWriteCommunity, writeRefusal } from '../auth/scope.ts';
import { formatChineseDate, localParts } from '../calendar/dates.ts';
import type { ActionSnapshot } from './compound-settings.ts';
import type { TakeoverSnapshot } from './takeover-write.ts';
import { UNDOABLE_ENTITIES, type WriteContext } from './write-context.ts';
import { AFTER_COVERAGE_UNDO, type UndoContext, type UndoSubject } from './after-coverage-undo.ts';

export type AuditRow = Selectable<AuditLogTable>;

/** The compound an undoable audit entry is about. */
export function compoundIdOf(row: { entity: string; entity_id: string }): number {
  return Number(row.entity_id.split(':')[0]);
}

/**
 * The person's last change that 撤销 can revert: every entry written by one handler run (same instant and
 * source), e.g. a takeover report that also set the category.
 */
export async function lastChangeOf(db: Db, openId: string): Promise<AuditRow[]> {
  const last = await db
    .selectFrom('audit_log').selectAll()
    .where('actor', '=', openId).where('entity', 'in', [...UNDOABLE_ENTITIES])
    .where('undo_of', 'is', null).where('undone_at', 'is', null)
    .orderBy('id', 'desc').executeTakeFirst();
  if (!last) return [];
  let q = db
    .selectFrom('audit_log').selectAll()
    .where('actor', '=', openId).where('entity', 'in', [...UNDOABLE_ENTITIES])
    .where('undo_of', 'is', null).where('undone_at', 'is', null)
    .where('at', '=', last.at).where('source_kind', '=', last.source_kind);
  q = last.source_ref === null ? q.where('source_ref', 'is', null) : q.where('source_ref', '=', last.source_ref);
  return q.orderBy('id').execute();
}

/** What a person did last, as 撤销 sees it. */
export type LastAct =
  | { kind: 'change'; rows: AuditRow[] }
  | { kind: 'grievance'; code: string; row: AuditRow }
  | { kind: 'other'; row: AuditRow };

/**
 * The person's very last act that changed something (undos themselves and acts already undone aside): a change
 * 撤销 can revert, a grievance they recorded (which 撤销 withdraws), or something else 撤销 cannot revert
 * (handling a grievance, a binding, a report confirmation). 撤销 never reaches past it to an older change.
 */
export async function lastActOf(db: Db, openId: string): Promise<LastAct | null> {
  const last = await db
    .selectFrom('audit_log').selectAll()
    .where('actor', '=', openId).where('undo_of', 'is', null).where('undone_at', 'is', null)
    .where('action', '<>', 'undo')
    .orderBy('id', 'desc').executeTakeFirst();
  if (!last) return null;
  if ((UNDOABLE_ENTITIES as readonly string[]).includes(last.entity)) return { kind: 'change', rows: await lastChangeOf(db, openId) };
  if (last.action === 'grievance.create') return { kind: 'grievance', code: last.entity_id, row: last };
  return { kind: 'other', row: last };
}

export async function auditRowsByIds(db: Db, ids: number[]): Promise<AuditRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('audit_log').selectAll().where('id', 'in', ids).orderBy('id').execute();
}

export interface UndoTarget {
  row: AuditRow;
  /** The compound (or company, or street) the change was about. */
  compoundName: string;
  communityId: number | null;
  community: string | null;
}

async function describeWho(db: Db, openId: string, self: string): Promise<string> {
  if (openId === self) return '您';
  const b = await db.selectFrom('role_bindings').select('display_name').where('open_id', '=', openId).orderBy('id', 'desc').executeTakeFirst();
  return b?.display_name ?? '其他人';
}

const WHAT: Record<string, string> = { takeover: '入驻信息', category: '类别', upgrade_action: '攻坚行动' };

/** What an undoable change was, in words (入驻信息, 类别, 考核评分, …). */
export function changeLabel(entity: string): string {
  return WHAT[entity] ?? AFTER_COVERAGE_UNDO[entity]?.label ?? entity;
}

/** The compound of a takeover, category or action change; refuses when the person may no longer write it. */
async function compoundSubject(ctx: WriteContext, row: AuditRow): Promise<UndoSubject> {
  const c = await ctx.db
    .selectFrom('compounds').innerJoin('communities', 'communities.id', 'compounds.community_id')
    .select(['compounds.name', 'compounds.community_id', 'communities.name as community'])
    .where('compounds.id', '=', compoundIdOf(row)).executeTakeFirstOrThrow();
  if (!canWriteCommunity(ctx.actor, c.community_id)) throw new UserError(writeRefusal(ctx.actor, c.community));
  return { name: c.name, communityId: c.community_id, community: c.community };
}

/** Reverts the given entries (one change), if nothing changed those records since; audits each undo. */
export async function undoChange(ctx: UndoContext, rows: AuditRow[], timeZone: string): Promise<UndoTarget[]> {
  if (!rows.length) throw new UserError('没有可以撤销的修改。');
  const targets: UndoTarget[] = [];
  for (const row of rows) {
    if (row.actor !== ctx.actor.openId) throw new UserError('只能撤销您本人的修改。');
    if (row.undone_at) throw new UserError('这次修改已经撤销过了。');
    const special = AFTER_COVERAGE_UNDO[row.entity];
    const subject = special ? await special.subject(ctx, row) : await compoundSubject(ctx, row);
    const later = await ctx.db
      .selectFrom('audit_log').select(['actor', 'at'])
      .where('entity', '=', row.entity).where('entity_id', '=', row.entity_id).where('id', '>', row.id)
      // A change that was itself undone (and its undo) left the record as this change made it.
      .where('undone_at', 'is', null).where('undo_of', 'is', null)
      .orderBy('id', 'desc').executeTakeFirst();
    if (later) {
      const when = localParts(new Date(later.at), timeZone);
      const who = await describeWho(ctx.db, later.actor, ctx.actor.openId);
      throw new UserError(`${subject.name}的${changeLabel(row.entity)}在您这次修改之后，已由${who}于${formatChineseDate(when.date)} ${when.time}再次修改，不能撤销，未作改动。如需更正，请直接发送正确的内容。`);
    }
    targets.push({ row, compoundName: subject.name, communityId: subject.communityId, community: subject.community });
  }
  for (const { row } of [...targets].reverse()) {
    const special = AFTER_COVERAGE_UNDO[row.entity];
    if (special) await special.revert(ctx, row);
    else await revert(ctx, row);
    await ctx.db.updateTable('audit_log').set({ undone_at: ctx.now.toISOString() }).where('id', '=', row.id).execute();
    await ctx.audit({
      action: 'undo', entity: row.entity, entityId: row.entity_id,
      before: row.after ? JSON.parse(row.after) : null, after: row.before ? JSON.parse(row.before) : null, undoOf: row.id,
    });
  }
  return targets;
}

async function revert(ctx: WriteContext, row: AuditRow): Promise<void> {
  const compoundId = compoundIdOf(row);
  const at = ctx.now.toISOString();
  const before = row.before ? (JSON.parse(row.before) as unknown) : null;
  const after = row.after ? (JSON.parse(row.after) as unknown) : null;
  if (row.entity === 'takeover') {
    const cur = after as TakeoverSnapshot;
    const prev = before as TakeoverSnapshot | null;
    await ctx.db.updateTable('takeovers').set({ superseded_at: at }).where('id', '=', cur.id).execute();
    if (prev) await ctx.db.updateTable('takeovers').set({ superseded_at: null }).where('id', '=', prev.id).execute();
  } else if (row.entity === 'category') {
    const prev = before as { category: number | null };
    await ctx.db.updateTable('compounds').set({ category: prev.category }).where('id', '=', compoundId).execute();
  } else if (row.entity === 'upgrade_action') {
    const action = row.entity_id.slice(row.entity_id.indexOf(':') + 1);
    const prev = before as ActionSnapshot | null;
    const q = ctx.db.updateTable('upgrade_actions').where('compound_id', '=', compoundId).where('action', '=', action);
    if (prev) await q.set({ state: prev.state, note: prev.note, updated_at: at, updated_by: ctx.actor.openId, source_kind: ctx.source.kind, source_ref: ctx.source.ref }).execute();
    else await ctx.db.deleteFrom('upgrade_actions').where('compound_id', '=', compoundId).where('action', '=', action).execute();
  }
  await ctx.db.updateTable('compounds').set({ updated_at: at }).where('id', '=', compoundId).execute();
}
