import { defineJob, type Slot } from '../scheduler/job.ts';
import { afterCoverageSettings } from '../campaign/after-coverage.ts';
import { addDays, formatChineseDate, localDate, zonedInstant } from '../calendar/dates.ts';
import { endOfDay } from '../schedule/schedule.ts';
import { chatsOfUnit } from '../domain/chats.ts';
import { recordsBetween } from '../domain/companies.ts';
import { maskPhones } from '../logger.ts';
import { noteLedger } from './common.ts';

const KIND = 'company-records-digest';
const UNITS = { 专班: 'zhuanban', 领导小组: 'leaders' } as const;

const monthOf = (date: string) => date.slice(0, 7);
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
const monthLabel = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;

/**
 * The monthly 公示 of bad-behaviour records (notice §三.2): early each month, the records added in the month
 * before go to the 专班 and 领导小组 groups. A month with no new records sends nothing.
 */
export default defineJob({
  name: KIND,
  slots(ctx, from, to) {
    const { digest } = afterCoverageSettings(ctx.campaign.definition).companyRecords;
    const tz = ctx.campaign.timezone;
    const first = nextMonth(monthOf(ctx.campaign.startsOn));
    const out: Slot[] = [];
    // The digest day can move a few days into the month: start one month before `from`.
    let m = monthOf(addDays(localDate(from, tz), -31));
    if (m < first) m = first;
    for (let i = 0; m <= monthOf(localDate(to, tz)) && i < 24; i++, m = nextMonth(m)) {
      const nominal = `${m}-${String(digest.day).padStart(2, '0')}`;
      const day = ctx.calendar.isWorkingDay(nominal) ? nominal : ctx.calendar.nextAfter(nominal);
      const at = zonedInstant(day, digest.time, tz);
      if (at < from || at > to) continue;
      const covered = monthOf(addDays(`${m}-01`, -1));
      out.push({ key: `${KIND}:${covered}`, at, lateUntil: endOfDay(day, tz), data: { month: covered } });
    }
    return out;
  },
  async run(ctx, slot) {
    const { digest } = afterCoverageSettings(ctx.campaign.definition).companyRecords;
    const tz = ctx.campaign.timezone;
    const month = String(slot.data?.month);
    const records = await recordsBetween(ctx.db, ctx.campaign.id, zonedInstant(`${month}-01`, '00:00', tz), zonedInstant(`${nextMonth(month)}-01`, '00:00', tz));
    if (!records.length) return noteLedger(ctx, 'no new records', true);
    const chats = (await Promise.all(digest.to.map((u) => chatsOfUnit(ctx.db, { kind: UNITS[u] })))).flat();
    if (!chats.length) return noteLedger(ctx, 'no 专班 or 领导小组 group bound', true);
    const text = [
      `【物业企业不良行为记录公示】${monthLabel(month)}新增 ${records.length} 条：`,
      ...records.map((r, i) => `${i + 1}. ${r.company}${r.compound ? `（${r.compound}）` : ''}：${r.text}（${formatChineseDate(localDate(new Date(r.recordedAt), tz))}，记录人：${r.recordedByName ?? '管理员'}）`),
      '以上记录已记入企业信用档案，发送“公司 企业名称”可查看。',
    ].join('\n');
    for (const chat of [...new Map(chats.map((c) => [c.chatId, c])).values()]) await ctx.send({ chatId: chat.chatId }, { type: 'text', text: maskPhones(text) }, KIND);
  },
});
