import type { Db } from '../db/connect.ts';
import { type WorkCalendar, OFFICIAL_LAST_YEAR, unknownYears } from '../calendar/workdays.ts';
import type { CampaignInfo } from './campaign.ts';

/**
 * The years the campaign runs into (this one or later, while it lasts) whose working days are only a weekend guess:
 * the days off and make-up workdays there may be wrong until an admin enters them.
 */
export function yearsNeedingCalendar(campaign: Pick<CampaignInfo, 'startsOn' | 'endsOn'>, calendar: WorkCalendar, today: string): number[] {
  if (today > campaign.endsOn) return [];
  return unknownYears(calendar, Number(campaign.startsOn.slice(0, 4)), Number(campaign.endsOn.slice(0, 4))).filter((y) => y >= Number(today.slice(0, 4)));
}

export function calendarWarningText(years: number[]): string {
  const list = years.map((y) => `${y}年`).join('、');
  return `⚠️ 提醒管理员：${list}的法定节假日和调休安排尚未收录（节假日数据只到${OFFICIAL_LAST_YEAR}年），目前按周六、周日休息计算工作日，报送日和提醒可能不准。请按国务院办公厅通知补录，例如“日历 放假 ${years[0]}-10-01至${years[0]}-10-07 国庆节”“日历 补班 ${years[0]}-09-26”。发送“日历”查看已录入的安排。`;
}

/**
 * The warning for an admin, the first time they ask (帮助 or 节点) after the campaign runs into such a year; later
 * answers leave it out. Recorded in the reminder ledger, so it is once per admin and year across restarts.
 */
export async function calendarWarningOnce(
  db: Db,
  args: { campaign: CampaignInfo; calendar: WorkCalendar; today: string; openId: string; isAdmin: boolean; now: Date },
): Promise<string | null> {
  if (!args.isAdmin) return null;
  const years = yearsNeedingCalendar(args.campaign, args.calendar, args.today);
  const fresh: number[] = [];
  for (const year of years) {
    const r = await db
      .insertInto('reminder_ledger')
      .values({
        reminder_key: `calendar-warning:${args.campaign.code}:${year}:${args.openId}`, kind: 'calendar-warning',
        slot_at: args.now.toISOString(), status: 'sent', recorded_at: args.now.toISOString(), detail: null,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0n) > 0) fresh.push(year);
  }
  return fresh.length ? calendarWarningText(fresh) : null;
}
