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
function isWorkday(date: string): boolean {
  if (official.workdays[date]) return true;
  const w = weekday(date);
  return w !== 0 && w !== 6 && !official.holidays[date];
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
}

/**
 * A year counts as published when National Day (1–3 October) is off in it: in an unpublished year the
 * library falls back to weekends, so at least one of those weekdays would be a working day.
 */
function isPublishedYear(year: number): boolean {
  return ['01', '02', '03'].every((d) => !isWorkday(`${year}-10-${d}`));
}

/** China's official calendar with make-up working days (调休); weekends only for unpublished years, with a warning. */
export function createWorkCalendar(log?: Logger): WorkCalendar {
  const published = new Map<number, boolean>();
  const check = (date: string): boolean => {
    const year = Number(date.slice(0, 4));
    let ok = published.get(year);
    if (ok === undefined) {
      ok = isPublishedYear(year);
      published.set(year, ok);
      if (!ok) log?.warn({ year }, 'holiday calendar not published for this year; counting weekends only');
    }
    return ok;
  };
  const isWorkingDay = (date: string): boolean => {
    if (!check(date)) {
      const w = weekday(date);
      return w !== 0 && w !== 6;
    }
    return isWorkday(date);
  };
  return {
    isWorkingDay,
    isHoliday: (date) => check(date) && Boolean(official.holidays[date]) && !official.workdays[date],
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
