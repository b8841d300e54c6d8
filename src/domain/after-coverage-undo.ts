/** How 撤销 reverts the after-coverage changes: who may, what the change was about, and the revert itself. */
import type { Selectable } from 'kysely';
import type { AuditLogTable } from '../db/schema.ts';
import { UserError } from '../errors.ts';
import { canWriteCommunity, writeRefusal } from '../auth/scope.ts';
import { actorMay, actorsLabel } from '../auth/campaign-actors.ts';
import { afterCoverageSettings, assessmentKind } from '../campaign/after-coverage.ts';
import type { CampaignInfo } from './campaign.ts';
import { type AssessmentSnapshot, revertAssessment } from './assessments.ts';
import { type RecordSnapshot, withdrawCompanyRecord } from './companies.ts';
import { type CommitteeState, type DatedState, type DisclosureState, revertCommittee, revertDisclosure } from './disclosure.ts';
import { type SubsidySnapshot, type SubsidyStep, revertSubsidy } from './subsidies.ts';
import type { WriteContext } from './write-context.ts';

type AuditRow = Selectable<AuditLogTable>;
export type UndoContext = WriteContext & { campaign: CampaignInfo };

export interface UndoSubject {
  name: string;
  communityId: number | null;
  community: string | null;
}

export interface EntityUndo {
  /** What the change was, in words: 考核评分, 奖补, … */
  label: string;
  /** What the entry is about; refuses (UserError) when the person may no longer make such a change. */
  subject(ctx: UndoContext, row: AuditRow): Promise<UndoSubject>;
  revert(ctx: UndoContext, row: AuditRow): Promise<void>;
}

const parse = <T>(s: string | null): T | null => (s ? (JSON.parse(s) as T) : null);
const compoundIdOf = (row: AuditRow) => Number(row.entity_id.split(':')[0]);

async function compoundSubject(ctx: UndoContext, compoundId: number, check: 'write' | 'none'): Promise<UndoSubject> {
  const c = await ctx.db
    .selectFrom('compounds').innerJoin('communities', 'communities.id', 'compounds.community_id')
    .select(['compounds.name', 'compounds.community_id', 'communities.name as community'])
    .where('compounds.id', '=', compoundId).executeTakeFirstOrThrow();
  if (check === 'write' && !canWriteCommunity(ctx.actor, c.community_id)) throw new UserError(writeRefusal(ctx.actor, c.community));
  return { name: c.name, communityId: c.community_id, community: c.community };
}

const disclosure: EntityUndo = {
  label: '公示',
  subject: (ctx, row) => compoundSubject(ctx, compoundIdOf(row), 'write'),
  async revert(ctx, row) {
    const after = parse<{ item: string }>(row.after)!;
    await revertDisclosure(ctx, compoundIdOf(row), after.item, parse<DatedState<DisclosureState>>(row.before));
  },
};

const committee: EntityUndo = {
  label: '业委会',
  subject: (ctx, row) => compoundSubject(ctx, compoundIdOf(row), 'write'),
  revert: (ctx, row) => revertCommittee(ctx, compoundIdOf(row), parse<DatedState<CommitteeState>>(row.before)),
};

const assessment: EntityUndo = {
  label: '考核评分',
  async subject(ctx, row) {
    const after = parse<AssessmentSnapshot>(row.after)!;
    const kind = assessmentKind(afterCoverageSettings(ctx.campaign.definition), after.kind);
    const assessors = kind?.assessors ?? { roles: [], departments: [] };
    if (!actorMay(ctx.actor, assessors)) throw new UserError(`抱歉，${kind?.name ?? '考核'}评分仅限${actorsLabel(assessors)}，未作改动。`);
    if (after.compoundId === null) return { name: ctx.campaign.street, communityId: null, community: null };
    return compoundSubject(ctx, after.compoundId, 'none');
  },
  revert: (ctx, row) => revertAssessment(ctx.db, ctx.now.toISOString(), parse<AssessmentSnapshot>(row.before), parse<AssessmentSnapshot>(row.after)!),
};

const subsidy: EntityUndo = {
  label: '奖补',
  async subject(ctx, row) {
    const s = afterCoverageSettings(ctx.campaign.definition).subsidy;
    const step = row.action.replace('subsidy.', '') as SubsidyStep;
    const actors = s?.steps[step] ?? { roles: [], departments: [] };
    if (!actorMay(ctx.actor, actors)) throw new UserError(`抱歉，这一步奖补仅限${actorsLabel(actors)}办理，未作改动。`);
    return compoundSubject(ctx, compoundIdOf(row), 'none');
  },
  revert: (ctx, row) => revertSubsidy(ctx, row.entity_id, ctx.campaign.id, parse<SubsidySnapshot>(row.before)),
};

const companyRecord: EntityUndo = {
  label: '不良记录',
  async subject(ctx, row) {
    const writers = afterCoverageSettings(ctx.campaign.definition).companyRecords.writers;
    if (!actorMay(ctx.actor, writers)) throw new UserError(`抱歉，不良记录仅限${actorsLabel(writers)}登记和撤销，未作改动。`);
    return { name: parse<RecordSnapshot>(row.after)!.company, communityId: null, community: null };
  },
  revert: (ctx, row) => withdrawCompanyRecord(ctx, parse<RecordSnapshot>(row.after)!.id),
};

/** Audit entities of the after-coverage changes that 撤销 can revert. */
export const AFTER_COVERAGE_UNDO: Record<string, EntityUndo> = {
  disclosure, committee, assessment, subsidy, company_record: companyRecord,
};
