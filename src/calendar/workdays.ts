import { createRequire } from 'node:module';
import type { Logger } from '../logger.ts';
import { addDays, weekday } from './dates.ts';

/**
 * The official holiday and make-up-workday lists of chinese-days, read as data: the library's own isWorkday
 * parses 'YYYY-MM-DD' as UTC midnight and takes the weekday in the server's zone, so west of UTC every
 * Saturday would be a working day. The weekday is computed here, independent of the server's time zone.
 */
const official = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};
/** The years the package has the State Council's notice for (2004–2026 in chinese-days 1.5.7). */
const OFFICIAL_YEARS = new Set(Object.keys(official.holidays).map((d) => Number(d.slice(0, 4))));
export const OFFICIAL_LAST_YEAR = Math.max(...OFFICIAL_YEARS);

function isOfficialWorkday(date: string): boolean {
  if (official.workdays[date]) return true;
  const w = weekday(date);
  return w !== 0 && w !== 6 && !official.holidays[date];
}

/** The package names a day `National Day,国庆节,3`: the Chinese name, with 调休 for a make-up workday. */
function officialName(date: string): string | null {
  const raw = official.holidays[date] ?? official.workdays[date];
  if (!raw) return null;
  const name = raw.split(',')[1] ?? raw;
  return official.workdays[date] ? `${name}调休` : name;
}

function isWeekday(date: string): boolean {
  const w = weekday(date);
  return w !== 0 && w !== 6;
}

export type OverrideKind = 'holiday' | 'workday';

/** A day the campaign file or an admin declared off (a holiday) or worked (a make-up workday, 调休上班). */
export interface DayOverride {
  date: string;
  kind: OverrideKind;
  name: string | null;
  source: 'campaign' | 'admin';
}

/**
 * How a year's working days are known: from the official notice in the package, corrected by overrides (the
 * package does not have the year, but someone entered its holidays), or weekends only (nobody did).
 */
export type YearStatus = 'official' | 'corrected' | 'weekends-only';

export interface DayInfo {
  working: boolean;
  /** Why: an override, the official calendar, or the plain weekend rule. */
  basis: 'override' | 'official' | 'weekend';
  /** The holiday's or override's name, when known. */
  name: string | null;
}

export interface WorkCalendar {
  isWorkingDay(date: string): boolean;
  /** `date` itself if it is a working day, else the last working day before it. */
  onOrBefore(date: string): string;
  /** The first working day strictly after `date`. */
  nextAfter(date: string): string;
  /** The working day `n` working days after `date` (n ≥ 1). */
  addWorkingDays(date: string, n: number): string;
  /** Whether `date` is an official holiday (节假日), as opposed to a plain weekend (休息日). */
  isHoliday(date: string): boolean;
  /** What the calendar says about one day, and why. */
  dayInfo(date: string): DayInfo;
  yearStatus(year: number): YearStatus;
  /** The overrides in force (an admin's override of a date replaces the campaign file's). */
  overrides(): readonly DayOverride[];
  /** Replaces the overrides; returns whether anything changed. */
  setOverrides(list: readonly DayOverride[]): boolean;
  /** Changes whenever the overrides change: anything derived from the calendar (schedules) keys on it. */
  readonly revision: number;
}

const sameOverrides = (a: readonly DayOverride[], b: readonly DayOverride[]) =>
  a.length === b.length && a.every((x, i) => x.date === b[i]!.date && x.kind === b[i]!.kind && x.name === b[i]!.name && x.source === b[i]!.source);

/** The overrides in force, by date: the campaign file's first, then an admin's for the same date replaces it. */
function inForce(next: readonly DayOverride[]): DayOverride[] {
  const ordered = [...next].sort((a, b) => (a.source === b.source ? 0 : a.source === 'campaign' ? -1 : 1));
  return [...new Map(ordered.map((o) => [o.date, o])).values()].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * China's official calendar with make-up working days (调休), corrected by overrides; for a year the package does
 * not know and nobody corrected, weekends only, with a warning.
 */
export function createWorkCalendar(log?: Logger, initial: readonly DayOverride[] = []): WorkCalendar {
  let byDate = new Map<string, DayOverride>();
  let list: DayOverride[] = [];
  let correctedYears = new Set<number>();
  let revision = 0;
  const warned = new Set<number>();

  function apply(next: readonly DayOverride[]): void {
    list = inForce(next);
    byDate = new Map(list.map((o) => [o.date, o]));
    correctedYears = new Set(list.filter((o) => o.kind === 'holiday').map((o) => Number(o.date.slice(0, 4))));
    revision++;
  }
  apply(initial);

  const yearStatus = (year: number): YearStatus =>
    OFFICIAL_YEARS.has(year) ? 'official' : correctedYears.has(year) ? 'corrected' : 'weekends-only';

  function dayInfo(date: string): DayInfo {
    const o = byDate.get(date);
    if (o) return { working: o.kind === 'workday', basis: 'override', name: o.name };
    const year = Number(date.slice(0, 4));
    const status = yearStatus(year);
    if (status === 'official') return { working: isOfficialWorkday(date), basis: 'official', name: officialName(date) };
    if (status === 'weekends-only' && !warned.has(year)) {
      warned.add(year);
      log?.warn({ year }, 'holiday calendar not published for this year; counting weekends only');
    }
    return { working: isWeekday(date), basis: 'weekend', name: null };
  }
  const isWorkingDay = (date: string) => dayInfo(date).working;

  return {
    isWorkingDay,
    isHoliday(date) {
      const d = dayInfo(date);
      if (d.working) return false;
      return d.basis === 'override' || (d.basis === 'official' && Boolean(official.holidays[date]));
    },
    dayInfo,
    yearStatus,
    overrides: () => list,
    setOverrides(next) {
      if (sameOverrides(inForce(next), list)) return false;
      apply(next);
      return true;
    },
    get revision() {
      return revision;
    },
    onOrBefore(date) {
      let d = date;
      for (let i = 0; i < 60 && !isWorkingDay(d); i++) d = addDays(d, -1);
      return d;
    },
    nextAfter(date) {
      let d = addDays(date, 1);
      for (let i = 0; i < 60 && !isWorkingDay(d); i++) d = addDays(d, 1);
      return d;
    },
    addWorkingDays(date, n) {
      let d = date;
      for (let i = 0; i < n; i++) d = this.nextAfter(d);
      return d;
    },
  };
}

/** The years from `fromYear` to `toYear` whose working days are only a weekend guess. */
export function unknownYears(calendar: WorkCalendar, fromYear: number, toYear: number): number[] {
  const out: number[] = [];
  for (let y = fromYear; y <= toYear; y++) if (calendar.yearStatus(y) === 'weekends-only') out.push(y);
  return out;
}
