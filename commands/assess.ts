import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { actorMay } from '../src/auth/campaign-actors.ts';
import { afterCoverageSettings } from '../src/campaign/after-coverage.ts';
import { resolveAssessmentTarget } from './after-coverage/assessment-target.ts';
import { assessmentForm, recordScores } from './after-coverage/assessment-flow.ts';

export default defineCommand({
  name: '考核',
  aliases: ['assess', 'assessment', '评分', '打分'],
  summary: '考核打分：打开评分表，逐项打分，自动计算总分和是否合格（考核人员）',
  usage: '考核 小区|街道 [季度] [逐项分数] [备注 …]',
  examples: ['考核 福源公寓', '考核 福源公寓 四季度', '考核 街道', '考核 梅花园 合同履约18 服务标准执行17 备注 楼道卫生待改进'],
  access: ['admin', 'street', 'leader', 'department'],
  permits: (actor, campaign) => afterCoverageSettings(campaign.definition).assessment.kinds.some((k) => actorMay(actor, k.assessors)),
  args: z.object({ rest: z.string() }).refine((i) => i.rest.length > 0, { message: '请写明考核的小区（或“街道”）' }),
  async handler(ctx, { rest }) {
    const t = await resolveAssessmentTarget(ctx, rest);
    const subject = { kind: t.kind, period: t.period, compoundId: t.compound?.id ?? null };
    const complete = t.kind.items.every((it) => t.scores[it.code] !== undefined);
    if (complete && !t.notes.length) {
      await ctx.reply({ type: 'card', card: (await recordScores(ctx, subject, t.scores, t.note)).card });
      return;
    }
    await ctx.reply({ type: 'card', card: await assessmentForm(ctx, subject, t) });
  },
});
