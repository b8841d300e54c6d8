import { retallyGrievance } from './grievance-tallies.ts';
import { UserError } from '../errors.ts';
import { chatsOfUnit } from './chats.ts';
import { type GrievanceContext, type GrievanceView, findGrievanceById } from './grievances.ts';

export const DEFAULT_WITHDRAW_HOURS = 24;

/** The campaign's window for withdrawing a mistaken grievance, in hours. */
export function withdrawWindowHours(ctx: Pick<GrievanceContext, 'campaign'>): number {
  return ctx.campaign.definition.grievances.withdrawWithinHours ?? DEFAULT_WITHDRAW_HOURS;
}

/**
 * Withdraws a grievance recorded by mistake (撤回): only the person who recorded it, within the campaign's window,
 * and not once it is resolved. The row stays (status 已撤回, audited, with its history); it no longer counts as open
 * or overdue, and the groups it was sent to are told.
 */
export async function withdrawGrievance(
  ctx: GrievanceContext, g: GrievanceView, reason: string | null, opts: { undoOf?: number } = {},
): Promise<GrievanceView> {
  if (g.createdBy !== ctx.actor.openId) throw new UserError(`诉求 ${g.code} 不是您登记的，只有登记人可以撤回，未作改动。如需办理，请用“受理 / 转办 / 办结”。`);
  if (g.status === '已撤回') throw new UserError(`诉求 ${g.code} 已经撤回过了。`);
  if (g.status === '已办结') throw new UserError(`诉求 ${g.code} 已办结，不能撤回。`);
  const hours = withdrawWindowHours(ctx);
  if (ctx.now.getTime() - Date.parse(g.createdAt) > hours * 3_600_000) {
    throw new UserError(`诉求 ${g.code} 登记已超过 ${hours} 小时，不能撤回，未作改动。如确属误登，请联系街道处理。`);
  }
  const at = ctx.now.toISOString();
  const r = await ctx.db.updateTable('grievances').set({ status: '已撤回', updated_at: at }).where('id', '=', g.id).where('status', '=', g.status).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new UserError(`诉求 ${g.code} 刚被他人处理过，请刷新后再试。`);
  await ctx.db
    .insertInto('grievance_events')
    .values({ grievance_id: g.id, at, actor: ctx.actor.openId, action: 'withdraw', from_status: g.status, to_status: '已撤回', department_id: g.departmentId, note: reason })
    .execute();
  const after = (await findGrievanceById(ctx.db, g.id))!;
  await retallyGrievance(ctx.db, g, after);
  await ctx.audit({
    action: 'grievance.withdraw', entity: 'grievance', entityId: g.code,
    before: { code: g.code, status: g.status, department: g.department }, after: { code: g.code, status: '已撤回', reason },
    // Through 撤销 the withdrawal undoes the recording: neither is a "last change" for the next 撤销.
    undoOf: opts.undoOf,
  });
  if (opts.undoOf !== undefined) await ctx.db.updateTable('audit_log').set({ undone_at: at }).where('id', '=', opts.undoOf).execute();
  let chats = g.departmentId !== null && g.departmentKind !== 'street' ? await chatsOfUnit(ctx.db, { kind: 'department', departmentId: g.departmentId }) : [];
  if (!chats.length) chats = await chatsOfUnit(ctx.db, { kind: 'street' });
  for (const chat of chats) {
    await ctx.send(
      { chatId: chat.chatId },
      { type: 'text', text: `诉求 ${g.code}（${g.compound}）系误登，已由登记人撤回，无需办理。${reason ? `说明：${reason}` : ''}` },
      'grievance-withdrawn',
    );
  }
  return after;
}
