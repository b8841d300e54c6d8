import type { WorkCalendar } from '../calendar/workdays.ts';
import { formatChineseDate, isValidDate, localDate } from '../calendar/dates.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import { currentPeriod, reportPeriods, type ReportPeriod } from '../domain/periods.ts';

/** The due date a report shows when none is asked for: the current period's, or the last one once the campaign is over. */
export function defaultDue(campaign: CampaignInfo, calendar: WorkCalendar, now: Date): string {
  const today = localDate(now, campaign.timezone);
  const p = currentPeriod(campaign, calendar, today) ?? reportPeriods(campaign, calendar).at(-1);
  return p?.due ?? today;
}

export type DueAnswer = { ok: true; period: ReportPeriod } | { ok: false; message: string };

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Reads a report date as people type it (`2020-10-01`, `2020年10月1日`, `10月1日`, `10.1`, `10/1`, `10月1号`) and
 * finds its report period: a due date, or an effective due day (9月30日 for the 10月1日 report). Without a year,
 * the period nearest to today wins.
 */
export function resolveDue(campaign: CampaignInfo, calendar: WorkCalendar, input: string, now: Date): DueAnswer {
  const periods = reportPeriods(campaign, calendar);
  const listing = () => {
    const names = periods.slice(0, 12).map((p) => formatChineseDate(p.due));
    return `本次工作的报送日：${names.join('、')}${periods.length > 12 ? ` 等 ${periods.length} 期` : ''}。`;
  };
  const text = input.normalize('NFKC').replace(/\s+/g, '');
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$/.exec(text);
  const short = /^(\d{1,2})[-/.月](\d{1,2})[日号]?$/.exec(text);
  if (!full && !short) return { ok: false, message: `看不懂日期“${input.slice(0, 20)}”，请写成 2020-10-01、10月1日 或 10.1。` };
  const [month, day] = full ? [Number(full[2]), Number(full[3])] : [Number(short![1]), Number(short![2])];
  const year = full ? Number(full[1]) : null;
  const probe = `${year ?? 2000}-${pad(month)}-${pad(day)}`;
  if (!isValidDate(probe)) return { ok: false, message: `“${input.slice(0, 20)}”不是有效的日期。` };
  const md = `${pad(month)}-${pad(day)}`;
  const matches = (d: string) => (year === null ? d.slice(5) === md : d === `${year}-${md}`);
  const candidates = [...periods.filter((p) => matches(p.due)), ...periods.filter((p) => !matches(p.due) && matches(p.effectiveDue))];
  if (candidates.length === 0) {
    return { ok: false, message: `${year ? `${year}年` : ''}${month}月${day}日不是报送日。${listing()}` };
  }
  const today = Date.parse(localDate(now, campaign.timezone));
  const distance = (p: ReportPeriod) => Math.abs(Date.parse(p.due) - today);
  const exact = candidates.filter((p) => matches(p.due));
  const pool = exact.length ? exact : candidates;
  return { ok: true, period: pool.reduce((best, p) => (distance(p) < distance(best) ? p : best)) };
}

/**
 * Whether a report can be made for this due date (from the API or the CLI, which take exact dates): a real date
 * within the campaign, from its first report day's effective due day to its end. Anything else is refused with
 * the range and the report days, never passed on.
 */
export function checkReportDue(campaign: CampaignInfo, calendar: WorkCalendar, due: string): { ok: true } | { ok: false; message: string; dues: string[] } {
  const periods = reportPeriods(campaign, calendar);
  const dues = periods.map((p) => p.due);
  if (!isValidDate(due)) return { ok: false, message: 'due must be a real date as YYYY-MM-DD', dues };
  const from = periods.reduce((min, p) => (p.effectiveDue < min ? p.effectiveDue : min), campaign.startsOn);
  if (due < from || due > campaign.endsOn) {
    return { ok: false, message: `due ${due} is outside the campaign (${from} to ${campaign.endsOn}); its report days are ${dues.join(', ') || 'none'}`, dues };
  }
  return { ok: true };
}
