/**
 * 奖补 (notice §六.3–4): an old compound that passed the period's assessment is eligible (待申报); it is then
 * applied for (已申报), reviewed (已审核) and paid (已兑现), each step by the roles the campaign names.
 */
import type { Db } from '../db/connect.ts';
import { UserError } from '../errors.ts';
import { type AfterCoverageSettings, isOldCompound } from '../campaign/after-coverage.ts';
import { listAssessments, periodLabel, periodOnly, scoreText } from './assessments.ts';
import { displayNames } from './display-names.ts';
import type { WriteContext } from './write-context.ts';

export const SUBSIDY_STATES = ['待申报', '已申报', '已审核', '已兑现'] as const;
export type SubsidyState = (typeof SUBSIDY_STATES)[number];
export type SubsidyStep = 'apply' | 'review' | 'pay';

export const STEP_TO: Record<SubsidyStep, SubsidyState> = { apply: '已申报', review: '已审核', pay: '已兑现' };
export const STEP_FROM: Record<SubsidyStep, SubsidyState> = { apply: '待申报', review: '已申报', pay: '已审核' };
export const STEP_WORD: Record<SubsidyStep, string> = { apply: '申报', review: '审核', pay: '兑现' };
export const NEXT_STEP: Partial<Record<SubsidyState, SubsidyStep>> = { 待申报: 'apply', 已申报: 'review', 已审核: 'pay' };

export interface SubsidyView {
  compoundId: number;
  compound: string;
  communityId: number;
  community: string;
  period: string;
  periodLabel: string;
  state: SubsidyState;
  /** The assessment it follows: its total and whether it (still) passes. */
  assessment: { total: number; passed: boolean } | null;
  requestedFen: number | null;
  approvedFen: number | null;
  paidFen: number | null;
  appliedOn: string | null;
  appliedBy: string | null;
  reviewedOn: string | null;
  reviewedBy: string | null;
  paidOn: string | null;
  paidBy: string | null;
  note: string | null;
}

export interface SubsidyFilter {
  communityId?: number;
  period?: string;
  state?: SubsidyState;
  compoundId?: number;
}

const STATE_ORDER = (s: SubsidyState) => SUBSIDY_STATES.indexOf(s);

