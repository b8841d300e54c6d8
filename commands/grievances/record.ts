import { UserError } from '../../src/errors.ts';
import { FIELD_LIMITS, requireWithinLimits } from '../../src/domain/field-limits.ts';
import { listCompounds } from '../../src/domain/compounds.ts';
import { type GrievanceContext, type GrievanceView, canRecord, createGrievance } from '../../src/domain/grievances.ts';
import { saveRouteDecision } from '../../src/domain/grievance-routing.ts';
import { type CompoundMention, type MatchableCompound, type MatchCandidate, findCompoundMentions, isSureMention } from '../../src/understanding/compound-matcher.ts';
import { problemScore } from '../../src/understanding/intent.ts';
import { prepareText } from '../../src/understanding/text-fold.ts';
import { GRIEVANCE_ACTIONS, compoundChoiceCard } from '../../cards/grievance.ts';
import type { Card } from '../../cards/kit.ts';
import { guessCard } from '../../cards/grievance-intake.ts';
import type { RouteDecision } from '../../src/routing/router.ts';
import { buildGrievanceCard, deliverToDepartment, dueLabel, forChat } from './present.ts';

export const MAX_GRIEVANCE_TEXT = FIELD_LIMITS.grievanceText;

export async function matchableCompounds(ctx: GrievanceContext): Promise<MatchableCompound[]> {
  return (await listCompounds(ctx.db, ctx.campaign.id)).map((c) => ({ id: c.id, name: c.name, aliases: c.aliases, community: c.community, communityId: c.communityId }));
}

export type CompoundLookup =
  | { kind: 'one'; compound: MatchableCompound; problem: string }
  /** Several compounds fit one place in the text (or a near match: `written` is what was typed). */
  | { kind: 'ambiguous'; candidates: MatchCandidate[]; written: string | null }
  /** Each compound has its own problem in its own part of the message. */
  | { kind: 'several'; parts: Array<{ compound: MatchableCompound; text: string }> }
  | { kind: 'none' };

const CONNECTOR = /^[\s、,，和与及跟以还有]*$/;

/** 锦绣花园电梯坏了，御景公馆路灯不亮: one part per compound, each with its own words; null when they share one. */
function partsOf(s: string, mentions: CompoundMention[]): Array<{ compound: MatchableCompound; text: string }> | null {
  const groups: CompoundMention[][] = [];
  for (const m of mentions) {
    const last = groups.at(-1);
    if (last && CONNECTOR.test(s.slice(last.at(-1)!.end, m.start))) last.push(m);
    else groups.push([m]);
  }
  if (groups.length < 2 || groups.some((g) => g.length > 1)) return null;
  const parts = groups.map((g, i) => ({
    compound: g[0]!.candidates[0]!.compound,
    text: s.slice(i === 0 ? 0 : g[0]!.start, i + 1 < groups.length ? groups[i + 1]![0]!.start : s.length).replace(/^[\s,，。;；、]+|[\s,，。;；、]+$/g, ''),
  }));
  if (new Set(parts.map((p) => p.compound.id)).size !== parts.length) return null;
  return parts.every((p) => problemScore(p.text) >= 2) ? parts : null;
}

/**
 * Finds the compound a grievance is about. With a command the first word is tried alone first, so that in
 * "投诉 锦绣花园 3号楼电梯坏了" the problem is the rest; otherwise the whole text is searched. A near match
 * (福缘公寓) is offered, never taken.
 */
export async function lookupCompound(ctx: GrievanceContext, text: string, opts: { firstWordIsCompound: boolean }): Promise<CompoundLookup> {
  const compounds = await matchableCompounds(ctx);
  if (opts.firstWordIsCompound) {
    const [first, ...rest] = text.split(' ');
    const m = findCompoundMentions(prepareText(first ?? ''), compounds);
    if (m.length === 1 && isSureMention(m[0]!) && rest.join(' ').trim()) return { kind: 'one', compound: m[0]!.candidates[0]!.compound, problem: rest.join(' ').trim() };
  }
  const s = prepareText(text);
  const mentions = findCompoundMentions(s, compounds);
  const sure = mentions.filter(isSureMention);
  const ids = new Set(sure.map((m) => m.candidates[0]!.compound.id));
  if (ids.size === 1) return { kind: 'one', compound: sure[0]!.candidates[0]!.compound, problem: withoutCompoundName(text, sure[0]!.candidates[0]!.compound) };
  if (ids.size > 1) {
    const parts = partsOf(s, sure);
    if (parts) return { kind: 'several', parts };
    const seen = new Set<number>();
    const candidates = sure.map((m) => m.candidates[0]!).filter((c) => !seen.has(c.compound.id) && seen.add(c.compound.id));
    return { kind: 'ambiguous', candidates, written: null };
  }
  if (mentions.length) {
    const m = mentions[0]!;
    const top = m.candidates[0]!.score;
    return { kind: 'ambiguous', candidates: m.candidates.filter((c) => c.score >= top - 0.2), written: m.candidates[0]!.fuzzy ? s.slice(m.start, m.end) : null };
  }
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
    const rest = `${text.slice(0, i)}${text.slice(i + name.length)}`.replace(/^[\s，,、。:：;；]+/, '').replace(/\s{2,}/g, ' ').trim()
      // 教育宿舍的住户反映…: the 的 belonged to the name.
      .replace(i === 0 ? /^的(?=[\u4e00-\u9fff]{2})/ : /$^/, '');
    return rest.length >= 2 ? rest : text;
  }
  return text;
}

export const NO_COMPOUND_MESSAGE = '没有从您的消息中找到小区名称，未作登记。请写明小区，例如：投诉 锦绣花园 3号楼电梯坏了';

/**
 * A card that lets the person choose among several compounds (or confirm a near match: `written` is what was
 * typed); nothing is recorded until they do.
 */
export async function choiceCard(ctx: GrievanceContext, text: string, candidates: MatchCandidate[], written: string | null = null): Promise<Card> {
  const ids = candidates.slice(0, 6).map((c) => c.compound.id);
  const token = await ctx.issueCardToken(GRIEVANCE_ACTIONS.pick, { text, compoundIds: ids, sourceRef: ctx.source.ref });
  const choices = candidates.slice(0, 6).map((c) => ({ label: `${c.compound.name}（${c.compound.community}）`, value: { a: GRIEVANCE_ACTIONS.pick, t: token, c: c.compound.id } }));
  return written ? guessCard(forChat(ctx, text), written, choices) : compoundChoiceCard(forChat(ctx, text), choices);
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
