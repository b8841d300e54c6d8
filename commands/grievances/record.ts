import { UserError } from '../../src/errors.ts';
import { FIELD_LIMITS, requireWithinLimits } from '../../src/domain/field-limits.ts';
import { listCompounds } from '../../src/domain/compounds.ts';
import { type GrievanceContext, type GrievanceView, canRecord, createGrievance } from '../../src/domain/grievances.ts';
import { saveRouteDecision } from '../../src/domain/grievance-routing.ts';
import { type MatchableCompound, type MatchCandidate, findCompoundCandidates, resolveCompound } from '../../src/understanding/compound-matcher.ts';
import { GRIEVANCE_ACTIONS, compoundChoiceCard } from '../../cards/grievance.ts';
import type { Card } from '../../cards/kit.ts';
import type { RouteDecision } from '../../src/routing/router.ts';
import { buildGrievanceCard, deliverToDepartment, dueLabel, forChat } from './present.ts';

export const MAX_GRIEVANCE_TEXT = FIELD_LIMITS.grievanceText;

export async function matchableCompounds(ctx: GrievanceContext): Promise<MatchableCompound[]> {
  return (await listCompounds(ctx.db, ctx.campaign.id)).map((c) => ({ id: c.id, name: c.name, aliases: c.aliases, community: c.community, communityId: c.communityId }));
}

export type CompoundLookup =
  | { kind: 'one'; compound: MatchableCompound; problem: string }
  | { kind: 'ambiguous'; candidates: MatchCandidate[] }
  | { kind: 'none' };

/**
 * Finds the compound a grievance is about. With a command the first word is tried alone first, so that in
 * "投诉 锦绣花园 3号楼电梯坏了" the problem is the rest; otherwise the whole text is searched.
 */
export async function lookupCompound(ctx: GrievanceContext, text: string, opts: { firstWordIsCompound: boolean }): Promise<CompoundLookup> {
  const compounds = await matchableCompounds(ctx);
  if (opts.firstWordIsCompound) {
    const [first, ...rest] = text.split(' ');
    const r = resolveCompound(findCompoundCandidates(first ?? '', compounds));
    if (r.kind === 'one' && rest.join(' ').trim()) return { kind: 'one', compound: r.candidate.compound, problem: rest.join(' ').trim() };
  }
  const r = resolveCompound(findCompoundCandidates(text, compounds));
  if (r.kind === 'one') return { kind: 'one', compound: r.candidate.compound, problem: withoutCompoundName(text, r.candidate.compound) };
  if (r.kind === 'ambiguous') return { kind: 'ambiguous', candidates: r.candidates };
  return { kind: 'none' };
}

/**
 * The grievance's text without the compound's name, which is stored on its own: `锦绣花园3号楼电梯坏了` keeps
 * `3号楼电梯坏了`. Only the first mention goes; a text that would be left empty is kept whole.
 */
export function withoutCompoundName(text: string, compound: MatchableCompound): string {
  for (const name of [compound.name, ...compound.aliases].sort((a, b) => b.length - a.length)) {
    const i = text.indexOf(name);
    if (i < 0) continue;
    const rest = `${text.slice(0, i)}${text.slice(i + name.length)}`.replace(/^[\s，,、。:：;；]+/, '').replace(/\s{2,}/g, ' ').trim();
    return rest.length >= 2 ? rest : text;
  }
  return text;
}

export const NO_COMPOUND_MESSAGE = '没有从您的消息中找到小区名称，未作登记。请写明小区，例如：投诉 锦绣花园 3号楼电梯坏了';

