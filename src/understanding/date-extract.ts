/**
 * Finds the calendar date in a message: 2020-09-20, 2020/9/20, 2020.9.20, 2020年9月20日, 9月20日, 9月20号,
 * 9.20, 10.8, 今天, 昨天, 前天. Relative words and a missing year are read against the message's own date.
 */
import { addDays, isValidDate } from '../calendar/dates.ts';

export interface FoundDate {
  /** YYYY-MM-DD, or null when the text names a day that does not exist (2月30日). */
  date: string | null;
  /** The text as written. */
  raw: string;
  index: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

function ymd(y: number, m: number, d: number): string | null {
  const s = `${y}-${pad(m)}-${pad(d)}`;
  return isValidDate(s) ? s : null;
}

interface Pattern {
  re: RegExp;
  read(m: RegExpExecArray, today: string): string | null;
}

const year = (today: string) => Number(today.slice(0, 4));

const PATTERNS: Pattern[] = [
  { re: /(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?/g, read: (m) => ymd(+m[1]!, +m[2]!, +m[3]!) },
  { re: /(?<![\d.\-/])((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.\-/])/g, read: (m) => ymd(+m[1]!, +m[2]!, +m[3]!) },
  { re: /(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?/g, read: (m, t) => ymd(year(t), +m[1]!, +m[2]!) },
  // 9.20 / 10.8: not a decimal amount (1.5元), not part of a longer number (24.25号楼).
  {
    re: /(?<![\d.\-/])(1[0-2]|0?[1-9])\.(3[01]|[12]\d|0?[1-9])(?![\d.]|\s*(?:元|米|平|%|万|号楼|栋|幢|倍|个|户|人|kg|m))/g,
    read: (m, t) => ymd(year(t), +m[1]!, +m[2]!),
  },
  { re: /今天|今日/g, read: (_m, t) => t },
  { re: /昨天|昨日/g, read: (_m, t) => addDays(t, -1) },
  { re: /前天/g, read: (_m, t) => addDays(t, -2) },
];

/** Every date in the text, in order of appearance; overlapping readings keep the first (most specific) pattern. */
export function findDates(text: string, today: string): FoundDate[] {
  const taken: Array<[number, number]> = [];
  const out: FoundDate[] = [];
  for (const p of PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([s, e]) => start < e && s < end)) continue;
      taken.push([start, end]);
      out.push({ date: p.read(m as RegExpExecArray, today), raw: m[0].trim(), index: start });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Cuts every date out of the text (so later extractors do not read 9月20日 as a name or number). */
export function withoutDates(text: string, today: string): string {
  let out = text;
  for (const d of [...findDates(text, today)].sort((a, b) => b.index - a.index)) {
    out = `${out.slice(0, d.index)} ${out.slice(d.index + d.raw.length)}`;
  }
  return out;
}

const START_WORDS = /入驻|进驻|接管|开始|起/;

/**
 * The takeover's start date: the date next to 入驻/进驻/接管 when there are several, otherwise the first.
 * `problem` explains a date that cannot be used.
 */
export function extractStartDate(text: string, today: string): { date: string | null; raw: string | null; problem: string | null } {
  const found = findDates(text, today);
  if (found.length === 0) return { date: null, raw: null, problem: null };
  const near = found.find((d) => START_WORDS.test(text.slice(d.index + d.raw.length, d.index + d.raw.length + 4)));
  const pick = near ?? found[0]!;
  if (!pick.date) return { date: null, raw: pick.raw, problem: `日期“${pick.raw}”不存在，请核对` };
  if (pick.date > today) return { date: null, raw: pick.raw, problem: `入驻时间“${pick.raw}”（${pick.date}）晚于今天，请核对` };
  return { date: pick.date, raw: pick.raw, problem: null };
}

/** Reads a date typed into a card's form field. */
export function parseDateField(value: string, today: string): { date: string | null; problem: string | null } {
  const r = extractStartDate(value, today);
  if (!r.raw) return { date: null, problem: `没有看懂日期“${value.slice(0, 20)}”，请写成 2020-09-20 或 9月20日` };
  return { date: r.date, problem: r.problem };
}
