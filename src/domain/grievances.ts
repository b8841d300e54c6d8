import type { Db } from '../db/connect.ts';
import type { Actor } from '../auth/actor.ts';
import type { BotContext } from '../bot/context.ts';
import { UserError } from '../errors.ts';
import { nextGrievanceCode, workingDayDeadline } from './grievance-codes.ts';
import { type RouteResult, markRoutedByPerson } from './grievance-routing.ts';
import { requireWithinLimits } from './field-limits.ts';
import { grievanceOverdueSql } from './progress.ts';
import { countFromTallies, retallyGrievance, tallyGrievance } from './grievance-tallies.ts';

export const GRIEVANCE_STATUSES = ['待受理', '处理中', '已办结', '已转办', '已撤回'] as const;
export type GrievanceStatus = (typeof GRIEVANCE_STATUSES)[number];
/** Statuses that still wait for the routed department to accept. */
export const AWAITING_ACCEPTANCE: readonly GrievanceStatus[] = ['待受理', '已转办'];

/** What a handler needs to change a grievance: the message and card contexts both provide it. */
export type GrievanceContext = Pick<
  BotContext,
  'db' | 'now' | 'actor' | 'campaign' | 'calendar' | 'send' | 'audit' | 'issueCardToken' | 'chat' | 'source' | 'routing' | 'log'
>;

export interface GrievanceView {
  id: number;
  code: string;
  compoundId: number;
  compound: string;
  communityId: number;
  community: string;
  text: string;
  departmentId: number | null;
  department: string | null;
  departmentKind: string | null;
  ruleCode: string | null;
  status: GrievanceStatus;
  result: string | null;
  createdAt: string;
  createdBy: string;
  resolvedAt: string | null;
  acceptDueAt: string | null;
  resolveDueAt: string | null;
}

const selectView = (db: Db) =>
  db
    .selectFrom('grievances')
    .innerJoin('compounds', 'compounds.id', 'grievances.compound_id')
    .innerJoin('communities', 'communities.id', 'compounds.community_id')
    .leftJoin('departments', 'departments.id', 'grievances.department_id')
    .select([
      'grievances.id', 'grievances.code', 'grievances.compound_id', 'compounds.name as compound', 'compounds.community_id',
      'communities.name as community', 'grievances.text', 'grievances.department_id', 'departments.name as department',
      'departments.kind as department_kind', 'grievances.rule_code', 'grievances.status', 'grievances.result',
      'grievances.created_at', 'grievances.created_by', 'grievances.accept_due_at', 'grievances.resolve_due_at',
      'grievances.resolved_at',
    ]);

type ViewRow = Awaited<ReturnType<ReturnType<typeof selectView>['executeTakeFirstOrThrow']>>;

function toView(r: ViewRow): GrievanceView {
  return {
    id: r.id, code: r.code, compoundId: r.compound_id, compound: r.compound, communityId: r.community_id, community: r.community,
    text: r.text, departmentId: r.department_id, department: r.department, departmentKind: r.department_kind, ruleCode: r.rule_code,
    status: r.status as GrievanceStatus, result: r.result, createdAt: r.created_at, createdBy: r.created_by, resolvedAt: r.resolved_at,
    acceptDueAt: r.accept_due_at, resolveDueAt: r.resolve_due_at,
  };
}

export async function findGrievanceByCode(db: Db, campaignId: number, code: string): Promise<GrievanceView | null> {
  const r = await selectView(db).where('grievances.code', '=', code).where('compounds.campaign_id', '=', campaignId).executeTakeFirst();
  return r ? toView(r) : null;
}

export async function findGrievanceById(db: Db, id: number): Promise<GrievanceView | null> {
  const r = await selectView(db).where('grievances.id', '=', id).executeTakeFirst();
  return r ? toView(r) : null;
}

/** Grievances in a scope (all, one community, or one department), newest last. */
export async function listGrievanceViews(
  db: Db,
  campaignId: number,
  scope: { communityId?: number; departmentId?: number; compoundId?: number; statuses?: readonly string[] } = {},
): Promise<GrievanceView[]> {
  let q = selectView(db).where('compounds.campaign_id', '=', campaignId);
  if (scope.compoundId !== undefined) q = q.where('grievances.compound_id', '=', scope.compoundId);
  if (scope.communityId !== undefined) q = q.where('compounds.community_id', '=', scope.communityId);
  if (scope.departmentId !== undefined) q = q.where('grievances.department_id', '=', scope.departmentId);
  if (scope.statuses?.length) q = q.where('grievances.status', 'in', [...scope.statuses]);
  return (await q.orderBy('grievances.id').execute()).map(toView);
}

