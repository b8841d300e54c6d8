import type { Db } from '../db/connect.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import { type CampaignInfo, type CommunityInfo, listCommunities } from './campaign.ts';
import { listCompounds } from './compounds.ts';
import { type ReportPeriod, confirmedCommunityIds } from './periods.ts';
import { summaryGaps } from './gaps.ts';
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

/** Who confirmed a period and what the data still lacks, community by community, in the notice's order. */
export async function periodStatus(db: Db, campaign: CampaignInfo, due: string): Promise<PeriodStatus> {
  const communities = await listCommunities(db, campaign.id);
  const confirmed = await confirmedCommunityIds(db, campaign.id, due);
  const compounds = await listCompounds(db, campaign.id);
  const gapLines: string[] = [];
  for (const c of communities) {
    const counts = new Map<string, number>();
    let incomplete = 0;
    for (const x of compounds.filter((x) => x.communityId === c.id)) {
      const gaps = summaryGaps(x);
      if (gaps.length) incomplete++;
      for (const g of gaps) counts.set(g, (counts.get(g) ?? 0) + 1);
    }
    if (incomplete) gapLines.push(`${c.name}：${incomplete}个小区待补（${[...counts].map(([g, n]) => `${g} ${n}`).join('，')}）`);
  }
  return {
    confirmed: communities.filter((c) => confirmed.has(c.id)),
    missing: communities.filter((c) => !confirmed.has(c.id)),
    gapLines,
  };
}
