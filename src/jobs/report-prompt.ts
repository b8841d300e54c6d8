import { defineJob } from '../scheduler/job.ts';
import type { Db } from '../db/connect.ts';
import type { CampaignInfo, CommunityInfo } from '../domain/campaign.ts';
import type { ReportPeriod } from '../domain/periods.ts';
import { listCompounds } from '../domain/compounds.ts';
import { compoundGaps } from '../domain/gaps.ts';
import { cardMentions, communityStaff } from '../domain/people.ts';
import { formatChineseDate, localParts } from '../calendar/dates.ts';
import { dueMoveWord } from '../domain/period-status.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import { type ReportPromptView, reportPromptCard } from '../../cards/report-prompt.ts';
import { findConfirmation } from '../domain/confirmations.ts';
import { communitySlots, noteLedger, sendToUnit, unconfirmedCommunityOfSlot } from './common.ts';

/** Who confirmed and when, as the prompt card shows it (`已由小紫于9月29日 09:00确认`). */
export type PromptConfirmation = { by: string; atLabel: string };

/**
 * What the prompt card shows for a community and period, read now (the page buttons read it again). Without an
 * explicit `confirmed`, a confirmation already recorded for the period is looked up, so a re-drawn page of a
 * confirmed prompt never offers 确认报送 again.
 */
export async function reportPromptView(
  db: Db,
  campaign: Pick<CampaignInfo, 'id' | 'timezone'>,
  calendar: WorkCalendar,
  community: Pick<CommunityInfo, 'id' | 'name'>,
  period: ReportPeriod,
  confirmed?: PromptConfirmation | null,
): Promise<ReportPromptView> {
  const compounds = await listCompounds(db, campaign.id, { communityId: community.id });
  return {
    communityId: community.id,
    community: community.name,
    due: period.due,
    dueLabel: formatChineseDate(period.due),
    effectiveDueLabel: formatChineseDate(period.effectiveDue),
    moveWord: dueMoveWord(calendar, period),
    mentions: cardMentions(await communityStaff(db, community.id)),
    compounds: compounds.map((compound) => ({ compound, gaps: compoundGaps(compound) })),
    confirmed: confirmed === undefined ? await recordedConfirmation(db, campaign, period, community.id) : confirmed,
  };
}

async function recordedConfirmation(db: Db, campaign: Pick<CampaignInfo, 'id' | 'timezone'>, period: ReportPeriod, communityId: number): Promise<PromptConfirmation | null> {
  const c = await findConfirmation(db, campaign.id, period.due, communityId);
  if (!c) return null;
  const t = localParts(new Date(c.confirmedAt), campaign.timezone);
  return { by: c.confirmedByName ?? '本社区工作人员', atLabel: `${formatChineseDate(t.date)} ${t.time}` };
}

/** The prompt card of a community for a period, with its compounds as they stand now; `confirmed` once it is. */
export async function promptCardFor(
  db: Db,
  campaign: Pick<CampaignInfo, 'id' | 'timezone'>,
  calendar: WorkCalendar,
  period: ReportPeriod,
  community: Pick<CommunityInfo, 'id' | 'name'>,
  confirmed: PromptConfirmation | null = null,
): Promise<Record<string, unknown>> {
  return reportPromptCard(await reportPromptView(db, campaign, calendar, community, period, confirmed));
}

/** 09:00 the working day before a report is due: the prompt card in each community's group. */
export default defineJob({
  name: 'report-prompt',
  slots: (ctx, from, to) => communitySlots(ctx, 'report-prompt', from, to),
  async run(ctx, slot) {
    const target = await unconfirmedCommunityOfSlot(ctx, slot);
    if (!target) return;
    const { period, community } = target;
    const card = await promptCardFor(ctx.db, ctx.campaign, ctx.calendar, period, community);
    const sent = await sendToUnit(ctx, { kind: 'community', communityId: community.id }, { type: 'card', card }, 'report-prompt');
    if (!sent) await noteLedger(ctx, 'no bound group', true);
  },
});
