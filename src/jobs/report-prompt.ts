import { defineJob } from '../scheduler/job.ts';
import { listCompounds } from '../domain/compounds.ts';
import { compoundGaps } from '../domain/gaps.ts';
import { cardMentions, communityStaff } from '../domain/people.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import { dueMoveWord } from '../domain/period-status.ts';
import { reportPromptCard } from '../../cards/report-prompt.ts';
import { communitySlots, noteLedger, sendToUnit, unconfirmedCommunityOfSlot } from './common.ts';

/** 09:00 the working day before a report is due: the prompt card in each community's group. */
export default defineJob({
  name: 'report-prompt',
  slots: (ctx, from, to) => communitySlots(ctx, 'report-prompt', from, to),
  async run(ctx, slot) {
    const target = await unconfirmedCommunityOfSlot(ctx, slot);
    if (!target) return;
    const { period, community } = target;
    const communityId = community.id;
    const compounds = await listCompounds(ctx.db, ctx.campaign.id, { communityId });
    const card = reportPromptCard({
      communityId,
      community: community.name,
      due: period.due,
      dueLabel: formatChineseDate(period.due),
      effectiveDueLabel: formatChineseDate(period.effectiveDue),
      moveWord: dueMoveWord(ctx.calendar, period),
      mentions: cardMentions(await communityStaff(ctx.db, communityId)),
      compounds: compounds.map((compound) => ({ compound, gaps: compoundGaps(compound) })),
    });
    const sent = await sendToUnit(ctx, { kind: 'community', communityId }, { type: 'card', card }, 'report-prompt');
    if (!sent) await noteLedger(ctx, 'no bound group', true);
  },
});
