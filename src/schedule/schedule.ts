import type { WorkCalendar } from '../calendar/workdays.ts';
import { addDays, zonedInstant } from '../calendar/dates.ts';
import type { LadderStepKind } from '../campaign/schema.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import { type ReportPeriod, reportPeriods } from '../domain/periods.ts';

/** What the bot does at a scheduled moment (DESIGN §2.4). */
export type ScheduleKind =
  | 'report-prompt'
  | 'report-reminder'
  | 'report-direct'
  | 'report-urgent'
  | 'report-summary'
  | 'report-escalation'
  | 'deadline-reminder'
  | 'deadline-overdue';

/** The job that carries out each step of the escalation ladder. */
export const LADDER_KINDS: Record<LadderStepKind, ScheduleKind> = {
  prompt: 'report-prompt',
  reminder: 'report-reminder',
  direct: 'report-direct',
  urgent: 'report-urgent',
  escalate: 'report-escalation',
};

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
  /** Overdue alerts: 0 for the first (the working day after the deadline), then 1, 2, … for the repeats. */
  overdueRound?: number;
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

/** The working day `n` working days before `day` (0 = `day` itself). */
export function workingDaysBefore(calendar: WorkCalendar, day: string, n: number): string {
  let d = day;
  for (let i = 0; i < n; i++) d = previousWorkingDay(calendar, d);
  return d;
}

/**
 * The escalation ladder of one period (by default: prompt the working day before the effective due day, then
 * reminder and escalation on it), plus the 专班's summary on the due day.
 */
export function periodSchedule(campaign: ScheduleCampaign, calendar: WorkCalendar, p: ReportPeriod): ScheduleEntry[] {
  const r = campaign.definition.reports;
  const tz = campaign.timezone;
  return [
    ...r.ladder.map((s) => entry(LADDER_KINDS[s.step], p.due, workingDaysBefore(calendar, p.effectiveDue, s.workingDaysBefore), s.time, tz)),
    entry('report-summary', p.due, p.effectiveDue, r.summaryTime, tz),
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

/**
 * Alerts after a deadline that passed with work outstanding: the first working day after it, then every
 * `overdueRepeatDays` (moved to the next working day when needed) until the campaign ends. Whether anything is
 * still outstanding is decided when each one is due.
 */
export function overdueSchedule(campaign: ScheduleCampaign, calendar: WorkCalendar): ScheduleEntry[] {
  const { overdueRepeatDays, time } = campaign.definition.deadlineReminders;
  const out: ScheduleEntry[] = [];
  for (const d of campaign.definition.deadlines) {
    if (d.scope === 'phase') continue;
    const first = calendar.nextAfter(d.date);
    out.push(entry('deadline-overdue', d.code, first, time, campaign.timezone, { overdueRound: 0 }));
    if (overdueRepeatDays <= 0) continue;
    let last = first;
    for (let round = 1; round < 60; round++) {
      const target = addDays(first, round * overdueRepeatDays);
      const day = calendar.isWorkingDay(target) ? target : calendar.nextAfter(target);
      if (day > campaign.endsOn) break;
      if (day === last) continue;
      out.push(entry('deadline-overdue', d.code, day, time, campaign.timezone, { overdueRound: round }));
      last = day;
    }
  }
  return out;
}

const KIND_ORDER: ScheduleKind[] = [
  'report-prompt', 'report-reminder', 'deadline-reminder', 'deadline-overdue', 'report-direct', 'report-summary', 'report-urgent', 'report-escalation',
];

// The scheduler asks every minute and each job asks again: the schedule only changes with the definition and the
// calendar's corrections (its revision).
const cache = new WeakMap<object, WeakMap<WorkCalendar, { revision: number; entries: readonly ScheduleEntry[] }>>();

function fullSchedule(campaign: ScheduleCampaign, calendar: WorkCalendar): readonly ScheduleEntry[] {
  let byCalendar = cache.get(campaign.definition);
  if (!byCalendar) cache.set(campaign.definition, (byCalendar = new WeakMap()));
  const hit = byCalendar.get(calendar);
  if (hit && hit.revision === calendar.revision) return hit.entries;
  const entries = [...reportSchedule(campaign, calendar), ...deadlineSchedule(campaign, calendar), ...overdueSchedule(campaign, calendar)]
    .sort((a, b) => a.at.getTime() - b.at.getTime() || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.ref.localeCompare(b.ref))
    .map((e) => Object.freeze(e));
  byCalendar.set(calendar, { revision: calendar.revision, entries });
  return entries;
}

/** The whole schedule in time order, optionally only the entries whose `at` lies in [from, to]. */
export function campaignSchedule(campaign: ScheduleCampaign, calendar: WorkCalendar, from?: Date, to?: Date): ScheduleEntry[] {
  return fullSchedule(campaign, calendar).filter((e) => (!from || e.at.getTime() >= from.getTime()) && (!to || e.at.getTime() <= to.getTime()));
}
