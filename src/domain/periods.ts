import type { Db } from '../db/connect.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import type { CampaignInfo } from './campaign.ts';

export interface ReportPeriod {
  due: string;
  effectiveDue: string;
}

/** Every report due date of the campaign (the report days of each month between its start and end). */
export function reportPeriods(campaign: Pick<CampaignInfo, 'startsOn' | 'endsOn' | 'definition'>, calendar: WorkCalendar): ReportPeriod[] {
  const days = [...campaign.definition.reports.days].sort((a, b) => a - b);
  const out: ReportPeriod[] = [];
  let [y, m] = campaign.startsOn.split('-').map(Number) as [number, number];
  const [endY, endM] = campaign.endsOn.split('-').map(Number) as [number, number];
  while (y < endY || (y === endY && m <= endM)) {
    for (const d of days) {
      const due = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      if (due >= campaign.startsOn && due <= campaign.endsOn) out.push({ due, effectiveDue: calendar.onOrBefore(due) });
    }
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out;
}

/** The period being reported on as of `date`: the first whose effective due day has not passed. */
export function currentPeriod(campaign: Pick<CampaignInfo, 'startsOn' | 'endsOn' | 'definition'>, calendar: WorkCalendar, date: string): ReportPeriod | null {
  return reportPeriods(campaign, calendar).find((p) => p.effectiveDue >= date) ?? null;
}

/** The period with this due date, if the campaign has one. */
export function periodByDue(campaign: Pick<CampaignInfo, 'startsOn' | 'endsOn' | 'definition'>, calendar: WorkCalendar, due: string): ReportPeriod | null {
  return reportPeriods(campaign, calendar).find((p) => p.due === due) ?? null;
}

/** The stored row for a period, created on first use. */
export async function ensurePeriodRow(db: Db, campaignId: number, p: ReportPeriod): Promise<number> {
  await db
    .insertInto('report_periods')
    .values({ campaign_id: campaignId, due_date: p.due, effective_due_date: p.effectiveDue, closed_at: null, snapshot: null })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await db.selectFrom('report_periods').select('id').where('campaign_id', '=', campaignId).where('due_date', '=', p.due).executeTakeFirstOrThrow();
  return row.id;
}

/** Names of the communities that confirmed the period with this due date. */
export async function confirmedCommunityIds(db: Db, campaignId: number, due: string): Promise<Set<number>> {
  const rows = await db
    .selectFrom('report_confirmations')
    .innerJoin('report_periods', 'report_periods.id', 'report_confirmations.period_id')
    .select('report_confirmations.community_id')
    .where('report_periods.campaign_id', '=', campaignId)
    .where('report_periods.due_date', '=', due)
    .execute();
  return new Set(rows.map((r) => r.community_id));
}
