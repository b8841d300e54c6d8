/**
 * The after-coverage counts of 进度 (公示, 业委会, the period's assessment, 奖补), from SQL aggregates so they
 * stay fast at city scale.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { onCompoundState } from './compound-state-cache.ts';
import type { Database } from '../db/schema.ts';
import { type AfterCoverageSettings, afterCoverageSettings } from '../campaign/after-coverage.ts';
import type { AssessmentKind } from '../campaign/after-coverage-schema.ts';
import type { CampaignInfo } from './campaign.ts';
import { currentPeriod } from './assessments.ts';
import { COMMITTEE_STATES, type CommitteeState } from './disclosure.ts';
import { SUBSIDY_STATES, type SubsidyState } from './subsidies.ts';

export interface AfterCoverageTotals {
  /** Compounds with every 公示 item 已公示, and how many compounds have each item 已公示. */
  disclosure: { items: string[]; total: number; complete: number; byItem: Record<string, number> };
  /** Compounds by 业委会 state (a compound never recorded counts as 未成立). */
  committees: { total: number } & Record<CommitteeState, number>;
  /** The current period of the campaign's main compound assessment. */
  assessment: { kind: string; name: string; period: string; subjects: number; assessed: number; passed: number } | null;
  /** 奖补 by state; paidAmount in 元. */
  subsidies: Record<SubsidyState, number> & { paidAmount: number };
}

type CompoundsEb = ExpressionBuilder<Database, 'compounds'>;
const n = (v: unknown) => Number(v ?? 0);

/** The SQL form of `isOldCompound`. */
function oldCondition(eb: CompoundsEb, settings: AfterCoverageSettings) {
  const parts = [];
  if (settings.oldCompounds.tracks.length) parts.push(eb('compounds.track', 'in', settings.oldCompounds.tracks));
  if (settings.oldCompounds.compounds.length) parts.push(eb('compounds.name', 'in', settings.oldCompounds.compounds));
  return parts.length ? eb.or(parts) : sql<boolean>`1 = 0`;
}

/** The SQL form of `inSubjectSet`: which compounds a kind of assessment covers on `today`. */
function subjectCondition(eb: CompoundsEb, settings: AfterCoverageSettings, kind: AssessmentKind, today: string) {
  switch (kind.compounds) {
    case 'all': return sql<boolean>`1 = 1`;
    case 'coverage': return eb('compounds.track', '=', 'coverage');
    case 'upgrade': return eb('compounds.track', '=', 'upgrade');
    case 'old': return oldCondition(eb, settings);
    case 'managed':
      return eb.or([
        eb('compounds.track', '=', 'upgrade'),
        eb.exists(eb.selectFrom('takeovers').select('takeovers.id')
          .whereRef('takeovers.compound_id', '=', 'compounds.id').where('takeovers.superseded_at', 'is', null).where('takeovers.start_date', '<=', today)),
      ]);
  }
}

/** Cached until compound state changes (src/domain/compound-state-cache.ts): 公示, 业委会, assessments, 奖补 and takeovers. */
export function afterCoverageProgress(db: Db, campaign: CampaignInfo, today: string, communityId?: number): Promise<AfterCoverageTotals> {
  return onCompoundState(db, `after-coverage|${campaign.id}|${today}|${communityId ?? '*'}`, () => computeTotals(db, campaign, today, communityId));
}

