/**
 * Finds the calendar dates in a message as staff write them: 2020-09-20, 2020/9/20, 2020.9.20, 20200915,
 * 2020年9月20日, 19年5月1日 (the year as written), 九月二十日, 十月九号, 9月20日, 9月20号, 9月20, 9.20, 9-28, 9/23,
 * 22号, 今天, 昨天, 前天, 上周五, 本周一, 本月3号, 上个月20号. Relative words and a missing year are read against
 * the message's own date. Every pattern is anchored on a few bounded characters, so the scan is linear.
 */
import { addDays, isValidDate } from '../calendar/dates.ts';

export type DateKind = 'full' | 'month-day' | 'day' | 'relative' | 'weekday' | 'vague';

export interface FoundDate {
  /** YYYY-MM-DD, or null when the text names a day that does not exist (2月30日) or only a month (9月底). */
  date: string | null;
  /** The text as written. */
  raw: string;
  index: number;
  end: number;
  kind: DateKind;
  /** Read with a guess (22号 without a month, 周五 without 本/上): only sure next to 入驻/进驻. */
  weak: boolean;
  /** For a weekday (周五), its ISO number (1 = Monday … 7 = Sunday). */
  weekday?: number;
  /** The month was guessed (20号 written on the 10th is taken as last month's): always to be confirmed. */
  guess?: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

function ymd(y: number, m: number, d: number): string | null {
  const s = `${y}-${pad(m)}-${pad(d)}`;
  return isValidDate(s) ? s : null;
}

const CN_DIGIT: Record<string, number> = { 〇: 0, 零: 0, '○': 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 9, 09, 九, 十, 十五, 二十, 二十一, 三十一 → the number; null for anything else. */
export function smallNumber(s: string): number | null {
  if (/^\d{1,2}$/.test(s)) return Number(s);
  if (!/^[一二两三四五六七八九十]{1,3}$/.test(s)) return null;
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? CN_DIGIT[s]! : null;
  const tens = ten === 0 ? 1 : CN_DIGIT[s[0]!]!;
  const ones = ten === s.length - 1 ? 0 : CN_DIGIT[s[ten + 1]!]!;
  if (ten > 1 || s.length - ten > 2) return null;
  return tens * 10 + ones;
}

/** 2020, 20 (2020), 19 (2019), 二〇二〇 → the year. */
function yearOf(s: string): number | null {
  let digits = s;
  if (/^[〇零○一二三四五六七八九]+$/.test(s)) digits = [...s].map((c) => CN_DIGIT[c]).join('');
  if (!/^\d{2}$|^\d{4}$/.test(digits)) return null;
  const n = Number(digits);
  if (digits.length === 4) return n;
  return n <= 50 ? 2000 + n : 1900 + n;
}

const NUM = '(\\d{1,2}|[一二两三四五六七八九十]{1,3})';
const YEAR = '(\\d{4}|\\d{2}|[〇零○一二三四五六七八九]{2,4})';
/** What may not follow a day: 3号楼, 20日元, 5号线 are not dates. */
const NOT_AFTER_DAY = '(?![\\d楼栋幢院单元层室户门线铺位元])';
const DAY_END = `(?:\\s*[日号](?!楼|院|门|单元|房|室|线|铺|位|店|车|机|厂))?${NOT_AFTER_DAY}`;

const WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7 };

export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function monthShift(today: string, by: number): { y: number; m: number } {
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7)) + by;
  while (m < 1) {
    m += 12;
    y -= 1;
  }
  while (m > 12) {
    m -= 12;
    y += 1;
  }
  return { y, m };
}

interface Pattern {
  re: RegExp;
  kind: DateKind;
  read(m: RegExpExecArray, today: string): { date: string | null; weak?: boolean; weekday?: number; guess?: boolean } | null;
}

const year = (today: string) => Number(today.slice(0, 4));
const dayOf = (s: string) => smallNumber(s);

const RELATIVE_DAYS: Record<string, number> = {
  大前天: -3, 前天: -2, 前日: -2, 昨天: -1, 昨日: -1, 昨儿: -1, 今天: 0, 今日: 0, 今儿: 0, 当天: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3,
};

