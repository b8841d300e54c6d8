/**
 * Assessments (考核): one score sheet per subject (a compound, or the street) and period (a quarter, or once),
 * scored against the campaign's standard. History is kept: a re-assessment supersedes the sheet before it.
 */
import type { Db } from '../db/connect.ts';
import { type AfterCoverageSettings, isOldCompound, maxTotal } from '../campaign/after-coverage.ts';
import type { AssessmentItem, AssessmentKind } from '../campaign/after-coverage-schema.ts';
import { quarterLabel, quarterOf } from '../calendar/quarters.ts';
import { displayNames } from './display-names.ts';
import type { WriteContext } from './write-context.ts';

export const ONCE = 'once';

/** The period an assessment made on `today` is for: the quarter, or the campaign's one-off assessment. */
export function currentPeriod(kind: AssessmentKind, today: string): string {
  return kind.period === 'quarter' ? quarterOf(today) : ONCE;
}

/** '2020年第四季度考核' (a kind named 季度考核), '考核验收'. */
export function periodLabel(kind: AssessmentKind, period: string): string {
  return period === ONCE ? kind.name : `${quarterLabel(period)}${kind.name.replace(/^季度/, '')}`;
}

/** The period alone: '2020年第四季度', or '本次活动' for a one-off assessment. */
export function periodOnly(period: string): string {
  return period === ONCE ? '本次活动' : quarterLabel(period);
}

/** What deciding whether a compound is assessed needs: its track, and when its takeover (if any) started. */
export interface SubjectCompound {
  id: number;
  name: string;
  communityId: number;
  community: string;
  track: 'coverage' | 'upgrade';
  takeoverStart: string | null;
}

/** The compounds of the campaign in the notice's order, read lightly (no aliases, actions or takeover details). */
export async function listSubjectCompounds(db: Db, campaignId: number, scope: { communityId?: number } = {}): Promise<SubjectCompound[]> {
  let q = db
    .selectFrom('compounds')
    .innerJoin('communities', 'communities.id', 'compounds.community_id')
    .leftJoin('takeovers', (j) => j.onRef('takeovers.compound_id', '=', 'compounds.id').on('takeovers.superseded_at', 'is', null))
    .select(['compounds.id', 'compounds.name', 'compounds.track', 'compounds.ord', 'compounds.community_id', 'communities.name as community', 'communities.ord as community_ord', 'takeovers.start_date'])
    .where('compounds.campaign_id', '=', campaignId);
  if (scope.communityId !== undefined) q = q.where('compounds.community_id', '=', scope.communityId);
  const rows = await q.execute();
  const trackOrder = (t: string) => (t === 'upgrade' ? 0 : 1);
  rows.sort((a, b) => a.community_ord - b.community_ord || trackOrder(a.track) - trackOrder(b.track) || a.ord - b.ord || a.id - b.id);
  const seen = new Set<number>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).map((r) => ({
    id: r.id, name: r.name, communityId: r.community_id, community: r.community, track: r.track, takeoverStart: r.start_date,
  }));
}

/** Whether a compound is among those a kind of assessment covers (on `today`). */
export function inSubjectSet(settings: AfterCoverageSettings, kind: AssessmentKind, c: Pick<SubjectCompound, 'name' | 'track' | 'takeoverStart'>, today: string): boolean {
  switch (kind.compounds) {
    case 'all': return true;
    case 'coverage': return c.track === 'coverage';
    case 'upgrade': return c.track === 'upgrade';
    case 'old': return isOldCompound(settings, c);
    // Under property management: the 附件3 compounds, and the others once their takeover has started.
    case 'managed': return c.track === 'upgrade' || (c.takeoverStart !== null && c.takeoverStart <= today);
  }
}

/** Why a compound is not assessed by this kind, in words. */
export function notInSubjectSet(kind: AssessmentKind): string {
  switch (kind.compounds) {
    case 'coverage': return `${kind.name}只针对全覆盖任务的小区`;
    case 'upgrade': return `${kind.name}只针对提升任务的小区`;
    case 'old': return `${kind.name}只针对老旧小区`;
    default: return '该小区尚未实施物业管理（未入驻），暂不参加考核';
  }
}

export async function assessmentSubjects(
  db: Db, campaignId: number, settings: AfterCoverageSettings, kind: AssessmentKind, today: string, scope: { communityId?: number } = {},
): Promise<SubjectCompound[]> {
  if (kind.subject !== 'compound') return [];
  return (await listSubjectCompounds(db, campaignId, scope)).filter((c) => inSubjectSet(settings, kind, c, today));
}