export interface GrievancePageScope {
  communityId?: number;
  departmentId?: number;
  /** None: every status. */
  statuses?: readonly string[];
  /** Only the grievances overdue at this instant (ISO), by the rule 进度 counts with. */
  overdueAt?: string;
}

/**
 * One page of the grievances in a scope, newest first, older than `beforeId` when given (the 更多 button's cursor),
 * and how many there are in all. Only a page of rows is read, and the count comes from the tallies (a department's
 * from its index): a city holds millions of grievances. The newest of each status are read on that status' index
 * and merged, so no query sorts the whole list.
 */
export async function listGrievancePage(
  db: Db,
  campaignId: number,
  scope: GrievancePageScope,
  page: { beforeId?: number; limit: number },
): Promise<{ total: number; items: GrievanceView[] }> {
  const statuses = scope.statuses?.length ? [...scope.statuses] : [...GRIEVANCE_STATUSES];
  const filtered = <Q extends { where: (...args: any[]) => Q }>(q: Q, only: string[]): Q => {
    let r = q.where('compounds.campaign_id', '=', campaignId).where('grievances.status', 'in', only);
    if (scope.communityId !== undefined) r = r.where('compounds.community_id', '=', scope.communityId);
    if (scope.departmentId !== undefined) r = r.where('grievances.department_id', '=', scope.departmentId);
    if (scope.overdueAt) r = r.where(grievanceOverdueSql(scope.overdueAt));
    if (page.beforeId !== undefined) r = r.where('grievances.id', '<', page.beforeId);
    return r;
  };
  const newest = (only: string[]) =>
    filtered(db.selectFrom('grievances').innerJoin('compounds', 'compounds.id', 'grievances.compound_id').select('grievances.id'), only)
      .orderBy('grievances.id', 'desc')
      .limit(page.limit)
      .execute();
  // One community's grievances are few: one query. The whole campaign's or a department's: one per status.
  const groups = scope.communityId !== undefined ? [statuses] : statuses.map((st) => [st]);
  const found: number[] = [];
  for (const g of groups) found.push(...(await newest(g)).map((r) => r.id));
  const ids = found.sort((a, b) => b - a).slice(0, page.limit);
  const rows = ids.length ? await selectView(db).where('grievances.id', 'in', ids).orderBy('grievances.id', 'desc').execute() : [];

  let total: number;
  if (scope.departmentId !== undefined) {
    const r = await filtered(db.selectFrom('grievances').innerJoin('compounds', 'compounds.id', 'grievances.compound_id').select((eb) => eb.fn.countAll<number>().as('n')), statuses)
      .executeTakeFirst();
    total = Number(r?.n ?? 0);
  } else {
    total = await countFromTallies(db, campaignId, { communityId: scope.communityId, statuses, overdueAt: scope.overdueAt });
  }
  return { total, items: rows.map(toView) };
}

/** Whether a grievance is overdue at `now` (the same rule computeProgress counts by). */
export function isOverdue(g: Pick<GrievanceView, 'status' | 'acceptDueAt' | 'resolveDueAt'>, now: Date): boolean {
  const t = now.toISOString();
  if (g.status === '已办结' || g.status === '已撤回') return false;
  if (AWAITING_ACCEPTANCE.includes(g.status) && g.acceptDueAt !== null && g.acceptDueAt < t) return true;
  return g.resolveDueAt !== null && g.resolveDueAt < t;
}

/** Who may record a grievance about a compound: its community's staff, the street and admins. */
export function canRecord(actor: Actor, communityId: number): boolean {
  return actor.role === 'admin' || actor.role === 'street' || (actor.role === 'community' && actor.communityId === communityId);
}

/** Who may accept, reroute or resolve: the compound's community staff, the street, admins, the routed department. */
export function canHandle(actor: Actor, g: Pick<GrievanceView, 'communityId' | 'departmentId'>): boolean {
  if (canRecord(actor, g.communityId)) return true;
  return actor.role === 'department' && actor.departmentId !== null && actor.departmentId === g.departmentId;
}

