import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { formatChineseDate, localParts } from '../src/calendar/dates.ts';
import { defaultDue, resolveDue } from '../src/report/due.ts';
import { renderReportFile } from '../src/report/file.ts';
import type { ReportView } from '../src/report/view.ts';
import { nonWorkingDayWord } from '../src/text/wording.ts';

function caption(v: ReportView, timeZone: string, moveWord: string): string {
  const due = formatChineseDate(v.due, true);
  const effective = v.effectiveDue === v.due ? '' : `（遇${moveWord}提前至${formatChineseDate(v.effectiveDue)}报送）`;
  if (v.basis === 'live') {
    return `${due}调度表${effective}：本期尚未截止，表中为当前数据（截至${formatChineseDate(v.asOfDate)}）。`;
  }
  const frozen = v.frozenAt ? `，已于${localParts(new Date(v.frozenAt), timeZone).date}封存` : '';
  return `${due}调度表${effective}：为截至${formatChineseDate(v.effectiveDue)}的数据${frozen}，此后的修改不影响本表。`;
}

export default defineCommand({
  name: '调度表',
  aliases: ['report', '报表'],
  summary: '下载住宅小区物业管理全覆盖进展情况调度表（Excel；社区工作人员得到本社区的部分）',
  usage: '调度表 [报送日期]',
  examples: ['调度表', '调度表 10月1日', '调度表 2020-10-15'],
  access: ['street', 'admin', 'leader', 'community'],
  args: z.object({ rest: z.string() }).transform((i) => ({ date: i.rest.trim() || null })),
  async handler(ctx, { date }) {
    let due: string;
    if (date) {
      const r = resolveDue(ctx.campaign, ctx.calendar, date, ctx.now);
      if (!r.ok) throw new UserError(r.message);
      due = r.period.due;
    } else {
      due = defaultDue(ctx.campaign, ctx.calendar, ctx.now);
    }
    // Community staff get their own community's rows; the street, admins and leaders the whole table.
    const community = ctx.actor.role === 'community' ? (ctx.actor.communityName ?? undefined) : undefined;
    const file = await renderReportFile(ctx.db, ctx.campaign, ctx.calendar, due, ctx.now, { community });
    await ctx.reply({ type: 'file', fileName: file.fileName, data: file.data }, 'report');
    const scope = community ? `（${community}，共 ${file.view.rows.length} 个小区）` : '';
    await ctx.reply({ type: 'text', text: `${caption(file.view, ctx.campaign.timezone, nonWorkingDayWord(ctx.calendar.isHoliday(file.view.due)))}${scope}` }, 'report');
  },
});
