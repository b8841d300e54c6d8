import { defineJob } from '../scheduler/job.ts';
import { communityStaff } from '../domain/people.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import { type PromptReads, promptReads, readState } from '../domain/prompt-reads.ts';
import { communitySlots, noteLedger, slotConfirmed, unconfirmedCommunityOfSlot } from './common.ts';

const KIND = 'report-urgent';

/**
 * The ladder's 加急: the prompt card made urgent in the app for each staff member of a community still unconfirmed
 * who has not opened it. Lark may refuse (no scope, a group that does not allow it): then, and for anyone it
 * cannot reach, the outbox sends the plain message below instead. Without a prompt card, the plain message goes.
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
    const toUrge = staff.filter((p) => readState(reads, p.openId) !== 'read');
    if (!toUrge.length) return noteLedger(ctx, `all ${staff.length} staff have opened the prompt`, true);
    const { reports } = ctx.campaign.definition;
    const fallback = `【加急】${community.name}的${formatChineseDate(period.due)}调度表今天（${formatChineseDate(period.effectiveDue)}）报送，至今尚未确认，${reports.escalationTime}仍未确认的将报专班督办。请尽快核对本社区小区信息，无误后在这里回复“报送”即可确认。`;
    const prompt = reads?.prompts[0];
    if (prompt) {
      await ctx.urgent(prompt.messageId, prompt.chatId ?? prompt.messageId, toUrge.map((p) => p.openId), fallback, KIND);
      return noteLedger(ctx, `加急 for ${toUrge.length} of ${staff.length} staff on ${prompt.messageId}`, false);
    }
    for (const person of toUrge) await ctx.send({ openId: person.openId }, { type: 'text', text: fallback }, `${KIND}-fallback`);
    await noteLedger(ctx, `no prompt card to make urgent; plain message to ${toUrge.length} staff`, false);
  },
});
