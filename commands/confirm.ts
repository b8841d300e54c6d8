import { z } from 'zod';
import { defineCardAction, defineCommand } from '../src/bot/command.ts';
import type { BotContext, CardContext } from '../src/bot/context.ts';
import { UserError } from '../src/errors.ts';
import { localDate, localParts, formatChineseDate } from '../src/calendar/dates.ts';
import { listCompounds } from '../src/domain/compounds.ts';
import { isIncomplete } from '../src/domain/gaps.ts';
import { confirmCommunity } from '../src/domain/confirmations.ts';
import { type ReportPeriod, currentPeriod, periodByDue } from '../src/domain/periods.ts';
import { periodLabel } from '../src/domain/period-status.ts';
import { REPORT_CONFIRM_ACTION, REPORT_PAGE_ACTION, reportPromptCard } from '../cards/report-prompt.ts';
import { canReadCommunity } from '../src/auth/scope.ts';
import { listCommunities } from '../src/domain/campaign.ts';
import { promptCardFor, reportPromptView } from '../src/jobs/report-prompt.ts';
import { promptMessages } from '../src/domain/sent-messages.ts';

/**
 * The prompt cards the community's groups got for this period now say who confirmed and when, and no longer offer
 * 确认报送, so the whole group sees it is done.
 */
async function markPromptsConfirmed(ctx: BotContext | CardContext, period: ReportPeriod, community: { id: number; name: string }): Promise<void> {
  const prompts = await promptMessages(ctx.db, period.due, community.id);
  if (!prompts.length) return;
  const t = localParts(ctx.now, ctx.campaign.timezone);
  const by = ctx.actor.name ?? '本社区工作人员';
  const card = await promptCardFor(ctx.db, ctx.campaign, ctx.calendar, period, community, { by, atLabel: `${formatChineseDate(t.date)} ${t.time}` });
  for (const p of prompts) await ctx.patchCard(p.messageId, p.chatId, card);
}

/** Confirms the actor's community for a period; returns the sentence to show. Only that community's staff may. */
async function confirm(ctx: BotContext | CardContext, period: ReportPeriod, communityId?: number): Promise<string> {
  const a = ctx.actor;
  if (a.role !== 'community' || a.communityId === null) {
    throw new UserError('报送由社区工作人员确认本社区的数据。如需查看哪些社区还没有报送，请发送“未报”。');
  }
  if (communityId !== undefined && communityId !== a.communityId) {
    throw new UserError(`抱歉，您绑定的是${a.communityName}，只能确认本社区的报送。`);
  }
  const r = await confirmCommunity(ctx.db, {
    campaignId: ctx.campaign.id, period, communityId: a.communityId, by: a.openId, at: ctx.now, sourceRef: ctx.source.ref,
  });
  const label = periodLabel(period);
  if (r.status === 'already') {
    const t = localParts(new Date(r.confirmedAt), ctx.campaign.timezone);
    return `${a.communityName}已于${formatChineseDate(t.date)} ${t.time}确认过${label}，无需重复报送。`;
  }
  await ctx.audit({
    action: 'report.confirm', entity: 'report_confirmation', entityId: r.id, before: null,
    after: { due: period.due, effectiveDue: period.effectiveDue, communityId: a.communityId },
  });
  await markPromptsConfirmed(ctx, period, { id: a.communityId, name: a.communityName ?? '' });
  const compounds = await listCompounds(ctx.db, ctx.campaign.id, { communityId: a.communityId });
  const incomplete = compounds.filter(isIncomplete).length;
  const hint = incomplete ? `\n提示：仍有 ${incomplete} 个小区信息待补充，有变化请及时更新。` : '';
  return `已确认报送：${a.communityName} ${label}。谢谢！${hint}`;
}

export default defineCommand({
  name: '报送',
  aliases: ['confirm', '确认报送'],
  summary: '确认本社区本期调度表数据（社区工作人员）',
  usage: '报送',
  examples: ['报送'],
  access: ['community'],
  args: z.object({}),
  async handler(ctx) {
    const period = currentPeriod(ctx.campaign, ctx.calendar, localDate(ctx.now, ctx.campaign.timezone));
    if (!period) throw new UserError('本次工作已没有待报送的调度表。');
    await ctx.reply({ type: 'text', text: await confirm(ctx, period) });
  },
});

/** The `确认报送` button of the prompt card. */
export const confirmButton = defineCardAction({
  kind: REPORT_CONFIRM_ACTION,
  value: z.object({
    a: z.literal(REPORT_CONFIRM_ACTION),
    c: z.number().int().positive(),
    d: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  }),
  async handler(ctx, value) {
    const period = periodByDue(ctx.campaign, ctx.calendar, value.d);
    if (!period) throw new UserError('这张卡片已失效，请@我发送“报送”。');
    if (period.effectiveDue < localDate(ctx.now, ctx.campaign.timezone)) {
      throw new UserError(`${formatChineseDate(period.due)}调度表已截止。如需确认本期，请@我发送“报送”。`);
    }
    const text = await confirm(ctx, period, value.c);
    return { toast: { type: 'success', content: text.split('\n')[0]! } };
  },
});

/** The prompt card's 上一页 / 下一页: the same card, another page of its compounds, as they stand now. */
export const pageButton = defineCardAction({
  kind: REPORT_PAGE_ACTION,
  value: z.object({
    a: z.literal(REPORT_PAGE_ACTION),
    c: z.number().int().positive(),
    d: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    p: z.number().int().min(0).max(10_000),
  }),
  async handler(ctx, value) {
    const period = periodByDue(ctx.campaign, ctx.calendar, value.d);
    const community = (await listCommunities(ctx.db, ctx.campaign.id)).find((c) => c.id === value.c);
    if (!period || !community) throw new UserError('这张卡片已失效。');
    if (!canReadCommunity(ctx.actor, community.id)) throw new UserError(`抱歉，您不能查看${community.name}的小区。`);
    return { card: reportPromptCard({ ...(await reportPromptView(ctx.db, ctx.campaign, ctx.calendar, community, period)), page: value.p }) };
  },
});
