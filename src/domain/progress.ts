import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { localDate } from '../calendar/dates.ts';
import type { CampaignInfo } from './campaign.ts';
import { listCommunities } from './campaign.ts';
import { isCovered, isUpgradeDone, listCompounds } from './compounds.ts';
import { confirmedCommunityIds, currentPeriod } from './periods.ts';

export interface CommunityProgress {
  name: string;
  coverage: { total: number; covered: number };
  upgrade: { total: number; done: number };
  grievancesOpen: number;
}

/** The contract shape of GET /api/v1/progress (DESIGN §3.2). */
export interface Progress {
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

/** Computes progress as of `now`, for the whole campaign or one community. */
export async function computeProgress(deps: ProgressDeps, now: Date, scope: { communityId?: number } = {}): Promise<Progress> {
  const { db, campaign, calendar } = deps;
  const today = localDate(now, campaign.timezone);
  const nowIso = now.toISOString();
  const communities = (await listCommunities(db, campaign.id)).filter((c) => scope.communityId === undefined || c.id === scope.communityId);
  const compounds = await listCompounds(db, campaign.id, scope);

  let grievanceQuery = db
    .selectFrom('grievances')
    .innerJoin('compounds', 'compounds.id', 'grievances.compound_id')
    .select([
      'compounds.community_id',
      sql<number>`SUM(CASE WHEN grievances.status <> '已办结' THEN 1 ELSE 0 END)`.as('open'),
      sql<number>`SUM(CASE WHEN grievances.status = '已办结' THEN 1 ELSE 0 END)`.as('resolved'),
      // 已转办 waits for the new department's acceptance, so its acceptance deadline counts like 待受理's.
      sql<number>`SUM(CASE WHEN (grievances.status IN ('待受理', '已转办') AND grievances.accept_due_at < ${nowIso})
                        OR (grievances.status <> '已办结' AND grievances.resolve_due_at < ${nowIso}) THEN 1 ELSE 0 END)`.as('overdue'),
    ])
    .where('compounds.campaign_id', '=', campaign.id)
    .groupBy('compounds.community_id');
  if (scope.communityId !== undefined) grievanceQuery = grievanceQuery.where('compounds.community_id', '=', scope.communityId);
  const grievanceRows = await grievanceQuery.execute();
  const gBy = new Map(grievanceRows.map((r) => [r.community_id, r]));

  const byCommunity: CommunityProgress[] = communities.map((c) => {
    const mine = compounds.filter((x) => x.communityId === c.id);
    const cov = mine.filter((x) => x.track === 'coverage');
    const up = mine.filter((x) => x.track === 'upgrade');
    return {
      name: c.name,
      coverage: { total: cov.length, covered: cov.filter((x) => isCovered(x, today)).length },
      upgrade: { total: up.length, done: up.filter(isUpgradeDone).length },
      grievancesOpen: Number(gBy.get(c.id)?.open ?? 0),
    };
  });

  const upgrade = compounds.filter((x) => x.track === 'upgrade');
  const actionStates = upgrade.flatMap((x) => Object.values(x.actions ?? {}));
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
  const sum = (k: 'open' | 'resolved' | 'overdue') => grievanceRows.reduce((n, r) => n + Number(r[k] ?? 0), 0);
  return {
    asOf: nowIso,
    coverage: {
      total: byCommunity.reduce((n, c) => n + c.coverage.total, 0),
      covered: byCommunity.reduce((n, c) => n + c.coverage.covered, 0),
    },
    upgrade: {
      total: upgrade.length,
      done: upgrade.filter(isUpgradeDone).length,
      actionsDone: actionStates.filter((s) => s === '已完成').length,
      actionsTotal: actionStates.length,
    },
    grievances: { open: sum('open'), overdue: sum('overdue'), resolved: sum('resolved') },
    period: periodView,
    communities: byCommunity,
  };
}