export interface ScoredItem {
  code: string;
  name: string;
  max: number;
}

export interface AssessmentView {
  id: number;
  kind: string;
  period: string;
  compoundId: number | null;
  compound: string | null;
  communityId: number | null;
  community: string | null;
  company: string | null;
  items: ScoredItem[];
  scores: Record<string, number>;
  total: number;
  maxTotal: number;
  passMark: number;
  passed: boolean;
  note: string | null;
  assessedAt: string;
  assessedBy: string;
  assessorName: string | null;
  sourceKind: string;
  sourceRef: string | null;
}

export interface AssessmentFilter {
  kind?: string;
  period?: string;
  compoundId?: number;
  communityId?: number;
  /** Only the street's sheets (compound_id null), or only compounds'. */
  subject?: 'compound' | 'street';
}

/** The sheets in force, in the notice's order of compounds (the street's first), then by period. */
export async function listAssessments(db: Db, campaignId: number, f: AssessmentFilter = {}): Promise<AssessmentView[]> {
  let q = db
    .selectFrom('assessments')
    .leftJoin('compounds', 'compounds.id', 'assessments.compound_id')
    .leftJoin('communities', 'communities.id', 'compounds.community_id')
    .selectAll('assessments')
    .select(['compounds.name as compound', 'compounds.community_id', 'communities.name as community', 'communities.ord as community_ord', 'compounds.ord as compound_ord', 'compounds.track'])
    .where('assessments.campaign_id', '=', campaignId)
    .where('assessments.superseded_at', 'is', null);
  if (f.kind) q = q.where('assessments.kind', '=', f.kind);
  if (f.period) q = q.where('assessments.period', '=', f.period);
  if (f.compoundId !== undefined) q = q.where('assessments.compound_id', '=', f.compoundId);
  if (f.communityId !== undefined) q = q.where('compounds.community_id', '=', f.communityId);
  if (f.subject === 'street') q = q.where('assessments.compound_id', 'is', null);
  if (f.subject === 'compound') q = q.where('assessments.compound_id', 'is not', null);
  const rows = await q.execute();
  const names = await displayNames(db, rows.map((r) => r.assessed_by));
  const trackOrder = (t: string | null) => (t === 'upgrade' ? 0 : 1);
  rows.sort((a, b) =>
    a.period.localeCompare(b.period) || a.kind.localeCompare(b.kind) ||
    (a.compound_id === null ? -1 : 0) - (b.compound_id === null ? -1 : 0) ||
    (a.community_ord ?? 0) - (b.community_ord ?? 0) || trackOrder(a.track) - trackOrder(b.track) || (a.compound_ord ?? 0) - (b.compound_ord ?? 0));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    period: r.period,
    compoundId: r.compound_id,
    compound: r.compound,
    communityId: r.community_id,
    community: r.community,
    company: r.company,
    items: JSON.parse(r.items) as ScoredItem[],
    scores: JSON.parse(r.scores) as Record<string, number>,
    total: r.total,
    maxTotal: r.max_total,
    passMark: r.pass_mark,
    passed: r.passed === 1,
    note: r.note,
    assessedAt: r.assessed_at,
    assessedBy: r.assessed_by,
    assessorName: names.get(r.assessed_by) ?? null,
    sourceKind: r.source_kind,
    sourceRef: r.source_ref,
  }));
}

export async function currentAssessment(db: Db, campaignId: number, kind: string, period: string, compoundId: number | null): Promise<AssessmentView | null> {
  const f: AssessmentFilter = compoundId === null ? { kind, period, subject: 'street' } : { kind, period, compoundId };
  return (await listAssessments(db, campaignId, f))[0] ?? null;
}

/** Reads a score typed into a form or a message: 18, 18.5, 18分, １８. */
export function parseScore(text: string, max: number): { score: number | null; problem: string | null } {
  const t = text.normalize('NFKC').trim().replace(/分$/, '').trim();
  if (!/^\d{1,4}(?:\.\d)?$/.test(t)) return { score: null, problem: `“${text.slice(0, 10)}”不是分数` };
  const score = Number(t);
  if (score > max) return { score: null, problem: `${score}分超过满分${max}分` };
  return { score, problem: null };
}

