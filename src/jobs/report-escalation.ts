import { defineJob } from '../scheduler/job.ts';
import { type BoundPerson, communityStaff, responsiblePeople, textMentions } from '../domain/people.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import { chatsOfUnit } from '../domain/chats.ts';
import { noteLedger, periodOfSlot, zhuanbanSlots } from './common.ts';
import { periodStatus } from '../domain/period-status.ts';
import { type PromptReads, promptReads, readState } from '../domain/prompt-reads.ts';

type Group = 'seen' | 'unseen' | 'unknown' | 'nobody';

const HEADINGS: Record<Exclude<Group, 'nobody'>, string> = {
  seen: '已查看提醒、仍未确认',
  unseen: '未查看提醒',
  unknown: '已读情况未知',
};

/** Seen but silent (some staff opened the prompt) or never opened (none did), from the read receipts. */
function groupOf(staff: BoundPerson[], reads: PromptReads | undefined): Group {
  if (!staff.length) return 'nobody';
  const states = staff.map((p) => readState(reads, p.openId));
  if (states.includes('read')) return 'seen';
  return states.every((s) => s === 'unread') ? 'unseen' : 'unknown';
}

/**
 * The ladder's last step (17:00 on the effective due day): every community still unconfirmed, named to the 专班
 * group with the street's responsible person; those who opened the prompt are listed apart from those who never did.
 */
export default defineJob({
  name: 'report-escalation',
  slots: (ctx, from, to) => zhuanbanSlots(ctx, 'report-escalation', from, to),
  async prepare(ctx, slot) {
    if (!(await chatsOfUnit(ctx.db, { kind: 'zhuanban' })).length) return undefined;
    const due = String(slot.data?.due);
    const status = await periodStatus(ctx.db, ctx.campaign, due);
    const reads = new Map<number, PromptReads>();
    for (const c of status.missing) reads.set(c.id, await promptReads(ctx, due, c.id));
    return reads;
  },
  async run(ctx, slot) {
    const period = periodOfSlot(ctx, slot);
    const status = await periodStatus(ctx.db, ctx.campaign, period.due);
    if (!status.missing.length) return noteLedger(ctx, 'all communities confirmed', true);
    const chats = await chatsOfUnit(ctx.db, { kind: 'zhuanban' });
    if (!chats.length) return noteLedger(ctx, 'no 专班 group bound', true);
    const { reports, responsible } = ctx.campaign.definition;
    const reads = (ctx.prepared as Map<number, PromptReads> | undefined) ?? new Map<number, PromptReads>();
    const street = textMentions(await responsiblePeople(ctx.db, responsible.street), responsible.street);
    const rows: { group: Group; line: string }[] = [];
    for (const c of status.missing) {
      const staff = await communityStaff(ctx.db, c.id);
      rows.push({ group: groupOf(staff, reads.get(c.id)), line: `- ${c.name}${staff.length ? ` ${textMentions(staff)}` : '（未绑定工作人员）'}` });
    }
    const lines = [
      `【报送督办】${formatChineseDate(period.due)}调度表今天（${formatChineseDate(period.effectiveDue)}）报送，截至${reports.escalationTime}仍有 ${status.missing.length} 个社区未确认：`,
    ];
    if (rows.every((r) => r.group === 'unknown' || r.group === 'nobody')) {
      // Nobody's reading is known (local mode, no read-receipt scope): one list, as it has always been.
      lines.push(...rows.map((r) => r.line));
    } else {
      for (const group of ['seen', 'unseen', 'unknown'] as const) {
        const inGroup = rows.filter((r) => r.group === group || (group === 'unseen' && r.group === 'nobody'));
        if (inGroup.length) lines.push(`${HEADINGS[group]}（${inGroup.length}）：`, ...inGroup.map((r) => r.line));
      }
    }
    lines.push(`请 ${street} 督促落实，各社区核对后尽快@我发送“报送”。`);
    for (const chat of chats) await ctx.send({ chatId: chat.chatId }, { type: 'text', text: lines.join('\n') }, 'report-escalation');
    await noteLedger(ctx, `escalated ${status.missing.length}: ${rows.map((r) => r.group).join(',')}`, false);
  },
});
