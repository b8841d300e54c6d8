import { formatChineseDate } from '../../src/calendar/dates.ts';
import { deadlineDay } from '../../src/domain/grievance-codes.ts';
import { chatsOfUnit } from '../../src/domain/chats.ts';
import { type GrievanceContext, type GrievanceView, AWAITING_ACCEPTANCE, isOverdue } from '../../src/domain/grievances.ts';
import type { Db } from '../../src/db/connect.ts';
import { maskPhones } from '../../src/logger.ts';
import { GRIEVANCE_ACTIONS, type GrievanceCardTokens, type GrievanceCardView, type RouteChoice, grievanceCard } from '../../cards/grievance.ts';
import { listDepartments } from '../../src/domain/campaign.ts';
import { type StoredRoute, loadRouteDecision, routingRuleTopic } from '../../src/domain/grievance-routing.ts';

/** A due instant is the midnight closing its day: shown as that day, "10月9日（含）". */
export function dueLabel(iso: string | null, timeZone: string): string | null {
  if (!iso) return null;
  return `${formatChineseDate(deadlineDay(iso, timeZone))}（含）`;
}

async function routedBy(db: Db, campaignId: number, g: GrievanceView, stored: StoredRoute | null): Promise<string | null> {
  if (stored) return stored.reason;
  if (g.ruleCode) {
    const topic = await routingRuleTopic(db, campaignId, g.ruleCode);
    return topic !== null ? `按职责分派：${topic}` : null;
  }
  if (g.status === '已转办') return '已转办';
  return g.departmentKind === 'street' ? '无对应职责部门，请街道人工分派' : null;
}

/**
 * While a grievance the router was unsure about still waits at the fallback department: the likeliest
 * departments to choose from, the optional model's pick first and marked.
 */
async function routeChoices(ctx: GrievanceContext, g: GrievanceView, stored: StoredRoute | null): Promise<{ choices: RouteChoice[]; advice: string | null }> {
  const none = { choices: [], advice: null };
  if (!stored || stored.method !== 'fallback' || g.status !== '待受理' || g.departmentKind === null) return none;
  const departments = await listDepartments(ctx.db, ctx.campaign.id);
  const fallback = departments.find((d) => d.name === ctx.campaign.definition.fallbackDepartment);
  if (!fallback || g.departmentId !== fallback.id) return none;
  const ids = stored.candidates.map((c) => c.departmentId);
  const suggested = stored.modelState === 'done' && stored.modelDepartmentId !== null && stored.modelDepartmentId !== fallback.id ? stored.modelDepartmentId : null;
  if (suggested !== null) {
    const at = ids.indexOf(suggested);
    if (at >= 0) ids.splice(at, 1);
    ids.unshift(suggested);
  }
  const choices = ids
    .slice(0, 3)
    .map((id) => departments.find((d) => d.id === id))
    .filter((d) => d !== undefined)
    .map((d) => ({ departmentId: d.id, departmentName: d.name, suggested: d.id === suggested }));
  const name = choices.find((c) => c.suggested)?.departmentName;
  const advice = name ? `智能研判建议：${name}${stored.modelReason ? `（${stored.modelReason}）` : ''}，仅供参考，请人工确认。` : null;
  return { choices, advice };
}

export async function cardView(ctx: GrievanceContext, g: GrievanceView, note?: string): Promise<GrievanceCardView> {
  const tz = ctx.campaign.timezone;
  const stored = await loadRouteDecision(ctx.db, g.id);
  const { choices, advice } = await routeChoices(ctx, g, stored);
  return {
    // Cards live in group chats: phone numbers in what residents wrote are masked there.
    code: g.code, compound: g.compound, community: g.community, text: maskPhones(g.text), department: g.department ?? '—',
    routedBy: await routedBy(ctx.db, ctx.campaign.id, g, stored), routeChoices: choices, modelAdvice: advice,
    status: g.status, result: g.result === null ? null : maskPhones(g.result),
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
  const view = await cardView(ctx, g, note);
  const tokens = await issueTokens(ctx, g);
  if (view.routeChoices?.length) {
    tokens.route = await ctx.issueCardToken(GRIEVANCE_ACTIONS.route, {
      grievanceId: g.id, fromDepartmentId: g.departmentId, departmentIds: view.routeChoices.map((c) => c.departmentId),
    });
  }
  return grievanceCard(view, tokens);
}

/** The groups a grievance's card goes to: its department's, else the street's, else the 专班's. */
export async function groupsFor(db: Db, g: Pick<GrievanceView, 'departmentId' | 'departmentKind' | 'department'>): Promise<{ chats: { chatId: string }[]; where: string }> {
  let chats = g.departmentId !== null && g.departmentKind !== 'street' ? await chatsOfUnit(db, { kind: 'department', departmentId: g.departmentId }) : [];
  let where = g.department ?? '';
  if (chats.length === 0) {
    chats = await chatsOfUnit(db, { kind: 'street' });
    where = '街道工作群';
  }
  if (chats.length === 0) {
    chats = await chatsOfUnit(db, { kind: 'zhuanban' });
    where = '专班工作群';
  }
  return { chats, where };
}

/**
 * Sends the grievance card to the routed department's working group; without one, to the street's group,
 * then to the 专班 group. Returns the names of the groups it went to ('' when none is bound).
 */
export async function deliverToDepartment(ctx: GrievanceContext, g: GrievanceView): Promise<string> {
  const { chats, where } = await groupsFor(ctx.db, g);
  for (const chat of chats) {
    await ctx.send({ chatId: chat.chatId }, { type: 'card', card: await buildGrievanceCard(ctx, g) }, 'grievance-card');
  }
  return chats.length ? where : '';
}

/** Masks phone numbers in text shown in a group chat; direct chats show them whole. */
export function forChat(ctx: { chat: { type: 'p2p' | 'group' } }, text: string): string {
  return ctx.chat.type === 'group' ? maskPhones(text) : text;
}