async function computeTotals(db: Db, campaign: CampaignInfo, today: string, communityId?: number): Promise<AfterCoverageTotals> {
  const settings = afterCoverageSettings(campaign.definition);
  const items = settings.disclosure.items.map((i) => i.name);
  const scoped = <Q extends { where: (...args: any[]) => Q }>(q: Q): Q => (communityId === undefined ? q : q.where('compounds.community_id', '=', communityId));

  const totals = await scoped(db.selectFrom('compounds').select(sql<number>`COUNT(*)`.as('n')).where('compounds.campaign_id', '=', campaign.id)).execute();

  const perCompound = db.selectFrom('compound_disclosures')
    .select(['compound_disclosures.compound_id', sql<number>`COUNT(*)`.as('n')])
    .where('compound_disclosures.state', '=', '已公示').where('compound_disclosures.item', 'in', items)
    .groupBy('compound_disclosures.compound_id').as('d');
  const complete = await scoped(db.selectFrom(perCompound).innerJoin('compounds', 'compounds.id', 'd.compound_id')
    .select(sql<number>`SUM(CASE WHEN d.n >= ${items.length} THEN 1 ELSE 0 END)`.as('complete'))
    .where('compounds.campaign_id', '=', campaign.id)).execute();
  const byItem = await scoped(db.selectFrom('compound_disclosures').innerJoin('compounds', 'compounds.id', 'compound_disclosures.compound_id')
    .select(['compound_disclosures.item', sql<number>`COUNT(*)`.as('n')])
    .where('compounds.campaign_id', '=', campaign.id).where('compound_disclosures.state', '=', '已公示'))
    .groupBy('compound_disclosures.item').execute();

  const committees = await scoped(db.selectFrom('compound_committees').innerJoin('compounds', 'compounds.id', 'compound_committees.compound_id')
    .select(['compound_committees.state', sql<number>`COUNT(*)`.as('n')])
    .where('compounds.campaign_id', '=', campaign.id))
    .groupBy('compound_committees.state').execute();

  const kind = settings.assessment.kinds.find((k) => k.subject === 'compound') ?? null;
  const period = kind ? currentPeriod(kind, today) : null;
  const assessment = kind && period
    ? await scoped(db.selectFrom('compounds')
        .leftJoin('assessments', (j) => j.onRef('assessments.compound_id', '=', 'compounds.id')
          .on('assessments.kind', '=', kind.code).on('assessments.period', '=', period).on('assessments.superseded_at', 'is', null))
        .select([sql<number>`COUNT(*)`.as('subjects'), sql<number>`COUNT(assessments.id)`.as('assessed'), sql<number>`COUNT(CASE WHEN assessments.passed = ${1} THEN 1 END)`.as('passed')])
        .where('compounds.campaign_id', '=', campaign.id)
        // Assessed this period stays counted even if the compound has since left the set (as 考核结果 shows it).
        .where((eb) => eb.or([subjectCondition(eb, settings, kind, today), eb('assessments.id', 'is not', null)]))).execute()
    : [];

  const s = settings.subsidy;
  const stored = s
    ? await scoped(db.selectFrom('subsidies').innerJoin('compounds', 'compounds.id', 'subsidies.compound_id')
        .select(['subsidies.state', sql<number>`COUNT(*)`.as('n'), sql<number>`SUM(COALESCE(subsidies.paid_fen, 0))`.as('paid')])
        .where('compounds.campaign_id', '=', campaign.id))
        .groupBy('subsidies.state').execute()
    : [];
  const eligible = s
    ? await scoped(db.selectFrom('assessments').innerJoin('compounds', 'compounds.id', 'assessments.compound_id')
        .select(sql<number>`COUNT(*)`.as('n'))
        .where('assessments.campaign_id', '=', campaign.id).where('assessments.kind', '=', s.kind.code)
        .where('assessments.superseded_at', 'is', null).where('assessments.passed', '=', 1)
        .where((eb) => oldCondition(eb as unknown as CompoundsEb, settings))
        .where((eb) => eb.not(eb.exists(eb.selectFrom('subsidies').select('subsidies.id')
          .whereRef('subsidies.compound_id', '=', 'assessments.compound_id').whereRef('subsidies.period', '=', 'assessments.period'))))).execute()
    : [];

  const out: AfterCoverageTotals = {
    disclosure: { items, total: 0, complete: 0, byItem: Object.fromEntries(items.map((i) => [i, 0])) },
    committees: { total: 0, ...(Object.fromEntries(COMMITTEE_STATES.map((st) => [st, 0])) as Record<CommitteeState, number>) },
    assessment: kind && period ? { kind: kind.code, name: kind.name, period, subjects: 0, assessed: 0, passed: 0 } : null,
    subsidies: { ...(Object.fromEntries(SUBSIDY_STATES.map((st) => [st, 0])) as Record<SubsidyState, number>), paidAmount: 0 },
  };
  for (const r of totals) {
    out.disclosure.total += n(r.n);
    out.committees.total += n(r.n);
  }
  for (const r of complete) out.disclosure.complete += n(r.complete);
  for (const r of byItem) if (r.item in out.disclosure.byItem) out.disclosure.byItem[r.item] = n(r.n);
  let recorded = 0;
  for (const r of committees) {
    const st = r.state as CommitteeState;
    out.committees[st] += n(r.n);
    recorded += n(r.n);
  }
  // Never recorded: 未成立.
  out.committees['未成立'] += out.committees.total - recorded;
  for (const r of assessment) {
    out.assessment!.subjects += n(r.subjects);
    out.assessment!.assessed += n(r.assessed);
    out.assessment!.passed += n(r.passed);
  }
  for (const r of stored) {
    out.subsidies[r.state as SubsidyState] += n(r.n);
    out.subsidies.paidAmount += n(r.paid) / 100;
  }
  for (const r of eligible) out.subsidies['待申报'] += n(r.n);
  out.subsidies.paidAmount = Math.round(out.subsidies.paidAmount * 100) / 100;
  return out;
}
