/** Quarters as assessment periods: '2020Q4'. Pure; dates are 'YYYY-MM-DD' in the campaign's zone. */

export type Quarter = `${number}Q${1 | 2 | 3 | 4}`;

const QUARTER = /^(\d{4})Q([1-4])$/;
const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };
const NAMES = ['一', '二', '三', '四'];

export function isQuarter(s: string): s is Quarter {
  return QUARTER.test(s);
}

function parts(q: string): [number, number] {
  const m = QUARTER.exec(q);
  if (!m) throw new Error(`not a quarter: ${q}`);
  return [Number(m[1]), Number(m[2])];
}

export function quarterOf(date: string): Quarter {
  const month = Number(date.slice(5, 7));
  return `${Number(date.slice(0, 4))}Q${Math.ceil(month / 3) as 1 | 2 | 3 | 4}`;
}

export function previousQuarter(q: string): Quarter {
  const [y, n] = parts(q);
  return n === 1 ? `${y - 1}Q4` : `${y}Q${(n - 1) as 1 | 2 | 3}`;
}

export function nextQuarter(q: string): Quarter {
  const [y, n] = parts(q);
  return n === 4 ? `${y + 1}Q1` : `${y}Q${(n + 1) as 2 | 3 | 4}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The first and last day of a quarter. */
export function quarterRange(q: string): { first: string; last: string } {
  const [y, n] = parts(q);
  const lastMonth = n * 3;
  const lastDay = new Date(Date.UTC(y, lastMonth, 0)).getUTCDate();
  return { first: `${y}-${pad(lastMonth - 2)}-01`, last: `${y}-${pad(lastMonth)}-${pad(lastDay)}` };
}

/** The 1st of the quarter's last month (March, June, September, December). */
export function lastMonthStart(q: string): string {
  const [y, n] = parts(q);
  return `${y}-${pad(n * 3)}-01`;
}

/** '2020年第四季度'. */
export function quarterLabel(q: string): string {
  const [y, n] = parts(q);
  return `${y}年第${NAMES[n - 1]}季度`;
}

/** The quarters from `from` to `to`, inclusive. */
export function quartersBetween(from: string, to: string): Quarter[] {
  const out: Quarter[] = [];
  for (let q = from as Quarter; q <= to && out.length < 400; q = nextQuarter(q)) out.push(q);
  return out;
}

export interface FoundQuarter {
  quarter: Quarter | null;
  raw: string;
  /** Why the quarter cannot be used (one that has not begun). */
  problem: string | null;
}

const PATTERNS: Array<{ re: RegExp; read(m: RegExpExecArray, today: Quarter): Quarter | null }> = [
  { re: /(\d{4})\s*[-年]?\s*(?:第?\s*([1-4一二三四])\s*季度?|[qQ]\s*([1-4]))/, read: (m) => `${Number(m[1])}Q${CHINESE_DIGITS[(m[2] ?? m[3])!]! as 1}` },
  {
    re: /(?:第\s*([1-4一二三四])\s*季度?|([1-4一二三四])\s*季度|[qQ]([1-4]))/,
    // Without a year: the latest quarter with that number that has begun.
    read: (m, today) => {
      const n = CHINESE_DIGITS[(m[1] ?? m[2] ?? m[3])!]!;
      const [y, cur] = parts(today);
      return `${n <= cur ? y : y - 1}Q${n as 1}`;
    },
  },
  { re: /本季度|本季|这个?季度|当季|今季/, read: (_m, today) => today },
  { re: /上一?个?季度|上季/, read: (_m, today) => previousQuarter(today) },
];

/** The quarter a piece of text names (四季度, 第四季度, 2020年第四季度, 2020Q4, Q4, 本季度, 上季度), or null. */
export function findQuarter(text: string, todayDate: string): FoundQuarter | null {
  const s = text.normalize('NFKC');
  const today = quarterOf(todayDate);
  for (const p of PATTERNS) {
    const m = p.re.exec(s);
    if (!m) continue;
    const quarter = p.read(m, today);
    if (quarter && quarter > today) return { quarter: null, raw: m[0], problem: `${quarterLabel(quarter)}还没有开始` };
    return { quarter, raw: m[0], problem: null };
  }
  return null;
}
