/**
 * Reads a day or a range of days as admins type them for the calendar: `2027-10-01`, `2027年10月1日`, `10月1日`,
 * `10.1`, `2027-10-01至2027-10-07`, `10月1日-7日`, `10月1日到10月7日 国庆节`. What is left over is the name.
 */
import { addDays } from '../calendar/dates.ts';
import { findDates } from './date-extract.ts';

export interface DayRange {
  from: string;
  to: string;
  /** The rest of the text (a holiday's name), or null. */
  name: string | null;
}

export type DayRangeResult = { ok: true; range: DayRange } | { ok: false; problem: string };

const RANGE_WORD = /^\s*(?:至|到|~|～|—|－|-|–)\s*$/;
const HAS_YEAR = /(?:19|20)\d{2}/;

/** A date written without a year means its next occurrence, counted from `today`. */
function nextOccurrence(date: string, raw: string, today: string): string {
  if (HAS_YEAR.test(raw) || date >= today) return date;
  const next = `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;
  return next.endsWith('-02-29') ? date : next;
}

export function parseDayRange(text: string, today: string, maxDays = 31): DayRangeResult {
  // 10月1日-7日 / 10月1日至7日: the last day written without its month takes the first one's.
  const expanded = text.replace(/(\d{1,2})(\s*月\s*\d{1,2}\s*[日号]?\s*(?:至|到|~|～|—|－|-|–)\s*)(\d{1,2})(\s*[日号])/, '$1$2$1月$3$4');
  // Only days written as dates count here: not 今天, 上周五, nor words such as 国庆节 or 月底.
  const found = findDates(expanded, today).filter((d) => d.kind === 'full' || d.kind === 'month-day');
  if (found.length === 0) return { ok: false, problem: '请写明日期，例如 2027-10-01 或 2027年10月1日。' };
  const impossible = found.find((d) => d.date === null);
  if (impossible) return { ok: false, problem: `没有“${impossible.raw}”这一天，请核对日期。` };
  if (found.length > 2) return { ok: false, problem: '一次只能写一天，或一段日期（例如 2027-10-01至2027-10-07）。' };
  const [first, second] = found as [typeof found[0] & { date: string }, (typeof found[0] & { date: string })?];
  const from = nextOccurrence(first.date, first.raw, today);
  let to = from;
  if (second) {
    const between = expanded.slice(first.index + first.raw.length, second.index);
    if (!RANGE_WORD.test(between)) return { ok: false, problem: '一段日期请用“至”连接，例如 2027-10-01至2027-10-07。' };
    to = HAS_YEAR.test(second.raw) ? second.date : `${from.slice(0, 4)}${second.date.slice(4)}`;
    if (to < from && !HAS_YEAR.test(second.raw)) to = `${Number(to.slice(0, 4)) + 1}${to.slice(4)}`;
    if (to < from) return { ok: false, problem: '结束日期早于开始日期，请核对。' };
  }
  let days = 0;
  for (let d = from; d <= to && days <= maxDays; d = addDays(d, 1)) days++;
  if (days > maxDays) return { ok: false, problem: `一段日期最多 ${maxDays} 天，请分段录入。` };
  let rest = expanded;
  for (const d of [...found].sort((a, b) => b.index - a.index)) rest = `${rest.slice(0, d.index)} ${rest.slice(d.end)}`;
  const name = rest
    .replace(/至|到|~|～|—|－|–/g, ' ')
    .replace(/^[\s,，、:：-]+|[\s,，、:：。-]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return { ok: true, range: { from, to, name: name ? name.slice(0, 20) : null } };
}
