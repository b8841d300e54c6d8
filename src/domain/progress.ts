import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { localDate } from '../calendar/dates.ts';
import type { CampaignInfo } from './campaign.ts';
import { listCommunities } from './campaign.ts';
import { confirmedCommunityIds, currentPeriod } from './periods.ts';
import { UPGRADE_ACTIONS } from '../campaign/schema.ts';
import { type AfterCoverageTotals, afterCoverageProgress } from './after-coverage-progress.ts';
import { onCompoundState } from './compound-state-cache.ts';

export interface CommunityProgress {
  name: string;
  coverage: { total: number; covered: number };
  upgrade: { total: number; done: number };
  grievancesOpen: number;
}

/** The contract shape of GET /api/v1/progress (DESIGN §3.2), plus the after-coverage counts. */
export interface Progress extends AfterCoverageTotals {
  asOf: string;
  coverage: { total: number; covered: number };
  upgrade: { total: number; done: number; actionsDone: number; actionsTotal: number };
  grievances: { open: number; overdue: number; resolved: number };
  period: { due: string; effectiveDue: string; confirmed: string[]; missing: string[] } | null;
  communities: CommunityProgress[];
}

export interface ProgressDeps {
  db: Db;
  campaign: CampaignInfo;
  calendar: WorkCalendar;
}

export const OPEN_STATUSES = ['待受理', '处理中', '已转办'] as const;

