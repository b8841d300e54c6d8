import type { WorkCalendar } from '../calendar/workdays.ts';
import { addDays, zonedInstant } from '../calendar/dates.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import { type ReportPeriod, reportPeriods } from '../domain/periods.ts';

/** What the bot does at a scheduled moment (DESIGN §2.4). */
export type ScheduleKind = 'report-prompt' | 'report-reminder' | 'report-summary' | 'report-escalation' | 'deadline-reminder';

export interface ScheduleEntry {
  kind: ScheduleKind;
  /** The report period's due date, or the deadline's code. */
  ref: string;
  /** The working day (campaign time zone) it happens on. */
  day: string;
  at: Date;
  /** The end of that working day: a slot not run by then is logged as missed. */
  lateUntil: Date;
  /** Deadline reminders: the calendar days before the deadline that landed on this day (merged), e.g. [1, 0]. */
  daysBefore?: number[];
}

export type ScheduleCampaign = Pick<CampaignInfo, 'startsOn' | 'endsOn' | 'timezone' | 'definition'>;

/** The last instant of a local day: a reminder missed on its day is not sent on a later one. */
export function endOfDay(day: string, timeZone: string): Date {
  return new Date(zonedInstant(addDays(day, 1), '00:00', timeZone).getTime() - 1);
}

/** The working day before `day`. */
export function previousWorkingDay(calendar: WorkCalendar, day: string): string {
  return calendar.onOrBefore(addDays(day, -1));
}

function entry(kind: ScheduleKind, ref: string, day: string, time: string, timeZone: string, extra: Partial<ScheduleEntry> = {}): ScheduleEntry {
  return { kind, ref, day, at: zonedInstant(day, time, timeZone), lateUntil: endOfDay(day, timeZone), ...extra };
}

/** Prompt the working day before the effective due day; reminder, summary and escalation on it. */
export function periodSchedule(campaign: ScheduleCampaign, calendar: WorkCalendar, p: ReportPeriod): ScheduleEntry[] {
  const r = campaign.definition.reports;
  const tz = campaign.timezone;
  return [
    entry('report-prompt', p.due, previousWorkingDay(calendar, p.effectiveDue), r.promptTime, tz),
    entry('report-reminder', p.due, p.effectiveDue, r.reminderTime, tz),
    entry('report-summary', p.due, p.effectiveDue, r.summaryTime, tz),
    entry('report-escalation', p.due, p.effectiveDue, r.escalationTime, tz),
  ];
}

/** Every report-period slot of the campaign. */
export function reportSchedule(campaign: ScheduleCampaign, calendar: WorkCalendar): ScheduleEntry[] {
  return reportPeriods(campaign, calendar).flatMap((p) => periodSchedule(campaign, calendar, p));
}

/**
 * Deadline reminders: `daysBefore` calendar days before each deadline, moved back to the last working day when
 * that is not one; reminders of one deadline that land on the same day merge into one.
 */
export function deadlineSchedule(campaign: ScheduleCampaign, calendar: WorkCalendar): ScheduleEntry[] {
  const { daysBefore, time } = campaign.definition.deadlineReminders;
  const out: ScheduleEntry[] = [];
  for (const d of campaign.definition.deadlines) {
    const byDay = new Map<string, number[]>();
    for (const n of [...new Set(daysBefore)].sort((a, b) => b - a)) {
      const day = calendar.onOrBefore(addDays(d.date, -n));
      byDay.set(day, [...(byDay.get(day) ?? []), n]);
    }
    for (const [day, merged] of byDay) out.push(entry('deadline-reminder', d.code, day, time, campaign.timezone, { daysBefore: merged }));
  }
  return out;
}

const KIND_ORDER: ScheduleKind[] = ['report-prompt', 'report-reminder', 'deadline-reminder', 'report-summary', 'report-escalation'];

// The scheduler asks every minute and each job asks again: the schedule only changes with the definition.
const cache = new WeakMap<object, WeakMap<WorkCalendar, readonly ScheduleEntry[]>>();

function fullSchedule(campaign: ScheduleCampaign, calendar: WorkCalendar): readonly ScheduleEntry[] {
  let byCalendar = cache.get(campaign.definition);
  if (!byCalendar) cache.set(campaign.definition, (byCalendar = new WeakMap()));
  let entries = byCalendar.get(calendar);
  if (!entries) {
    entries = [...reportSchedule(campaign, calendar), ...deadlineSchedule(campaign, calendar)]
      .sort((a, b) => a.at.getTime() - b.at.getTime() || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.ref.localeCompare(b.ref))
      .map((e) => Object.freeze(e));
    byCalendar.set(calendar, entries);
  }
  return entries;
}

/** The whole schedule in time order, optionally only the entries whose `at` lies in [from, to]. */
export function campaignSchedule(campaign: ScheduleCampaign, calendar: WorkCalendar, from?: Date, to?: Date): ScheduleEntry[] {
  return fullSchedule(campaign, calendar).filter((e) => (!from || e.at.getTime() >= from.getTime()) && (!to || e.at.getTime() <= to.getTime()));
}
