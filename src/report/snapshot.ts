import type { Db } from '../db/connect.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { addDays, localDate, localParts, zonedInstant } from '../calendar/dates.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import { ensurePeriodRow, periodByDue, type ReportPeriod } from '../domain/periods.ts';
import { loadReportRows, reportHeader, type ReportView } from './view.ts';
import { periodSnapshotByDue, periodSnapshotById, storePeriodSnapshot } from '../domain/report-data.ts';

/** A period closes when its effective due day ends: 00:00 of the next day in the campaign's time zone. */
export function periodEnd(campaign: CampaignInfo, period: ReportPeriod): Date {
  return zonedInstant(addDays(period.effectiveDue, 1), '00:00', campaign.timezone);
}

/** The period for a due date; a date that is no report day is treated as a period due (and effective) that day. */
export function periodFor(campaign: CampaignInfo, calendar: WorkCalendar, due: string): ReportPeriod {
  return periodByDue(campaign, calendar, due) ?? { due, effectiveDue: due };
}

/** The state of the compounds at the end of a period, rebuilt from the takeovers history. */
export async function stateAtPeriodEnd(db: Db, campaign: CampaignInfo, period: ReportPeriod): Promise<ReportView> {
  const end = periodEnd(campaign, period);
  const { rows, actions } = await loadReportRows(db, campaign, { at: end, asOfDate: period.effectiveDue });
  return {
    ...reportHeader(campaign),
    due: period.due,
    effectiveDue: period.effectiveDue,
    asOfDate: period.effectiveDue,
    asOf: end.toISOString(),
    basis: 'reconstructed',
    frozenAt: null,
    note: null,
    rows,
    actions,
  };
}

/** A tick this long after the end still counts as closing on time. */
const ON_TIME_MS = 60 * 60 * 1000;

/**
 * Freezes a period's 调度表 into report_periods.snapshot, once. Takeovers are taken as they stood at the
 * period's end whenever this runs; category and action states have no history, so a late close says so.
 * Returns false when the period was already frozen.
 */
export async function freezePeriod(db: Db, campaign: CampaignInfo, period: ReportPeriod, now: Date): Promise<boolean> {
  const id = await ensurePeriodRow(db, campaign.id, period);
  if (await periodSnapshotById(db, id)) return false;
  const view = await stateAtPeriodEnd(db, campaign, period);
  const late = now.getTime() - new Date(view.asOf).getTime() > ON_TIME_MS;
  const at = localParts(now, campaign.timezone);
  const snapshot: ReportView = {
    ...view,
    basis: 'snapshot',
    frozenAt: now.toISOString(),
    note: late ? `本期于${at.date} ${at.time}补记封存：入驻情况按历史记录还原至报送日，类别与攻坚行动为补记时的状态。` : null,
  };
  await storePeriodSnapshot(db, id, now, JSON.stringify(snapshot));
  return true;
}

/** The frozen view of a period, if it has been closed. */
export async function readSnapshot(db: Db, campaignId: number, due: string): Promise<ReportView | null> {
  const snapshot = await periodSnapshotByDue(db, campaignId, due);
  return snapshot ? (JSON.parse(snapshot) as ReportView) : null;
}

/**
 * The 调度表 for a due date: the frozen snapshot once the period has closed (rebuilt from history when it
 * closed without being frozen), the current state before that.
 */
export async function loadReportView(db: Db, campaign: CampaignInfo, calendar: WorkCalendar, opts: { due: string; now: Date }): Promise<ReportView> {
  const period = periodFor(campaign, calendar, opts.due);
  if (opts.now.getTime() >= periodEnd(campaign, period).getTime()) {
    return (await readSnapshot(db, campaign.id, period.due)) ?? (await stateAtPeriodEnd(db, campaign, period));
  }
  const today = localDate(opts.now, campaign.timezone);
  const { rows, actions } = await loadReportRows(db, campaign, { at: new Date(opts.now.getTime() + 1), asOfDate: today });
  return {
    ...reportHeader(campaign),
    due: period.due,
    effectiveDue: period.effectiveDue,
    asOfDate: today,
    asOf: opts.now.toISOString(),
    basis: 'live',
    frozenAt: null,
    note: null,
    rows,
    actions,
  };
}