/** Every 奖补 in scope: the stored ones and the eligible compounds not yet applied for (待申报). */
export async function listSubsidies(db: Db, campaignId: number, settings: AfterCoverageSettings, f: SubsidyFilter = {}): Promise<SubsidyView[]> {
  const s = settings.subsidy;
  if (!s) return [];
  const assessments = await listAssessments(db, campaignId, {
    kind: s.kind.code, subject: 'compound',
    ...(f.period ? { period: f.period } : {}), ...(f.communityId !== undefined ? { communityId: f.communityId } : {}),
    ...(f.compoundId !== undefined ? { compoundId: f.compoundId } : {}),
  });
  let q = db
    .selectFrom('subsidies')
    .innerJoin('compounds', 'compounds.id', 'subsidies.compound_id')
    .innerJoin('communities', 'communities.id', 'compounds.community_id')
    .selectAll('subsidies')
    .select(['compounds.name as compound', 'compounds.community_id', 'communities.name as community'])
    .where('subsidies.campaign_id', '=', campaignId);
  if (f.period) q = q.where('subsidies.period', '=', f.period);
  if (f.communityId !== undefined) q = q.where('compounds.community_id', '=', f.communityId);
  if (f.compoundId !== undefined) q = q.where('subsidies.compound_id', '=', f.compoundId);
  const rows = await q.execute();
  const compounds = await db.selectFrom('compounds').select(['id', 'name', 'track']).where('campaign_id', '=', campaignId).execute();
  const compoundBy = new Map(compounds.map((c) => [c.id, c]));
  const key = (compoundId: number, period: string) => `${compoundId}|${period}`;
  const assessmentBy = new Map(assessments.map((a) => [key(a.compoundId!, a.period), a]));
  const stored = new Set(rows.map((r) => key(r.compound_id, r.period)));
  const names = await displayNames(db, rows.flatMap((r) => [r.applied_by, r.reviewed_by, r.paid_by].filter((x): x is string => Boolean(x))));
  const out: SubsidyView[] = rows.map((r) => {
    const a = assessmentBy.get(key(r.compound_id, r.period));
    return {
      compoundId: r.compound_id, compound: r.compound, communityId: r.community_id, community: r.community,
      period: r.period, periodLabel: periodOnly(r.period), state: r.state as SubsidyState,
      assessment: a ? { total: a.total, passed: a.passed } : null,
      requestedFen: r.requested_fen, approvedFen: r.approved_fen, paidFen: r.paid_fen,
      appliedOn: r.applied_on, appliedBy: r.applied_by ? names.get(r.applied_by) ?? null : null,
      reviewedOn: r.reviewed_on, reviewedBy: r.reviewed_by ? names.get(r.reviewed_by) ?? null : null,
      paidOn: r.paid_on, paidBy: r.paid_by ? names.get(r.paid_by) ?? null : null,
      note: r.note,
    };
  });
  for (const a of assessments) {
    const c = compoundBy.get(a.compoundId!);
    if (!a.passed || !c || !isOldCompound(settings, c) || stored.has(key(a.compoundId!, a.period))) continue;
    out.push({
      compoundId: a.compoundId!, compound: a.compound!, communityId: a.communityId!, community: a.community!,
      period: a.period, periodLabel: periodOnly(a.period), state: '待申报', assessment: { total: a.total, passed: true },
      requestedFen: null, approvedFen: null, paidFen: null, appliedOn: null, appliedBy: null, reviewedOn: null, reviewedBy: null, paidOn: null, paidBy: null, note: null,
    });
  }
  const order = new Map(assessments.map((a, i) => [key(a.compoundId!, a.period), i]));
  return out
    .filter((v) => !f.state || v.state === f.state)
    .sort((a, b) => a.period.localeCompare(b.period) || STATE_ORDER(a.state) - STATE_ORDER(b.state) ||
      (order.get(key(a.compoundId, a.period)) ?? 1e9) - (order.get(key(b.compoundId, b.period)) ?? 1e9) || a.compound.localeCompare(b.compound));
}

export interface SubsidySnapshot {
  state: SubsidyState;
  requestedFen: number | null;
  approvedFen: number | null;
  paidFen: number | null;
  appliedOn: string | null;
  appliedBy: string | null;
  reviewedOn: string | null;
  reviewedBy: string | null;
  paidOn: string | null;
  paidBy: string | null;
  note: string | null;
}

export const subsidyEntityId = (compoundId: number, period: string) => `${compoundId}:${period}`;

async function storedSnapshot(db: Db, compoundId: number, period: string): Promise<SubsidySnapshot | null> {
  const r = await db.selectFrom('subsidies').selectAll().where('compound_id', '=', compoundId).where('period', '=', period).executeTakeFirst();
  if (!r) return null;
  return {
    state: r.state as SubsidyState, requestedFen: r.requested_fen, approvedFen: r.approved_fen, paidFen: r.paid_fen,
    appliedOn: r.applied_on, appliedBy: r.applied_by, reviewedOn: r.reviewed_on, reviewedBy: r.reviewed_by, paidOn: r.paid_on, paidBy: r.paid_by, note: r.note,
  };
}

export interface MoveInput {
  campaignId: number;
  settings: AfterCoverageSettings;
  compound: { id: number; name: string; track: 'coverage' | 'upgrade' };
  period: string;
  step: SubsidyStep;
  amountFen: number | null;
  /** The day the step happened (YYYY-MM-DD). */
  onDate: string;
  note: string | null;
}

