import { defineJob } from '../scheduler/job.ts';
import { joinNames } from '../text/wording.ts';
import { responsiblePeople, textMentions } from '../domain/people.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import { chatsOfUnit } from '../domain/chats.ts';
import { noteLedger, periodOfSlot, zhuanbanSlots } from './common.ts';
import { periodLabel, periodStatus } from '../domain/period-status.ts';
import { renderReportFile } from '../report/file.ts';
import { changesMarkdown, changesSinceLastPeriod } from '../report/changes.ts';

const names = (list: { name: string }[]) => joinNames(list.map((c) => c.name));

/** 15:00 on the effective due day: who confirmed, who did not, and the gaps in the data, to the 专班 group. */
export default defineJob({
  name: 'report-summary',
  slots: (ctx, from, to) => zhuanbanSlots(ctx, 'report-summary', from, to),
  async run(ctx, slot) {
    const period = periodOfSlot(ctx, slot);
    const chats = await chatsOfUnit(ctx.db, { kind: 'zhuanban' });
    if (!chats.length) return noteLedger(ctx, 'no 专班 group bound', true);
    const status = await periodStatus(ctx.db, ctx.campaign, period.due);
    const { reports, responsible } = ctx.campaign.definition;
    const street = textMentions(await responsiblePeople(ctx.db, responsible.street), responsible.street);
    const lines = [
      `【报送汇总】${periodLabel(period)}，截至${formatChineseDate(period.effectiveDue)} ${reports.summaryTime}：`,
      `已确认（${status.confirmed.length}）：${status.confirmed.length ? names(status.confirmed) : '暂无'}`,
      `未确认（${status.missing.length}）：${status.missing.length ? names(status.missing) : '无，全部已确认'}`,
      // Text messages show markdown literally: drop the bold marks of the card form.
      changesMarkdown(await changesSinceLastPeriod(ctx.db, ctx.campaign, ctx.calendar, { now: ctx.now, due: period.due })).replace(/\*\*/g, ''),
      status.gapLines.length ? `数据待补：\n${status.gapLines.map((l) => `- ${l}`).join('\n')}` : '数据完整，无待补项。',
      status.missing.length
        ? `请 ${street} 督促未确认的社区在${reports.escalationTime}前完成报送。`
        : `请 ${street} 审核后报送区住建局。`,
      '附：调度表草稿（当前数据），请审核。',
    ];
    const draft = await renderReportFile(ctx.db, ctx.campaign, ctx.calendar, period.due, ctx.now);
    for (const chat of chats) {
      await ctx.send({ chatId: chat.chatId }, { type: 'text', text: lines.join('\n') }, 'report-summary');
      await ctx.send({ chatId: chat.chatId }, { type: 'file', fileName: draft.fileName.replace(/\.xlsx$/, '（草稿）.xlsx'), data: draft.data }, 'report-draft');
    }
  },
});