/** Totals a complete score sheet; rounding to one decimal keeps 0.1 + 0.2 sums exact. */
export function totalOf(items: readonly AssessmentItem[], scores: Record<string, number>): number {
  return Math.round(items.reduce((s, it) => s + (scores[it.code] ?? 0), 0) * 10) / 10;
}

export interface AssessmentSnapshot {
  id: number;
  kind: string;
  period: string;
  compoundId: number | null;
  scores: Record<string, number>;
  total: number;
  passed: boolean;
  note: string | null;
}

export const assessmentEntityId = (kind: string, period: string, compoundId: number | null) => `${compoundId ?? 'street'}:${kind}:${period}`;

export interface AssessmentInput {
  campaignId: number;
  kind: AssessmentKind;
  period: string;
  compoundId: number | null;
  company: string | null;
  scores: Record<string, number>;
  note: string | null;
}

export interface AssessmentResult {
  changed: boolean;
  auditId: number | null;
  before: AssessmentSnapshot | null;
  after: AssessmentSnapshot;
}

/** Records a score sheet (or a re-assessment), with provenance on the row and an audit entry. */
export async function recordAssessment(ctx: WriteContext, input: AssessmentInput): Promise<AssessmentResult> {
  const { kind, period, compoundId } = input;
  const prev = await currentAssessment(ctx.db, input.campaignId, kind.code, period, compoundId);
  const total = totalOf(kind.items, input.scores);
  const passed = total >= kind.passMark;
  const before: AssessmentSnapshot | null = prev
    ? { id: prev.id, kind: kind.code, period, compoundId, scores: prev.scores, total: prev.total, passed: prev.passed, note: prev.note }
    : null;
  const same = prev && JSON.stringify(prev.scores) === JSON.stringify(input.scores) && prev.note === input.note &&
    JSON.stringify(prev.items) === JSON.stringify(kind.items.map(({ code, name, max }) => ({ code, name, max })));
  if (same) return { changed: false, auditId: null, before, after: before! };
  const at = ctx.now.toISOString();
  if (prev) await ctx.db.updateTable('assessments').set({ superseded_at: at }).where('id', '=', prev.id).execute();
  const row = await ctx.db
    .insertInto('assessments')
    .values({
      campaign_id: input.campaignId, kind: kind.code, period, compound_id: compoundId, company: input.company,
      scores: JSON.stringify(input.scores), items: JSON.stringify(kind.items.map(({ code, name, max }) => ({ code, name, max }))),
      total, max_total: maxTotal(kind), pass_mark: kind.passMark, passed: passed ? 1 : 0, note: input.note,
      assessed_at: at, assessed_by: ctx.actor.openId, source_kind: ctx.source.kind, source_ref: ctx.source.ref, source_chat: ctx.chat.id,
      superseded_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const after: AssessmentSnapshot = { id: row.id, kind: kind.code, period, compoundId, scores: input.scores, total, passed, note: input.note };
  const auditId = await ctx.audit({ action: before ? 'assessment.correct' : 'assessment.record', entity: 'assessment', entityId: assessmentEntityId(kind.code, period, compoundId), before, after });
  return { changed: true, auditId, before, after };
}

/** Reverts a sheet to the one before it (撤销): the undone sheet is superseded, the earlier one back in force. */
export async function revertAssessment(db: Db, at: string, before: AssessmentSnapshot | null, after: AssessmentSnapshot): Promise<void> {
  await db.updateTable('assessments').set({ superseded_at: at }).where('id', '=', after.id).execute();
  if (before) await db.updateTable('assessments').set({ superseded_at: null }).where('id', '=', before.id).execute();
}

/** The subjects of a kind still without a sheet for a period (compounds in the notice's order, or the street). */
export async function unassessed(
  db: Db, campaignId: number, settings: AfterCoverageSettings, kind: AssessmentKind, period: string, today: string, scope: { communityId?: number } = {},
): Promise<{ compounds: SubjectCompound[]; street: boolean }> {
  const done = await listAssessments(db, campaignId, { kind: kind.code, period, ...(scope.communityId !== undefined ? { communityId: scope.communityId } : {}) });
  if (kind.subject === 'street') return { compounds: [], street: scope.communityId === undefined && !done.some((a) => a.compoundId === null) };
  const assessedIds = new Set(done.map((a) => a.compoundId));
  const subjects = await assessmentSubjects(db, campaignId, settings, kind, today, scope);
  return { compounds: subjects.filter((c) => !assessedIds.has(c.id)), street: false };
}

/** 92 → '92', 92.5 → '92.5'. */
export const scoreText = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
