import { formatChineseDate } from '../../src/calendar/dates.ts';
import { deadlineDay } from '../../src/domain/grievance-codes.ts';
import { chatsOfUnit } from '../../src/domain/chats.ts';
import { type GrievanceContext, type GrievanceView, AWAITING_ACCEPTANCE, isOverdue } from '../../src/domain/grievances.ts';
import type { Db } from '../../src/db/connect.ts';
import { maskPhones } from '../../src/logger.ts';
import { GRIEVANCE_ACTIONS, type GrievanceCardTokens, type GrievanceCardView, grievanceCard } from '../../cards/grievance.ts';

/** A due instant is the midnight closing its day: shown as that day, "10月9日（含）". */
export function dueLabel(iso: string | null, timeZone: string): string | null {
  if (!iso) return null;
  return `${formatChineseDate(deadlineDay(iso, timeZone))}（含）`;
}

async function routedBy(db: Db, campaignId: number, g: GrievanceView): Promise<string | null> {
  if (g.ruleCode) {
    const rule = await db.selectFrom('routing_rules').select('topic').where('campaign_id', '=', campaignId).where('code', '=', g.ruleCode).executeTakeFirst();
    return rule ? `按职责分派：${rule.topic}` : null;
  }
  if (g.status === '已转办') return '已转办';
  return g.departmentKind === 'street' ? '无对应职责部门，请街道人工分派' : null;
}

export async function cardView(ctx: GrievanceContext, g: GrievanceView, note?: string): Promise<GrievanceCardView> {
  const tz = ctx.campaign.timezone;
  return {
    // Cards live in group chats: phone numbers in what residents wrote are masked there.
    code: g.code, compound: g.compound, community: g.community, text: maskPhones(g.text), department: g.department ?? '—',
    routedBy: await routedBy(ctx.db, ctx.campaign.id, g), status: g.status, result: g.result === null ? null : maskPhones(g.result),
    acceptDueLabel: dueLabel(g.acceptDueAt, tz), resolveDueLabel: dueLabel(g.resolveDueAt, tz), overdue: isOverdue(g, ctx.now), note,
  };
}

/** Issues fresh single-use tokens for the buttons that fit the grievance's status. */
export async function issueTokens(ctx: GrievanceContext, g: GrievanceView): Promise<GrievanceCardTokens> {
  if (g.status === '已办结' || g.status === '已撤回') return {};
  const payload = { grievanceId: g.id };
  const tokens: GrievanceCardTokens = { transferOpen: await ctx.issueCardToken(GRIEVANCE_ACTIONS.transferOpen, payload) };
  if (AWAITING_ACCEPTANCE.includes(g.status)) tokens.accept = await ctx.issueCardToken(GRIEVANCE_ACTIONS.accept, payload);
  else tokens.resolve = await ctx.issueCardToken(GRIEVANCE_ACTIONS.resolve, payload);
  return tokens;
}

export async function buildGrievanceCard(ctx: GrievanceContext, g: GrievanceView, note?: string) {
  return grievanceCard(await cardView(ctx, g, note), await issueTokens(ctx, g));
}

/**
 * Sends the grievance card to the routed department's working group; without one, to the street's group,
 * then to the 专班 group. Returns the names of the groups it went to ('' when none is bound).
 */
export async function deliverToDepartment(ctx: GrievanceContext, g: GrievanceView): Promise<string> {
  let chats = g.departmentId !== null && g.departmentKind !== 'street' ? await chatsOfUnit(ctx.db, { kind: 'department', departmentId: g.departmentId }) : [];
  let where = g.department ?? '';
  if (chats.length === 0) {
    chats = await chatsOfUnit(ctx.db, { kind: 'street' });
    where = '街道工作群';
  }
  if (chats.length === 0) {
    chats = await chatsOfUnit(ctx.db, { kind: 'zhuanban' });
    where = '专班工作群';
  }
  for (const chat of chats) {
    await ctx.send({ chatId: chat.chatId }, { type: 'card', card: await buildGrievanceCard(ctx, g) }, 'grievance-card');
  }
  return chats.length ? where : '';
}

/** Masks phone numbers in text shown in a group chat; direct chats show them whole. */
export function forChat(ctx: { chat: { type: 'p2p' | 'group' } }, text: string): string {
  return ctx.chat.type === 'group' ? maskPhones(text) : text;
}