const PATTERNS: Pattern[] = [
  {
    // 2020年9月20日, 19年5月1日, 二〇二〇年九月二十日, 2020年9月20
    re: new RegExp(`(?<![\\d〇零○一二三四五六七八九])${YEAR}\\s*年\\s*${NUM}\\s*月\\s*${NUM}${DAY_END}`, 'g'),
    kind: 'full',
    read: (m) => {
      const y = yearOf(m[1]!);
      const mo = smallNumber(m[2]!);
      const d = dayOf(m[3]!);
      return { date: y && mo && d ? ymd(y, mo, d) : null };
    },
  },
  {
    // 2020-09-20, 2020/9/20, 2020.9.20
    re: /(?<![\d.\-/])((?:19|20)\d{2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?![\d.\-/])/g,
    kind: 'full',
    read: (m) => ({ date: ymd(+m[1]!, +m[3]!, +m[4]!) }),
  },
  {
    // 20200915: a valid date only, never a phone number
    re: /(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)/g,
    kind: 'full',
    read: (m) => {
      const d = ymd(+m[1]!, +m[2]!, +m[3]!);
      return d ? { date: d } : null;
    },
  },
  {
    // 本月3号, 上个月20号, 这个月5日
    re: new RegExp(`(本月|这个月|这月|当月|上个月|上月|下个月|下月)\\s*${NUM}${DAY_END}`, 'g'),
    kind: 'relative',
    read: (m, t) => {
      const shift = /上/.test(m[1]!) ? -1 : /下/.test(m[1]!) ? 1 : 0;
      const { y, m: mo } = monthShift(t, shift);
      const d = dayOf(m[2]!);
      return { date: d ? ymd(y, mo, d) : null };
    },
  },
  {
    // 9月20日, 9月20号, 9月20, 九月二十日, 十月九号
    re: new RegExp(`(?<![\\d一二两三四五六七八九十年.])(?<!\\d[-/])${NUM}\\s*月\\s*${NUM}${DAY_END}`, 'g'),
    kind: 'month-day',
    read: (m, t) => {
      const mo = smallNumber(m[1]!);
      const d = dayOf(m[2]!);
      return { date: mo && d ? ymd(year(t), mo, d) : null };
    },
  },
  {
    // 9.20 / 10.8: not a decimal amount (1.5元), not part of a longer number (24.25号楼)
    re: /(?<![\d.])(?<!\d[-/])(1[0-2]|0?[1-9])\.(3[01]|[12]\d|0?[1-9])(?:[号日](?!\s*(?:楼|院|门|单元|房|室|栋|幢)))?(?![\d.]|\s*(?:元|米|平|%|万|号|栋|幢|倍|个|户|人|kg|m|亩|吨|分|块|斤|年|天|小时|层|楼|公里|次|岁|折|期))/g,
    kind: 'month-day',
    read: (m, t) => ({ date: ymd(year(t), +m[1]!, +m[2]!) }),
  },
  {
    // 9-28, 9/23: not 3-2-301 (a room), not 2-3号楼
    re: /(?<![\d.])(?<!\d[-/])(1[0-2]|0?[1-9])[-/](3[01]|[12]\d|0?[1-9])(?![\d.\-/]|\s*(?:号|栋|幢|单元|层|室|户|元|%))/g,
    kind: 'month-day',
    read: (m, t) => ({ date: ymd(year(t), +m[1]!, +m[2]!) }),
  },
  {
    // 上周五, 本周一, 这星期三, 周五
    re: /(上上|上个|上|本|这个|这|下个|下)?\s*(?:周|星期|礼拜)([一二三四五六日天1-7])/g,
    kind: 'weekday',
    read: (m, t) => {
      const want = WEEKDAY[m[2]!]!;
      const weeks = !m[1] ? 0 : m[1] === '上上' ? -2 : /上/.test(m[1]) ? -1 : /下/.test(m[1]) ? 1 : 0;
      const date = addDays(t, want - isoWeekday(t) + 7 * weeks);
      return { date, weak: !m[1], weekday: want };
    },
  },
  {
    re: /大前天|前天|前日|昨天|昨日|昨儿|今天|今日|今儿|当天|明天|明日|大后天|后天/g,
    kind: 'relative',
    read: (m, t) => ({ date: addDays(t, RELATIVE_DAYS[m[0]]!) }),
  },
  {
    // 22号, 二十号: a day of this month, a guess unless next to 入驻
    re: new RegExp(`(?<![\\d一二两三四五六七八九十月.\\-/年第])${NUM}\\s*[号日](?!楼|院|门|单元|房|室|线|铺|位|店|车|机|厂|地块)${NOT_AFTER_DAY}`, 'g'),
    kind: 'day',
    read: (m, t) => {
      const d = dayOf(m[1]!);
      if (!d) return null;
      const here = ymd(year(t), Number(t.slice(5, 7)), d);
      if (here && here <= t) return { date: here, weak: true };
      // A day still to come this month is more likely last month's (written on the 10th, 20号进驻的).
      const month = Number(t.slice(5, 7));
      const before = month === 1 ? ymd(year(t) - 1, 12, d) : ymd(year(t), month - 1, d);
      return before ? { date: before, weak: true, guess: true } : { date: here, weak: true };
    },
  },
  {
    // Only a month or a part of one: 2019年6月, 9月底, 月初, 这个月, 国庆节 — a time, but not a day.
    re: new RegExp(`(?:${YEAR}\\s*年\\s*)?${NUM}\\s*月(?:底|初|中旬|上旬|下旬|份|中)?(?![\\d一二两三四五六七八九十])|(?:本|这个|上个|下个)?月(?:底|初|中)|(?:本|这个|这|上个|上|下个|下|当)月份?(?![\\d一二两三四五六七八九十])|(?<!\\d)(?:19|20)\\d{2}\\s*年(?!\\s*\\d)|国庆节?|中秋节?|元旦|春节`, 'g'),
    kind: 'vague',
    read: () => ({ date: null }),
  },
];

/** Every date in the text, in order of appearance; overlapping readings keep the first (most specific) pattern. */
export function findDates(text: string, today: string): FoundDate[] {
  const taken = new Uint8Array(text.length);
  const free = (start: number, end: number) => {
    for (let i = start; i < end; i++) if (taken[i]) return false;
    return true;
  };
  const out: FoundDate[] = [];
  for (const p of PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!free(start, end)) continue;
      const r = p.read(m as RegExpExecArray, today);
      if (!r) continue;
      taken.fill(1, start, end);
      out.push({ date: r.date, raw: m[0].trim(), index: start, end, kind: p.kind, weak: r.weak ?? false, ...(r.weekday ? { weekday: r.weekday } : {}), ...(r.guess ? { guess: true } : {}) });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

function sameMonth(raw: string, date: string): boolean {
  const m = new RegExp(`^(?:${YEAR}\\s*年\\s*)?${NUM}\\s*月`).exec(raw);
  if (!m) return false;
  const y = m[1] ? yearOf(m[1]) : null;
  return smallNumber(m[2]!) === Number(date.slice(5, 7)) && (y === null || y === Number(date.slice(0, 4)));
}

/** Words that mark the day a takeover started. */
/** Cuts every date out of the text (so later readers do not take 10月20日 for a name or a number). */
export function withoutDates(text: string, today: string): string {
  let out = text;
  for (const d of [...findDates(text, today)].sort((a, b) => b.index - a.index)) {
    out = `${out.slice(0, d.index)} ${out.slice(d.end)}`;
  }
  return out;
}

export const START_WORDS = /^[\s,，]*(?:上午|下午|中午|晚上|早上)?(?:已经|已|正式)?(?:起|开始|入驻|进驻|进场|进来|接管|接手|入住|服务|管理|上岗|落实)/;
const BEFORE_START = /(?:于|从|自|在|是|为)\s*$/;

export interface StartDate {
  date: string | null;
  raw: string | null;
  problem: string | null;
  /** Several dates and nothing says which one is the start, or a day written without its month. */
  uncertain: boolean;
  /** The dates not taken as the start (the signing date next to the start date). */
  others: FoundDate[];
}

/**
 * The takeover's start date among the dates of a message: the one next to 入驻/进驻/起 when there are several,
 * otherwise the only one. `problem` explains a date that cannot be used.
 */
export function pickStartDate(found: FoundDate[], text: string, today: string): StartDate {
  const usable = found.filter((d) => d.kind !== 'vague');
  if (usable.length === 0) return { date: null, raw: found[0]?.raw ?? null, problem: null, uncertain: found.length > 0, others: [] };
  const near = usable.filter((d) => START_WORDS.test(text.slice(d.end, d.end + 6)) || BEFORE_START.test(text.slice(Math.max(0, d.index - 2), d.index)));
  let pick: FoundDate;
  let uncertain = false;
  if (usable.length === 1) pick = usable[0]!;
  else if (near.length === 1) pick = near[0]!;
  else {
    pick = near[0] ?? usable[0]!;
    uncertain = true;
  }
  if ((pick.weak && !near.includes(pick)) || pick.guess) uncertain = true;
  // 2019年1月入驻，具体日期2019年1月15日: a month that agrees with the day is no doubt.
  if (found.some((d) => d.kind === 'vague' && !(pick.date && sameMonth(d.raw, pick.date)))) uncertain = true;
  const others = found.filter((d) => d !== pick);
  if (!pick.date) return { date: null, raw: pick.raw, problem: `日期“${pick.raw}”不存在，请核对`, uncertain, others };
  if (pick.date > today) return { date: null, raw: pick.raw, problem: `入驻时间“${pick.raw}”（${pick.date}）晚于今天，请核对`, uncertain, others };
  return { date: pick.date, raw: pick.raw, problem: null, uncertain, others };
}

/**
 * The takeover's start date: the date next to 入驻/进驻/接管 when there are several, otherwise the first.
 * `problem` explains a date that cannot be used.
 */
export function extractStartDate(text: string, today: string): { date: string | null; raw: string | null; problem: string | null } {
  const s = text.normalize('NFKC');
  const r = pickStartDate(findDates(s, today), s, today);
  return { date: r.date, raw: r.raw, problem: r.problem };
}

/** Reads a date typed into a card's form field. */
export function parseDateField(value: string, today: string): { date: string | null; problem: string | null } {
  const s = value.normalize('NFKC').trim();
  const found = findDates(s, today).filter((d) => d.kind !== 'vague');
  if (found.length !== 1 || s.replace(found[0]!.raw, '').replace(/[\s日号起入驻进驻]/g, '')) {
    return { date: null, problem: `没有看懂日期“${value.slice(0, 20)}”，请写成 2020-09-20 或 9月20日` };
  }
  const r = pickStartDate(found, s, today);
  return { date: r.date, problem: r.problem };
}
