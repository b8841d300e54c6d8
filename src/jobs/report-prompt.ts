import { defineJob } from '../scheduler/job.ts';
import type { Db } from '../db/connect.ts';
import type { CampaignInfo, CommunityInfo } from '../domain/campaign.ts';
import type { ReportPeriod } from '../domain/periods.ts';
import { listCompounds } from '../domain/compounds.ts';
import { compoundGaps } from '../domain/gaps.ts';
import { cardMentions, communityStaff } from '../domain/people.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import { reportPromptCard } from '../../cards/report-prompt.ts';
import { communitySlots, noteLedger, sendToUnit, unconfirmedCommunityOfSlot } from './common.ts';

/** The prompt card of a community for a period, with its compounds as they stand now; `confirmed` once it is. */
export async function promptCardFor(
  db: Db,
  campaign: CampaignInfo,
  period: ReportPeriod,
  community: Pick<CommunityInfo, 'id' | 'name'>,
  confirmed: { by: string; atLabel: string } | null = null,
): Promise<Record<string, unknown>> {
  const compounds = await listCompounds(db, campaign.id, { communityId: community.id });
  return reportPromptCard({
    communityId: community.id,
    community: community.name,
    due: period.due,
    dueLabel: formatChineseDate(period.due),
    effectiveDueLabel: formatChineseDate(period.effectiveDue),
    mentions: cardMentions(await communityStaff(db, community.id)),
    compounds: compounds.map((compound) => ({ compound, gaps: compoundGaps(compound) })),
    confirmed,
  });
}

/** 09:00 the working day before a report is due: the prompt card in each community's group. */
export default defineJob({
  name: 'report-prompt',
  slots: (ctx, from, to) => communitySlots(ctx, 'report-prompt', from, to),
  async run(ctx, slot) {
    const target = await unconfirmedCommunityOfSlot(ctx, slot);
    if (!target) return;
    const { period, community } = target;
    const card = await promptCardFor(ctx.db, ctx.campaign, period, community);
    const sent = await sendToUnit(ctx, { kind: 'community', communityId: community.id }, { type: 'card', card }, 'report-prompt');
    if (!sent) await noteLedger(ctx, 'no bound group', true);
  },
});
