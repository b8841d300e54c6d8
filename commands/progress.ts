import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { findCommunityByName, listCommunities } from '../src/domain/campaign.ts';
import { computeProgress } from '../src/domain/progress.ts';
import { formatChineseDate, localParts } from '../src/calendar/dates.ts';
import { upgradeActionStats } from '../src/domain/upgrade-stats.ts';
import { progressCard } from '../cards/progress.ts';
import { periodLabel } from '../src/domain/assessments.ts';
import { afterCoverageSettings, assessmentKind } from '../src/campaign/after-coverage.ts';
import type { BotContext } from '../src/bot/context.ts';
import { formatAmount } from '../src/understanding/amount-extract.ts';

function assessmentLabel(ctx: BotContext, code: string, period: string): string {
  const kind = assessmentKind(afterCoverageSettings(ctx.campaign.definition), code);
  return kind ? periodLabel(kind, period) : period;
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
      if (!asked) throw new UserError(`没有找到“${community.slice(0, 20)}”。本街道的社区有：${communities.map((c) => c.name).join('、')}。`);
      communityId = asked.id;
    }
    const p = await computeProgress(ctx, ctx.now, { communityId });
    const scopeName = communityId ? communities.find((c) => c.id === communityId)!.name : ctx.campaign.street;
    const local = localParts(ctx.now, ctx.campaign.timezone);
    await ctx.reply({
      type: 'card',
      card: progressCard({
        title: `${scopeName}物业管理全覆盖进度`,
        scopeLabel: communityId ? scopeName : `${ctx.campaign.district}${ctx.campaign.street}`,
        asOfLabel: `${formatChineseDate(local.date, true)} ${local.time}`,
        coverage: p.coverage,
        upgrade: p.upgrade,
        grievances: p.grievances,
        period: p.period
          ? {
              dueLabel: formatChineseDate(p.period.due),
              effectiveDueLabel: formatChineseDate(p.period.effectiveDue),
              confirmed: p.period.confirmed,
              missing: p.period.missing,
            }
          : null,
        communities: p.communities,
        actions: await upgradeActionStats(ctx.db, ctx.campaign.id, { communityId }),
        afterCoverage: {
          disclosure: p.disclosure,
          committees: p.committees,
          assessment: p.assessment ? { label: assessmentLabel(ctx, p.assessment.kind, p.assessment.period), ...p.assessment } : null,
          subsidies: { ...p.subsidies, paid: formatAmount(Math.round(p.subsidies.paidAmount * 100)) },
        },
      }),
    });
  },
});