export function handleRefusal(actor: Actor, g: GrievanceView): string {
  if (actor.role === 'department') return `抱歉，诉求 ${g.code} 已分派给${g.department ?? '其他单位'}，不属于${actor.departmentName ?? '贵部门'}办理，未作改动。`;
  if (actor.role === 'community') return `抱歉，诉求 ${g.code} 属于${g.community}，您绑定的是${actor.communityName}，不能办理，未作改动。`;
  if (actor.role === 'leader') return '抱歉，领导角色只能查看诉求，不能办理。';
  return `抱歉，您没有办理诉求 ${g.code} 的权限，未作改动。`;
}

export function requireHandler(actor: Actor, g: GrievanceView): void {
  if (!canHandle(actor, g)) throw new UserError(handleRefusal(actor, g));
  if (g.status === '已撤回') throw new UserError(`诉求 ${g.code} 已由登记人撤回，无需办理，未作改动。`);
}

async function writeEvent(ctx: GrievanceContext, g: { id: number }, action: string, from: string | null, to: string, departmentId: number | null, note: string | null) {
  await ctx.db
    .insertInto('grievance_events')
    .values({ grievance_id: g.id, at: ctx.now.toISOString(), actor: ctx.actor.openId, action, from_status: from, to_status: to, department_id: departmentId, note })
    .execute();
}

