import { defineJob } from '../scheduler/job.ts';
import { listCompounds } from '../domain/compounds.ts';
import { compoundGaps } from '../domain/gaps.ts';
import { cardMentions, communityStaff } from '../domain/people.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import { dueMoveWord } from '../domain/period-status.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { type ReportPromptView, reportPromptCard } from '../../cards/report-prompt.ts';
import type { Db } from '../db/connect.ts';
import type { CommunityInfo } from '../domain/campaign.ts';
import type { ReportPeriod } from '../domain/periods.ts';
import { communitySlots, noteLedger, sendToUnit, unconfirmedCommunityOfSlot } from './common.ts';

/** What the prompt card shows for a community and period, read now (the page buttons read it again). */
export async function reportPromptView(db: Db, campaignId: number, calendar: WorkCalendar, community: Pick<CommunityInfo, 'id' | 'name'>, period: ReportPeriod): Promise<ReportPromptView> {
  const compounds = await listCompounds(db, campaignId, { communityId: community.id });
  return {
    communityId: community.id,
    community: community.name,
    due: period.due,
    dueLabel: formatChineseDate(period.due),
    effectiveDueLabel: formatChineseDate(period.effectiveDue),
    moveWord: dueMoveWord(calendar, period),
    mentions: cardMentions(await communityStaff(db, community.id)),
    compounds: compounds.map((compound) => ({ compound, gaps: compoundGaps(compound) })),
  };
}

/** 09:00 the working day before a report is due: the prompt card in each community's group. */
export default defineJob({
  name: 'report-prompt',
  slots: (ctx, from, to) => communitySlots(ctx, 'report-prompt', from, to),
  async run(ctx, slot) {
    const target = await unconfirmedCommunityOfSlot(ctx, slot);
    if (!target) return;
    const { period, community } = target;
    const card = reportPromptCard(await reportPromptView(ctx.db, ctx.campaign.id, ctx.calendar, community, period));
    const sent = await sendToUnit(ctx, { kind: 'community', communityId: community.id }, { type: 'card', card }, 'report-prompt');
    if (!sent) await noteLedger(ctx, 'no bound group', true);
  },
});