/** Moves a 奖补 one step on, refusing (nothing written) a step out of order or for a compound not eligible. */
export async function moveSubsidy(ctx: WriteContext, input: MoveInput): Promise<{ before: SubsidySnapshot | null; after: SubsidySnapshot; auditId: number }> {
  const s = input.settings.subsidy;
  if (!s) throw new UserError('本次活动没有设置奖补。');
  const { compound, period, step } = input;
  const label = periodLabel(s.kind, period);
  if (!isOldCompound(input.settings, compound)) throw new UserError(`${compound.name}不属于老旧小区，不在奖补范围内，未作改动。`);
  const [assessment] = await listAssessments(ctx.db, input.campaignId, { kind: s.kind.code, period, compoundId: compound.id });
  const before = await storedSnapshot(ctx.db, compound.id, period);
  const state: SubsidyState = before?.state ?? '待申报';
  if (!assessment) throw new UserError(`${compound.name}还没有${label}结果，考核合格后才能申报奖补，未作改动。`);
  if (!assessment.passed) throw new UserError(`${compound.name}${label}${scoreText(assessment.total)}分，未达到合格线${scoreText(assessment.passMark)}分，不能${STEP_WORD[step]}奖补，未作改动。`);
  if (state !== STEP_FROM[step]) {
    const next = NEXT_STEP[state];
    const hint = next ? `下一步是“${STEP_WORD[next]}”` : '奖补已兑现，流程已结束';
    throw new UserError(`${compound.name}（${label}）的奖补目前为“${state}”，${hint}，不能直接${STEP_WORD[step]}，未作改动。`);
  }
  const amount = input.amountFen;
  const after: SubsidySnapshot = { ...(before ?? {
    state: '待申报', requestedFen: null, approvedFen: null, paidFen: null, appliedOn: null, appliedBy: null, reviewedOn: null, reviewedBy: null, paidOn: null, paidBy: null, note: null,
  }), state: STEP_TO[step] };
  const by = ctx.actor.openId;
  if (step === 'apply') Object.assign(after, { requestedFen: amount, appliedOn: input.onDate, appliedBy: by });
  if (step === 'review') Object.assign(after, { approvedFen: amount ?? after.requestedFen, reviewedOn: input.onDate, reviewedBy: by });
  if (step === 'pay') {
    const paid = amount ?? after.approvedFen ?? after.requestedFen;
    if (paid === null) throw new UserError(`请写明兑现金额，例如：奖补 兑现 ${compound.name} 2万元。未作改动。`);
    Object.assign(after, { paidFen: paid, paidOn: input.onDate, paidBy: by });
  }
  if (input.note) after.note = input.note;
  await writeSnapshot(ctx.db, { campaignId: input.campaignId, compoundId: compound.id, period, at: ctx.now.toISOString(), sourceKind: ctx.source.kind, sourceRef: ctx.source.ref }, after, before !== null);
  const auditId = await ctx.audit({ action: `subsidy.${step}`, entity: 'subsidy', entityId: subsidyEntityId(compound.id, period), before, after });
  return { before, after, auditId };
}

async function writeSnapshot(
  db: Db, where: { campaignId: number; compoundId: number; period: string; at: string; sourceKind: string; sourceRef: string | null }, s: SubsidySnapshot, exists: boolean,
): Promise<void> {
  const values = {
    state: s.state, requested_fen: s.requestedFen, approved_fen: s.approvedFen, paid_fen: s.paidFen,
    applied_on: s.appliedOn, applied_by: s.appliedBy, reviewed_on: s.reviewedOn, reviewed_by: s.reviewedBy, paid_on: s.paidOn, paid_by: s.paidBy,
    note: s.note, updated_at: where.at, source_kind: where.sourceKind, source_ref: where.sourceRef,
  };
  if (exists) await db.updateTable('subsidies').set(values).where('compound_id', '=', where.compoundId).where('period', '=', where.period).execute();
  else await db.insertInto('subsidies').values({ campaign_id: where.campaignId, compound_id: where.compoundId, period: where.period, ...values }).execute();
}

/** 撤销 of a step: the earlier state comes back; undoing the application removes the row (待申报 again). */
export async function revertSubsidy(ctx: WriteContext, entityId: string, campaignId: number, before: SubsidySnapshot | null): Promise<void> {
  const [compoundId, period] = [Number(entityId.split(':')[0]), entityId.slice(entityId.indexOf(':') + 1)];
  if (!before) {
    await ctx.db.deleteFrom('subsidies').where('compound_id', '=', compoundId).where('period', '=', period).execute();
    return;
  }
  await writeSnapshot(ctx.db, { campaignId, compoundId, period, at: ctx.now.toISOString(), sourceKind: ctx.source.kind, sourceRef: ctx.source.ref }, before, true);
}
