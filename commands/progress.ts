import { z } from 'zod';
import { defineCardAction, defineCommand } from '../src/bot/command.ts';
import type { BotContext, CardContext } from '../src/bot/context.ts';
import { UserError } from '../src/errors.ts';
import { findCommunityByName, listCommunities } from '../src/domain/campaign.ts';
import { computeProgress } from '../src/domain/progress.ts';
import { formatChineseDate, localParts } from '../src/calendar/dates.ts';
import { upgradeActionStats } from '../src/domain/upgrade-stats.ts';
import type { Card } from '../cards/kit.ts';
import { dueMoveWord } from '../src/domain/period-status.ts';
import { countIncomplete } from '../src/domain/gaps.ts';
import { joinNames } from '../src/text/wording.ts';
import { communityListCard, progressCard } from '../cards/progress.ts';
import { overdueCounts } from '../src/domain/overdue.ts';
import { periodLabel } from '../src/domain/assessments.ts';
import { afterCoverageSettings, assessmentKind } from '../src/campaign/after-coverage.ts';
import { formatAmount } from '../src/understanding/amount-extract.ts';

function assessmentLabel(ctx: BotContext | CardContext, code: string, period: string): string {
  const kind = assessmentKind(afterCoverageSettings(ctx.campaign.definition), code);
  return kind ? periodLabel(kind, period) : period;
}

export const PROGRESS_OVERVIEW_ACTION = 'progress.overview';
export const PROGRESS_COMMUNITIES_ACTION = 'progress.communities';

const asOf = (ctx: BotContext | CardContext) => {
  const local = localParts(ctx.now, ctx.campaign.timezone);
  return `${formatChineseDate(local.date, true)} ${local.time}`;
};

/** The 进度 card for a scope (one community, or the whole street). */
async function buildProgressCard(ctx: BotContext | CardContext, communityId: number | undefined): Promise<Card> {
  const communities = await listCommunities(ctx.db, ctx.campaign.id);
  const p = await computeProgress(ctx, ctx.now, { communityId });
  const scopeName = communityId ? communities.find((c) => c.id === communityId)!.name : ctx.campaign.street;
  return progressCard({
    title: `${scopeName}物业管理全覆盖进度`,
    scopeLabel: communityId ? scopeName : `${ctx.campaign.district}${ctx.campaign.street}`,
    asOfLabel: asOf(ctx),
    coverage: p.coverage,
    upgrade: p.upgrade,
    grievances: p.grievances,
    period: p.period
      ? {
          dueLabel: formatChineseDate(p.period.due),
          effectiveDueLabel: formatChineseDate(p.period.effectiveDue),
          moveWord: dueMoveWord(ctx.calendar, p.period),
          confirmed: p.period.confirmed,
          missing: p.period.missing,
        }
      : null,
    communities: p.communities,
    incomplete: await countIncomplete(ctx.db, ctx.campaign.id, communityId),
    actions: await upgradeActionStats(ctx.db, ctx.campaign.id, { communityId }),
    allCommunities: communityId ? undefined : { a: PROGRESS_COMMUNITIES_ACTION, p: 0 },
    overdue: (await overdueCounts(ctx.db, ctx.campaign, localParts(ctx.now, ctx.campaign.timezone).date, communityId)).map((o) => ({
      dateLabel: formatChineseDate(o.deadline.date), title: o.deadline.title, left: o.left, daysLate: o.daysLate,
    })),
    afterCoverage: {
      disclosure: p.disclosure,
      committees: p.committees,
      assessment: p.assessment ? { label: assessmentLabel(ctx, p.assessment.kind, p.assessment.period), ...p.assessment } : null,
      subsidies: { ...p.subsidies, paid: formatAmount(Math.round(p.subsidies.paidAmount * 100)) },
    },
  });
}

export default defineCommand({
  name: '进度',
  aliases: ['覆盖进度', '全覆盖进度', 'progress', 'coverage progress', 'coverage'],
  summary: '查看物业管理全覆盖进度（社区工作人员只看本社区）',
  usage: '进度 [社区]',
  examples: ['进度', '进度 梅园社区'],
  access: 'bound',
  args: z.object({ rest: z.string() }).transform((i) => ({ community: i.rest || null })),
  async handler(ctx, { community }) {
    const communities = await listCommunities(ctx.db, ctx.campaign.id);
    let communityId: number | undefined;
    if (ctx.actor.role === 'community') {
      communityId = ctx.actor.communityId ?? undefined;
      if (community) {
        const asked = findCommunityByName(communities, community);
        if (asked && asked.id !== communityId) throw new UserError(`抱歉，您只能查看${ctx.actor.communityName}的进度。`);
      }
    } else if (community) {
      const asked = findCommunityByName(communities, community);
      if (!asked) throw new UserError(`没有找到“${community.slice(0, 20)}”。本街道的社区有：${joinNames(communities.map((c) => c.name))}。`);
      communityId = asked.id;
    }
    await ctx.reply({ type: 'card', card: await buildProgressCard(ctx, communityId) });
  },
});

/** Who may page through the whole street: anyone bound except community staff (they see their own community). */
function requireStreetView(ctx: CardContext): void {
  if (!ctx.actor.role) throw new UserError('抱歉，查看进度需要先由管理员绑定角色。');
  if (ctx.actor.role === 'community') throw new UserError(`抱歉，您只能查看${ctx.actor.communityName ?? '本社区'}的进度。`);
}

/** The 进度 card's 查看全部社区 and its pages: every community, in the campaign's order. */
export const communitiesButton = defineCardAction({
  kind: PROGRESS_COMMUNITIES_ACTION,
  value: z.object({ a: z.literal(PROGRESS_COMMUNITIES_ACTION), p: z.number().int().min(0).max(10_000) }),
  async handler(ctx, value) {
    requireStreetView(ctx);
    const p = await computeProgress(ctx, ctx.now, {});
    return {
      card: communityListCard({
        title: `${ctx.campaign.street}物业管理全覆盖进度`, asOfLabel: asOf(ctx), communities: p.communities, page: value.p,
        pageValue: (page) => ({ a: PROGRESS_COMMUNITIES_ACTION, p: page }), overviewValue: { a: PROGRESS_OVERVIEW_ACTION },
      }),
    };
  },
});

export const overviewButton = defineCardAction({
  kind: PROGRESS_OVERVIEW_ACTION,
  value: z.object({ a: z.literal(PROGRESS_OVERVIEW_ACTION) }),
  async handler(ctx) {
    requireStreetView(ctx);
    return { card: await buildProgressCard(ctx, undefined) };
  },
});
