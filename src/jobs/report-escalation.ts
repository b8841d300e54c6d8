import { defineJob } from '../scheduler/job.ts';
import { communityStaff, responsiblePeople, textMentions } from '../domain/people.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import { chatsOfUnit } from '../domain/chats.ts';
import { noteLedger, periodOfSlot, zhuanbanSlots } from './common.ts';
import { periodStatus } from '../domain/period-status.ts';

/** 17:00 on the effective due day: every community still unconfirmed, named to the 专班 group. */
export default defineJob({
  name: 'report-escalation',
  slots: (ctx, from, to) => zhuanbanSlots(ctx, 'report-escalation', from, to),
  async run(ctx, slot) {
    const period = periodOfSlot(ctx, slot);
    const status = await periodStatus(ctx.db, ctx.campaign, period.due);
    if (!status.missing.length) return noteLedger(ctx, 'all communities confirmed', true);
    const chats = await chatsOfUnit(ctx.db, { kind: 'zhuanban' });
    if (!chats.length) return noteLedger(ctx, 'no 专班 group bound', true);
    const { reports, responsible } = ctx.campaign.definition;
    const street = textMentions(await responsiblePeople(ctx.db, responsible.street), responsible.street);
    const lines = [
      `【报送督办】${formatChineseDate(period.due)}调度表今天（${formatChineseDate(period.effectiveDue)}）报送，截至${reports.escalationTime}仍有 ${status.missing.length} 个社区未确认：`,
    ];
    for (const c of status.missing) {
      const staff = await communityStaff(ctx.db, c.id);
      lines.push(`- ${c.name}${staff.length ? ` ${textMentions(staff)}` : '（未绑定工作人员）'}`);
    }
    lines.push(`请 ${street} 督促落实，各社区核对后尽快@我发送“报送”。`);
    for (const chat of chats) await ctx.send({ chatId: chat.chatId }, { type: 'text', text: lines.join('\n') }, 'report-escalation');
  },
});
