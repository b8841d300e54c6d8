import chineseDays from 'chinese-days';
import type { Logger } from '../logger.ts';
import { addDays, weekday } from './dates.ts';

const { isWorkday } = chineseDays;

export interface WorkCalendar {
  isWorkingDay(date: string): boolean;
  /** `date` itself if it is a working day, else the last working day before it. */
  onOrBefore(date: string): string;
  /** The first working day strictly after `date`. */
  nextAfter(date: string): string;
  /** The working day `n` working days after `date` (n ≥ 1). */
  addWorkingDays(date: string, n: number): string;
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
