import { defineJob } from '../scheduler/job.ts';
import { listCompounds } from '../domain/compounds.ts';
import { compoundGaps } from '../domain/gaps.ts';
import { communityStaff, textMentions } from '../domain/people.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import { communitySlots, noteLedger, sendToUnit, unconfirmedCommunityOfSlot } from './common.ts';

/** 09:00 on the effective due day: a reminder to each community that has not confirmed. */
export default defineJob({
  name: 'report-reminder',
  slots: (ctx, from, to) => communitySlots(ctx, 'report-reminder', from, to),
  async run(ctx, slot) {
    const target = await unconfirmedCommunityOfSlot(ctx, slot);
    if (!target) return;
    const { period, community } = target;
    const communityId = community.id;
    const incomplete = (await listCompounds(ctx.db, ctx.campaign.id, { communityId })).filter((c) => compoundGaps(c).length).length;
    const mentions = textMentions(await communityStaff(ctx.db, communityId));
    const text = [
      `${mentions ? `${mentions} ` : ''}提醒：今天（${formatChineseDate(period.effectiveDue)}）报送${formatChineseDate(period.due)}调度表，${community.name}尚未确认。`,
      incomplete ? `目前还有 ${incomplete} 个小区信息待补充，` : '',
      `请核对本社区小区信息，确认无误后@我发送“报送”。`,
    ].join('');
    const sent = await sendToUnit(ctx, { kind: 'community', communityId }, { type: 'text', text }, 'report-reminder');
    if (!sent) await noteLedger(ctx, 'no bound group', true);
  },
});