interface CommunityCounts {
  coverageTotal: number;
  covered: number;
  upgradeTotal: number;
  upgradeDone: number;
  actionsDone: number;
  open: number;
  resolved: number;
  overdue: number;
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * Per-community counts straight from SQL aggregates (no rows of compounds or grievances reach JavaScript), so
 * 进度 stays fast at city scale. A coverage compound is covered when its current takeover started by `today`;
 * an upgrade compound is done when all its actions are 已完成.
 */
async function countByCommunity(db: Db, campaign: CampaignInfo, today: string, nowIso: string, communityId?: number): Promise<Map<number, CommunityCounts>> {
  const actionsPerCompound = UPGRADE_ACTIONS.length;
  const scoped = <Q extends { where: (...args: any[]) => Q }>(q: Q): Q =>
    (communityId === undefined ? q : q.where('compounds.community_id', '=', communityId));

  // Compound state only (no grievances): reused until a takeover, category or upgrade action changes.
  const { coverage, upgrade } = await onCompoundState(db, `progress-counts|${campaign.id}|${today}|${communityId ?? '*'}`, async () => {
    const coverage = await scoped(
      db
        .selectFrom('compounds')
        .leftJoin('takeovers', (j) =>
          j.onRef('takeovers.compound_id', '=', 'compounds.id').on('takeovers.superseded_at', 'is', null).on('takeovers.start_date', '<=', today),
        )
        .select([
          'compounds.community_id',
          sql<number>`COUNT(DISTINCT compounds.id)`.as('total'),
          sql<number>`COUNT(DISTINCT takeovers.compound_id)`.as('covered'),
        ])
        .where('compounds.campaign_id', '=', campaign.id)
        .where('compounds.track', '=', 'coverage'),
    )
      .groupBy('compounds.community_id')
      .execute();

    const doneActions = db
      .selectFrom('upgrade_actions')
      .select(['upgrade_actions.compound_id', sql<number>`COUNT(*)`.as('done')])
      .where('upgrade_actions.state', '=', '已完成')
      .groupBy('upgrade_actions.compound_id')
      .as('d');
    const upgrade = await scoped(
      db
        .selectFrom('compounds')
        .leftJoin(doneActions, 'd.compound_id', 'compounds.id')
        .select([
          'compounds.community_id',
          sql<number>`COUNT(*)`.as('total'),
          sql<number>`SUM(CASE WHEN d.done >= ${actionsPerCompound} THEN 1 ELSE 0 END)`.as('done'),
          sql<number>`SUM(COALESCE(d.done, 0))`.as('actions_done'),
        ])
        .where('compounds.campaign_id', '=', campaign.id)
        .where('compounds.track', '=', 'upgrade'),
    )
      .groupBy('compounds.community_id')
      .execute();
    return { coverage, upgrade };
  });

  const grievances = await grievanceCounts(db, campaign, nowIso, communityId);
  const out = new Map<number, CommunityCounts>();
  const get = (id: number) => {
    let c = out.get(id);
    if (!c) {
      c = { coverageTotal: 0, covered: 0, upgradeTotal: 0, upgradeDone: 0, actionsDone: 0, open: 0, resolved: 0, overdue: 0 };
      out.set(id, c);
    }
    return c;
  };
  for (const r of coverage) Object.assign(get(r.community_id), { coverageTotal: n(r.total), covered: n(r.covered) });
  for (const r of upgrade) Object.assign(get(r.community_id), { upgradeTotal: n(r.total), upgradeDone: n(r.done), actionsDone: n(r.actions_done) });
  for (const r of grievances) Object.assign(get(r.community_id), { open: n(r.open), resolved: n(r.resolved), overdue: n(r.overdue) });
  return out;
}

type GrievanceRow = { community_id: number; open: number; resolved: number; overdue: number };

/**
 * The one definition of an overdue grievance, as SQL over the grievances table: not accepted within its acceptance
 * limit, or not resolved within its resolution limit. 已转办 waits for the new department's acceptance, so its
 * acceptance deadline counts like 待受理's. 进度, the API and the leaders' digest all count with it.
 */
export function grievanceOverdueSql(nowIso: string) {
  // 已转办 waits for the new department's acceptance, so its acceptance deadline counts like 待受理's; 已办结 and
  // 已撤回 (withdrawn as a mistake) are never overdue.
  return sql<boolean>`((grievances.status IN ('待受理', '已转办') AND grievances.accept_due_at < ${nowIso})
                        OR (grievances.status IN ('待受理', '处理中', '已转办') AND grievances.resolve_due_at < ${nowIso}))`;
}

/**
 * Grievance counts are the one aggregate that grows with history (millions of rows in a city): they are read from
 * the tallies kept per community, status and overdue instant (src/domain/grievance-tallies.ts), a few thousand
 * rows whatever the history, so 进度 is as fast on a cold start as on the hundredth ask.
 */
async function grievanceCounts(db: Db, campaign: CampaignInfo, nowIso: string, communityId?: number): Promise<GrievanceRow[]> {
  const open = sql`grievance_tallies.status IN ('待受理', '处理中', '已转办')`;
  let q = db
    .selectFrom('grievance_tallies')
    .innerJoin('communities', 'communities.id', 'grievance_tallies.community_id')
    .select([
      'grievance_tallies.community_id',
      // Open means still being handled: 已办结 and 已撤回 (withdrawn as a mistake) are not.
      sql<number>`SUM(CASE WHEN ${open} THEN grievance_tallies.n ELSE 0 END)`.as('open'),
      sql<number>`SUM(CASE WHEN grievance_tallies.status = '已办结' THEN grievance_tallies.n ELSE 0 END)`.as('resolved'),
      sql<number>`SUM(CASE WHEN ${open} AND grievance_tallies.overdue_at < ${nowIso} THEN grievance_tallies.n ELSE 0 END)`.as('overdue'),
    ])
    .where('communities.campaign_id', '=', campaign.id);
  if (communityId !== undefined) q = q.where('grievance_tallies.community_id', '=', communityId);
  return q.groupBy('grievance_tallies.community_id').execute();
}

/** Computes progress as of `now`, for the whole campaign or one community. */
export async function computeProgress(deps: ProgressDeps, now: Date, scope: { communityId?: number } = {}): Promise<Progress> {
  const { db, campaign, calendar } = deps;
  const today = localDate(now, campaign.timezone);
  const nowIso = now.toISOString();
  const communities = (await listCommunities(db, campaign.id)).filter((c) => scope.communityId === undefined || c.id === scope.communityId);
  const counts = await countByCommunity(db, campaign, today, nowIso, scope.communityId);
  const zero: CommunityCounts = { coverageTotal: 0, covered: 0, upgradeTotal: 0, upgradeDone: 0, actionsDone: 0, open: 0, resolved: 0, overdue: 0 };
  const of = (id: number) => counts.get(id) ?? zero;

  const after = await afterCoverageProgress(db, campaign, today, scope.communityId);
  const byCommunity: CommunityProgress[] = communities.map((c) => ({
    name: c.name,
    coverage: { total: of(c.id).coverageTotal, covered: of(c.id).covered },
    upgrade: { total: of(c.id).upgradeTotal, done: of(c.id).upgradeDone },
    grievancesOpen: of(c.id).open,
  }));

  const period = currentPeriod(campaign, calendar, today);
  let periodView: Progress['period'] = null;
  if (period) {
    const confirmed = await confirmedCommunityIds(db, campaign.id, period.due);
    periodView = {
      due: period.due,
      effectiveDue: period.effectiveDue,
      confirmed: communities.filter((c) => confirmed.has(c.id)).map((c) => c.name),
      missing: communities.filter((c) => !confirmed.has(c.id)).map((c) => c.name),
    };
  }
  const total = (k: keyof CommunityCounts) => communities.reduce((sum, c) => sum + of(c.id)[k], 0);
  return {
    asOf: nowIso,
    coverage: { total: total('coverageTotal'), covered: total('covered') },
    upgrade: {
      total: total('upgradeTotal'),
      done: total('upgradeDone'),
      actionsDone: total('actionsDone'),
      actionsTotal: total('upgradeTotal') * UPGRADE_ACTIONS.length,
    },
    grievances: { open: total('open'), overdue: total('overdue'), resolved: total('resolved') },
    period: periodView,
    communities: byCommunity,
    // After coverage (公示, 业委会, assessment, 奖补): new keys only, so the contract's fields stay as they are.
    ...after,
  };
}
