/** From `考核` to a recorded score sheet: the form card, its submission, and the result card with 撤销. */
import { z } from 'zod';
import { defineCardAction } from '../../src/bot/command.ts';
import type { BotContext, CardContext } from '../../src/bot/context.ts';
import { consumeCardToken } from '../../src/domain/card-tokens.ts';
import { UserError } from '../../src/errors.ts';
import { actorMay, actorsLabel } from '../../src/auth/campaign-actors.ts';
import { assessmentKind, maxTotal } from '../../src/campaign/after-coverage.ts';
import type { AssessmentKind } from '../../src/campaign/after-coverage-schema.ts';
import {
  currentAssessment, inSubjectSet, listSubjectCompounds, notInSubjectSet, parseScore, periodLabel, periodOnly, recordAssessment, scoreText,
} from '../../src/domain/assessments.ts';
import { getCompound } from '../../src/domain/compound-lookup.ts';
import { currentTakeover } from '../../src/domain/takeover-write.ts';
import { assessmentFormCard, assessmentResultCard, scoreField } from '../../cards/assessment.ts';
import type { Card } from '../../cards/kit.ts';
import { UNDO_KIND } from '../takeover-kit/flow.ts';
import { settingsOf, todayOf, whenLabel } from './common.ts';

export const ASSESS_KIND = 'assessment.submit';
const TAMPERED = '卡片内容无效或已被修改，未作任何改动。请重新发起。';

type Ctx = BotContext | CardContext;

export interface Subject {
  kind: AssessmentKind;
  period: string;
  /** Null: the street. */
  compoundId: number | null;
}

interface SubjectInfo {
  name: string;
  subtitle: string;
  company: string | null;
}

export function requireAssessor(ctx: Ctx, kind: AssessmentKind): void {
  if (!actorMay(ctx.actor, kind.assessors)) throw new UserError(`抱歉，${kind.name}评分仅限${actorsLabel(kind.assessors)}，未作改动。`);
}

/** The subject as the cards name it; refuses a compound the kind does not cover. */
async function subjectInfo(ctx: Ctx, s: Subject): Promise<SubjectInfo> {
  if (s.compoundId === null) return { name: ctx.campaign.street, subtitle: ctx.campaign.district, company: null };
  const c = (await listSubjectCompounds(ctx.db, ctx.campaign.id)).find((x) => x.id === s.compoundId);
  if (!c) throw new UserError(TAMPERED);
  if (!inSubjectSet(settingsOf(ctx), s.kind, c, todayOf(ctx))) throw new UserError(`${notInSubjectSet(s.kind)}（${c.name}），未作改动。`);
  const t = await currentTakeover(ctx.db, c.id);
  return { name: c.name, subtitle: c.community, company: t?.company ?? null };
}

/** The form card, prefilled with the scores in force and any typed in the message. */
export async function assessmentForm(ctx: Ctx, s: Subject, typed: { scores: Record<string, number>; note: string | null; notes: string[] }): Promise<Card> {
  requireAssessor(ctx, s.kind);
  const info = await subjectInfo(ctx, s);
  const current = await currentAssessment(ctx.db, ctx.campaign.id, s.kind.code, s.period, s.compoundId);
  const settings = settingsOf(ctx);
  const token = await ctx.issueCardToken(ASSESS_KIND, {
    kind: s.kind.code, period: s.period, compoundId: s.compoundId, items: s.kind.items.map((i) => i.code), mark: current?.id ?? 0,
  });
  return assessmentFormCard({
    kindName: s.kind.name, subject: info.name, subtitle: info.subtitle, periodLabel: periodOnly(s.period), company: info.company,
    items: s.kind.items.map((it) => ({ name: it.name, max: it.max, basis: it.basis, value: typed.scores[it.code] ?? current?.scores[it.code] ?? null })),
    passMark: s.kind.passMark, maxTotal: maxTotal(s.kind),
    provisional: settings.assessment.provisional, standardNote: settings.assessment.note,
    current: current ? { total: current.total, passed: current.passed, by: current.assessorName ?? '考核人员', when: whenLabel(current.assessedAt, ctx.campaign.timezone), note: current.note } : null,
    note: typed.note ?? current?.note ?? null,
    notes: typed.notes,
    submit: { kind: ASSESS_KIND, token },
  });
}

