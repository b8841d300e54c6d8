import { defineJob } from '../scheduler/job.ts';
import { communityStaff } from '../domain/people.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import { type PromptReads, promptReads, readState } from '../domain/prompt-reads.ts';
import { communitySlots, noteLedger, slotConfirmed, unconfirmedCommunityOfSlot } from './common.ts';

const KIND = 'report-direct';

/**
 * The ladder's direct message: to each staff member of a community still unconfirmed who has not opened the
 * prompt card (read receipts); when nobody's reading can be known, to every staff member.
 */
export default defineJob({
  name: KIND,
  slots: (ctx, from, to) => communitySlots(ctx, KIND, from, to),
  prepare: async (ctx, slot) => ((await slotConfirmed(ctx, slot)) ? undefined : promptReads(ctx, String(slot.data?.due), Number(slot.data?.communityId))),
  async run(ctx, slot) {
    const target = await unconfirmedCommunityOfSlot(ctx, slot);
    if (!target) return;
    const { period, community } = target;
    const reads = ctx.prepared as PromptReads | undefined;
    const staff = await communityStaff(ctx.db, community.id);
    if (!staff.length) return noteLedger(ctx, 'no staff bound', true);
    const toMessage = staff.filter((p) => readState(reads, p.openId) !== 'read');
    if (!toMessage.length) return noteLedger(ctx, `all ${staff.length} staff have opened the prompt`, true);
    const { reports } = ctx.campaign.definition;
    const why = !reads?.prompts.length
      ? '本社区还没有绑定工作群，报送提醒无法发到群里。'
      : reads.readers === null
        ? '群里已发送报送提醒卡片。'
        : '群里的报送提醒卡片您还没有查看。';
    for (const person of toMessage) {
      const text = [
        `${person.name ? `${person.name}您好！` : '您好！'}${community.name}的${formatChineseDate(period.due)}调度表今天（${formatChineseDate(period.effectiveDue)}）报送，目前尚未确认。`,
        why,
        `请核对本社区小区信息，无误后直接在这里回复“报送”即可确认；${reports.escalationTime}仍未确认的，将报专班督办。`,
      ].join('\n');
      await ctx.send({ openId: person.openId }, { type: 'text', text }, KIND);
    }
    const unknown = reads?.readers === null ? `; read receipts unknown (${reads.reason})` : '';
    await noteLedger(ctx, `direct message to ${toMessage.length} of ${staff.length} staff${unknown}`, false);
  },
});

