import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import { type CampaignInfo, type CommunityInfo, listCommunities } from './campaign.ts';
import { type ReportPeriod, confirmedCommunityIds } from './periods.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { nonWorkingDayWord } from '../text/wording.ts';

/** `节假日` or `休息日`: why a period's due day moved to an earlier working day. */
export function dueMoveWord(calendar: WorkCalendar, p: ReportPeriod): string {
  return nonWorkingDayWord(calendar.isHoliday(p.due));
}

/** '10月1日调度表（9月30日报送）', or without the brackets when the due day is a working day. */
export function periodLabel(p: ReportPeriod): string {
  const due = formatChineseDate(p.due);
  return p.due === p.effectiveDue ? `${due}调度表` : `${due}调度表（${formatChineseDate(p.effectiveDue)}报送）`;
}

export interface PeriodStatus {
  confirmed: CommunityInfo[];
  missing: CommunityInfo[];
  /** Per community with gaps: a line such as `梅园社区：3个小区待补（未入驻 2、类别 3）`. */
  gapLines: string[];
}

/** The labels of summaryGaps, in the order a gap line lists them. */
const GAP_COLUMNS = [
  ['no_coverage_takeover', '未入驻'],
  ['no_upgrade_takeover', '物业信息未录入'],
  ['company', '物业企业'],
  ['services', '服务内容'],
  ['manager', '负责人'],
  ['phone', '联系电话'],
  ['category', '类别'],
] as const;

/**
 * summaryGaps' rule as SQL aggregates, per community: how many compounds lack something, and how many lack each
 * item. No compound row reaches JavaScript (a city has 100,000 of them); a test holds this to summaryGaps.
 */
export async function gapCountsByCommunity(db: Db, campaignId: number) {
  const blank = (col: string) => sql`(${sql.ref(col)} IS NULL OR ${sql.ref(col)} = '')`;
  const has = sql`takeovers.id IS NOT NULL`;
  const count = (cond: ReturnType<typeof sql>) => sql<number>`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
  const gaps = {
    no_coverage_takeover: sql`takeovers.id IS NULL AND compounds.track = 'coverage'`,
    no_upgrade_takeover: sql`takeovers.id IS NULL AND compounds.track = 'upgrade'`,
    company: sql`${has} AND takeovers.nature = '外聘' AND ${blank('takeovers.company')}`,
    services: sql`${has} AND takeovers.services = '[]'`,
    manager: sql`${has} AND ${blank('takeovers.manager')}`,
    phone: sql`${has} AND ${blank('takeovers.phone')}`,
    category: sql`compounds.category IS NULL`,
  };
  const any = sql.join(Object.values(gaps).map((g) => sql`(${g})`), sql` OR `);
  return db
    .selectFrom('compounds')
    .leftJoin('takeovers', (j) => j.onRef('takeovers.compound_id', '=', 'compounds.id').on('takeovers.superseded_at', 'is', null))
    .select([
      'compounds.community_id',
      count(any).as('incomplete'),
      ...GAP_COLUMNS.map(([k]) => count(gaps[k]).as(k)),
    ])
    .where('compounds.campaign_id', '=', campaignId)
    .groupBy('compounds.community_id')
    .execute();
}

/** Who confirmed a period and what the data still lacks, community by community, in the notice's order. */
export async function periodStatus(db: Db, campaign: CampaignInfo, due: string): Promise<PeriodStatus> {
  const communities = await listCommunities(db, campaign.id);
  const confirmed = await confirmedCommunityIds(db, campaign.id, due);
  const gapsOf = new Map((await gapCountsByCommunity(db, campaign.id)).map((r) => [r.community_id, r as unknown as Record<string, unknown>]));
  const gapLines: string[] = [];
  for (const c of communities) {
    const r = gapsOf.get(c.id);
    const incomplete = Number(r?.incomplete ?? 0);
    if (!incomplete) continue;
    const parts = GAP_COLUMNS.map(([k, label]) => [label, Number(r?.[k] ?? 0)] as const).filter(([, n]) => n > 0);
    gapLines.push(`${c.name}：${incomplete}个小区待补（${parts.map(([g, n]) => `${g} ${n}`).join('，')}）`);
  }
  return {
    confirmed: communities.filter((c) => confirmed.has(c.id)),
    missing: communities.filter((c) => !confirmed.has(c.id)),
    gapLines,
  };
}