/** Records a complete score sheet and returns the result card (with a 撤销 button). */
export async function recordScores(ctx: Ctx, s: Subject, scores: Record<string, number>, note: string | null): Promise<{ card: Card; changed: boolean }> {
  requireAssessor(ctx, s.kind);
  const info = await subjectInfo(ctx, s);
  const missing = s.kind.items.filter((it) => scores[it.code] === undefined).map((it) => it.name);
  if (missing.length) throw new UserError(`还有 ${missing.length} 项没有打分：${missing.join('、')}。未作记录。`);
  const r = await recordAssessment(ctx, { campaignId: ctx.campaign.id, kind: s.kind, period: s.period, compoundId: s.compoundId, company: info.company, scores, note });
  const undo = r.auditId ? { kind: UNDO_KIND, token: await ctx.issueCardToken(UNDO_KIND, { auditIds: [r.auditId] }) } : null;
  return {
    changed: r.changed,
    card: assessmentResultCard({
      kindName: s.kind.name, subject: info.name, subtitle: info.subtitle, periodLabel: periodLabel(s.kind, s.period), company: info.company,
      items: s.kind.items.map((it) => ({ name: it.name, max: it.max, score: scores[it.code]! })),
      total: r.after.total, maxTotal: maxTotal(s.kind), passMark: s.kind.passMark, passed: r.after.passed, note,
      correction: r.before !== null, undo,
    }),
  };
}

const tokenPayload = z.object({
  kind: z.string().max(64),
  period: z.string().max(16),
  compoundId: z.number().int().positive().nullable(),
  items: z.array(z.string().max(64)).min(1).max(30),
  mark: z.number().int().nonnegative(),
});

const formValue = z.record(z.string(), z.unknown());

/** The form's 提交评分: every item scored within its maximum, on the sheet the card was issued for. */
export const submitAssessment = defineCardAction({
  kind: ASSESS_KIND,
  value: z.object({ a: z.literal(ASSESS_KIND), t: z.string().min(8).max(64) }),
  async handler(ctx, value) {
    const token = await consumeCardToken(ctx.db, value.t, ASSESS_KIND, ctx.actor.openId, ctx.now);
    const p = tokenPayload.safeParse(token.payload);
    if (!p.success) throw new UserError(TAMPERED);
    const kind = assessmentKind(settingsOf(ctx), p.data.kind);
    if (!kind) throw new UserError('该考核类型已不在考核标准中，未作改动。');
    if (JSON.stringify(kind.items.map((i) => i.code)) !== JSON.stringify(p.data.items)) {
      throw new UserError('考核标准在这张卡片发出后已更新，未作改动。请重新发送“考核”打开新的评分表。');
    }
    if (p.data.compoundId !== null && !(await getCompound(ctx.db, ctx.campaign.id, p.data.compoundId))) throw new UserError(TAMPERED);
    const current = await currentAssessment(ctx.db, ctx.campaign.id, kind.code, p.data.period, p.data.compoundId);
    if ((current?.id ?? 0) !== p.data.mark) {
      const who = current?.assessorName ?? '其他考核人员';
      throw new UserError(`这份评分在卡片发出后已由${who}更新（现为${scoreText(current?.total ?? 0)}分），未作改动。请重新发送“考核”查看。`);
    }
    const f = formValue.safeParse(ctx.action.formValue ?? {});
    if (!f.success) throw new UserError(TAMPERED);
    const scores: Record<string, number> = {};
    const problems: string[] = [];
    kind.items.forEach((it, i) => {
      const raw = f.data[scoreField(i)];
      if (raw === undefined || raw === null || String(raw).trim() === '') return problems.push(`${it.name}未打分`);
      const r = parseScore(String(raw), it.max);
      if (r.score === null) return problems.push(`${it.name}：${r.problem}`);
      scores[it.code] = r.score;
      return undefined;
    });
    if (problems.length) throw new UserError(`${problems.join('；')}。未作记录，请修改后重新提交。`);
    const noteRaw = f.data.note;
    const note = typeof noteRaw === 'string' && noteRaw.trim() ? noteRaw.normalize('NFKC').trim().slice(0, 500) : null;
    const r = await recordScores(ctx, { kind, period: p.data.period, compoundId: p.data.compoundId }, scores, note);
    return { toast: { type: r.changed ? 'success' : 'info', content: r.changed ? '评分已记录' : '评分与已有结果一致，无需修改' }, card: r.card };
  },
});