/** A card that lets the person choose among several compounds; nothing is recorded until they do. */
export async function choiceCard(ctx: GrievanceContext, text: string, candidates: MatchCandidate[]): Promise<Card> {
  const ids = candidates.slice(0, 6).map((c) => c.compound.id);
  const token = await ctx.issueCardToken(GRIEVANCE_ACTIONS.pick, { text, compoundIds: ids, sourceRef: ctx.source.ref });
  return compoundChoiceCard(
    forChat(ctx, text),
    candidates.slice(0, 6).map((c) => ({ label: `${c.compound.name}（${c.compound.community}）`, value: { a: GRIEVANCE_ACTIONS.pick, t: token, c: c.compound.id } })),
  );
}

/** The grievance event's note: how it was routed, for the record. */
function routeNote(route: RouteDecision): string {
  if (route.rule) return `规则 ${route.rule.code}（${route.reason}）`;
  if (route.method === 'fallback') return `${route.reason}，转${route.departmentName}人工分派`;
  return `${route.method === 'learned' ? '按已确认的诉求' : '分类器'}：${route.reason}（把握 ${Math.round(route.confidence * 100)}%）`;
}

/** The reply's routing line: where it went and why. */
export function routedLine(route: RouteDecision): string {
  if (route.method !== 'fallback') return `已分派至${route.departmentName}（${route.reason}）`;
  const guess = route.candidates.length ? `（可能是：${route.candidates.map((c) => c.departmentName).join('、')}）` : '';
  return `未能确定职责部门，已交${route.departmentName}人工分派${guess}`;
}

export interface Recorded {
  grievance: GrievanceView;
  /** The confirmation shown to the person who recorded it. */
  summary: string;
}

/** Records, routes and delivers a grievance about one compound; refuses people outside the compound's scope. */
export async function recordGrievance(ctx: GrievanceContext, compound: MatchableCompound, text: string): Promise<Recorded> {
  if (!canRecord(ctx.actor, compound.communityId)) {
    if (ctx.actor.role === 'community') {
      throw new UserError(`抱歉，${compound.name}属于${compound.community}，您绑定的是${ctx.actor.communityName}，不能登记该小区的诉求。请联系${compound.community}的工作人员。`);
    }
    throw new UserError('抱歉，登记诉求仅限该小区所在社区的工作人员、街道和管理员。');
  }
  const problem = text.trim();
  requireWithinLimits({ grievanceText: problem }, '未作登记');
  if (!problem) throw new UserError('请写明诉求内容，例如：投诉 锦绣花园 3号楼电梯坏了');
  const route = await ctx.routing.route(ctx.db, problem, [compound.name, ...compound.aliases]);
  const grievance = await createGrievance(ctx, { compoundId: compound.id, text: problem, route, note: routeNote(route) });
  await saveRouteDecision(ctx.db, grievance.id, route, { askModel: ctx.routing.asksModel, now: ctx.now });
  const where = await deliverToDepartment(ctx, grievance);
  // Unsure, and no group got the card with the department buttons: the recorder gets it, so someone can choose.
  const choiceToRecorder = !where && route.method === 'fallback' && route.candidates.length > 0;
  if (choiceToRecorder) await ctx.send({ openId: ctx.actor.openId }, { type: 'card', card: await buildGrievanceCard(ctx, grievance) }, 'grievance-card');
  const tz = ctx.campaign.timezone;
  const lines = [
    `已登记诉求 ${grievance.code}：${compound.name}（${compound.community}）`,
    `内容：${problem}`,
    `${routedLine(route)}。`,
    `受理时限：${dueLabel(grievance.acceptDueAt, tz)}；办结时限：${dueLabel(grievance.resolveDueAt, tz)}。`,
    where
      ? `已通知${where}。`
      : choiceToRecorder
        ? '该单位尚未绑定工作群：已把诉求卡片私信给您，可在卡片上选择职责部门；也可请管理员“绑定群”。'
        : '该单位尚未绑定工作群，请管理员“绑定群”后再提醒。',
    `办理：受理 ${grievance.code}｜转办 ${grievance.code} 部门 理由｜办结 ${grievance.code} 结果`,
  ];
  return { grievance, summary: forChat(ctx, lines.join('\n')) };
}