/** Records a grievance routed to a department, with its working-day deadlines; audited. */
export async function createGrievance(
  ctx: GrievanceContext,
  input: { compoundId: number; text: string; route: RouteResult; note?: string },
): Promise<GrievanceView> {
  requireWithinLimits({ grievanceText: input.text }, '未作登记');
  const settings = ctx.campaign.definition.grievances;
  const tz = ctx.campaign.timezone;
  const at = ctx.now.toISOString();
  const code = await nextGrievanceCode(ctx.db, ctx.now);
  const row = await ctx.db
    .insertInto('grievances')
    .values({
      code, compound_id: input.compoundId, text: input.text, department_id: input.route.departmentId, rule_code: input.route.rule?.code ?? null,
      status: '待受理', result: null, created_at: at, created_by: ctx.actor.openId, source_chat: ctx.chat.id, source_ref: ctx.source.ref,
      accepted_at: null, resolved_at: null, updated_at: at,
      accept_due_at: workingDayDeadline(ctx.now, settings.acceptWorkingDays, ctx.calendar, tz).toISOString(),
      resolve_due_at: workingDayDeadline(ctx.now, settings.resolveWorkingDays, ctx.calendar, tz).toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeEvent(ctx, row, 'create', null, '待受理', input.route.departmentId, input.note ?? (input.route.rule ? `规则 ${input.route.rule.code}` : '无匹配规则，转街道人工分派'));
  const view = (await findGrievanceById(ctx.db, row.id))!;
  await tallyGrievance(ctx.db, view, 1);
  await ctx.audit({ action: 'grievance.create', entity: 'grievance', entityId: code, before: null, after: snapshot(view) });
  return view;
}

function snapshot(g: GrievanceView) {
  return { code: g.code, compound: g.compound, text: g.text, department: g.department, rule: g.ruleCode, status: g.status, result: g.result };
}

async function update(ctx: GrievanceContext, g: GrievanceView, set: Record<string, string | number | null>, expect: GrievanceStatus): Promise<GrievanceView> {
  // The status check in WHERE keeps two concurrent hands from both moving the same grievance.
  const r = await ctx.db.updateTable('grievances').set({ ...set, updated_at: ctx.now.toISOString() }).where('id', '=', g.id).where('status', '=', expect).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new UserError(`诉求 ${g.code} 刚被他人处理过，请刷新后再试。`);
  const after = (await findGrievanceById(ctx.db, g.id))!;
  await retallyGrievance(ctx.db, g, after);
  return after;
}

/** 待受理 / 已转办 → 处理中. */
export async function acceptGrievance(ctx: GrievanceContext, g: GrievanceView): Promise<GrievanceView> {
  requireHandler(ctx.actor, g);
  if (g.status === '处理中') throw new UserError(`诉求 ${g.code} 已在处理中，无需重复受理。`);
  if (g.status === '已办结') throw new UserError(`诉求 ${g.code} 已办结，无需受理。`);
  const after = await update(ctx, g, { status: '处理中', accepted_at: ctx.now.toISOString() }, g.status);
  await writeEvent(ctx, g, 'accept', g.status, '处理中', g.departmentId, null);
  await ctx.audit({ action: 'grievance.accept', entity: 'grievance', entityId: g.code, before: snapshot(g), after: snapshot(after) });
  return after;
}

/**
 * Reroutes to another department: 已转办, waiting for that department's acceptance. The department that receives
 * it gets the campaign's full time limits from the transfer: accept within `acceptWorkingDays` and resolve within
 * `resolveWorkingDays` working days, so the acceptance limit never lies after the resolve limit and a transferred
 * item is not overdue the moment it arrives.
 */
export async function transferGrievance(ctx: GrievanceContext, g: GrievanceView, to: { id: number; name: string }, reason: string | null): Promise<GrievanceView> {
  requireHandler(ctx.actor, g);
  requireWithinLimits({ transferReason: reason }, '未作转办');
  if (g.status === '已办结') throw new UserError(`诉求 ${g.code} 已办结，不能再转办。`);
  if (g.departmentId === to.id) throw new UserError(`诉求 ${g.code} 已由${to.name}办理，无需转办。`);
  const settings = ctx.campaign.definition.grievances;
  const acceptDue = workingDayDeadline(ctx.now, settings.acceptWorkingDays, ctx.calendar, ctx.campaign.timezone);
  const resolveDue = workingDayDeadline(ctx.now, settings.resolveWorkingDays, ctx.calendar, ctx.campaign.timezone);
  const after = await update(
    ctx, g,
    { status: '已转办', department_id: to.id, rule_code: null, accepted_at: null, accept_due_at: acceptDue.toISOString(), resolve_due_at: resolveDue.toISOString() },
    g.status,
  );
  await writeEvent(ctx, g, 'transfer', g.status, '已转办', to.id, reason);
  await markRoutedByPerson(ctx.db, g.id, '人工转办', ctx.now);
  await ctx.audit({ action: 'grievance.transfer', entity: 'grievance', entityId: g.code, before: snapshot(g), after: { ...snapshot(after), reason } });
  return after;
}

/**
 * Routes a grievance the router was unsure about to the department a person chose from the card (it still
 * waits at the fallback department, not yet accepted): 待受理 there, with a fresh acceptance deadline.
 */
export async function assignGrievance(ctx: GrievanceContext, g: GrievanceView, to: { id: number; name: string }): Promise<GrievanceView> {
  requireHandler(ctx.actor, g);
  if (g.status !== '待受理') throw new UserError(`诉求 ${g.code} 已是“${g.status}”，无需再选择部门，未作改动。如需改派请用“转办”。`);
  if (g.departmentId === to.id) throw new UserError(`诉求 ${g.code} 已由${to.name}办理，无需改派。`);
  const acceptDue = workingDayDeadline(ctx.now, ctx.campaign.definition.grievances.acceptWorkingDays, ctx.calendar, ctx.campaign.timezone);
  const after = await update(ctx, g, { department_id: to.id, rule_code: null, accept_due_at: acceptDue.toISOString() }, g.status);
  await writeEvent(ctx, g, 'route', g.status, '待受理', to.id, `人工选定，原为${g.department ?? '—'}`);
  await markRoutedByPerson(ctx.db, g.id, '人工选定', ctx.now);
  await ctx.audit({ action: 'grievance.route', entity: 'grievance', entityId: g.code, before: snapshot(g), after: snapshot(after) });
  return after;
}

/** → 已办结 with a result; the recorder is told once (unless they closed it themselves and read the reply). */
export async function resolveGrievance(ctx: GrievanceContext, g: GrievanceView, result: string): Promise<GrievanceView> {
  requireHandler(ctx.actor, g);
  requireWithinLimits({ grievanceResult: result }, '未作办结');
  if (g.status === '已办结') throw new UserError(`诉求 ${g.code} 已于此前办结，无需重复办结。`);
  const at = ctx.now.toISOString();
  const after = await update(ctx, g, { status: '已办结', result, resolved_at: at }, g.status);
  await writeEvent(ctx, g, 'resolve', g.status, '已办结', g.departmentId, result);
  await ctx.audit({ action: 'grievance.resolve', entity: 'grievance', entityId: g.code, before: snapshot(g), after: snapshot(after) });
  if (g.createdBy !== ctx.actor.openId) {
    await ctx.send(
      { openId: g.createdBy },
      { type: 'text', text: `您登记的诉求 ${g.code}（${g.compound}）已办结。\n办理单位：${g.department ?? '—'}\n办理结果：${result}` },
      'grievance-resolved',
    );
  }
  return after;
}
