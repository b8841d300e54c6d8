import { z } from 'zod';
import { looksLikeTakeoverReport } from '../src/understanding/takeover-report.ts';
import { defineCommand, defineInterpreter } from '../src/bot/command.ts';
import type { BotContext } from '../src/bot/context.ts';
import { UserError } from '../src/errors.ts';
import { originalTail } from './grievances/raw-text.ts';
import { NO_COMPOUND_MESSAGE, choiceCard, lookupCompound, recordGrievance } from './grievances/record.ts';

async function recordFromText(ctx: BotContext, text: string, firstWordIsCompound: boolean): Promise<void> {
  if (!['admin', 'street', 'community'].includes(ctx.actor.role ?? '')) {
    throw new UserError('抱歉，登记诉求仅限社区工作人员、街道和管理员。职责部门请用“受理 / 转办 / 办结”办理分派给本部门的诉求。');
  }
  const found = await lookupCompound(ctx, text, { firstWordIsCompound });
  if (found.kind === 'none') throw new UserError(NO_COMPOUND_MESSAGE);
  if (found.kind === 'ambiguous') {
    await ctx.reply({ type: 'card', card: await choiceCard(ctx, text, found.candidates) });
    return;
  }
  const { summary } = await recordGrievance(ctx, found.compound, originalTail(ctx.message.text, found.problem));
  await ctx.reply({ type: 'text', text: summary });
}

export const grievanceCommand = defineCommand({
  name: '投诉',
  aliases: ['纠纷', 'grievance'],
  summary: '登记群众诉求，并按职责分派给相关部门',
  usage: '投诉 小区 诉求内容',
  examples: ['投诉 锦绣花园 3号楼电梯坏了', '诉求 欧亚城 地下室老鼠很多'],
  access: ['admin', 'street', 'community'],
  args: z
    .object({ rest: z.string() })
    .refine((i) => i.rest.length > 0, { message: '请写明小区和诉求内容' })
    .refine((i) => i.rest.split(' ').length >= 2 || i.rest.length >= 6, { message: '请写明小区和诉求内容' })
    .transform((i) => ({ text: i.rest })),
  async handler(ctx, { text }) {
    await recordFromText(ctx, text, true);
  },
});

/** Words residents use when something is wrong. */
const PROBLEM_SIGNAL =
  /坏了|坏掉|损坏|故障|失灵|反映|投诉|举报|噪音|噪声|扰民|漏水|渗水|停水|停电|没水|没电|老鼠|蟑螂|蚊蝇|堵|乱搭|乱建|乱停|乱收|乱扔|乱倒|油烟|异味|臭|困人|隐患|不热|纠纷|矛盾|没人管|不作为|违建|私搭|占用|污染|太高|太贵|太差|不满|拖欠|吵闹|打架|停车难|收费难|难停车/;

/**
 * A resident's problem, unless it reads like a takeover report (the takeover interpreter is tried first and
 * uses the same test, so a message is claimed by at most one of them).
 */
export function looksLikeGrievance(text: string): boolean {
  const t = text.normalize('NFKC');
  return !looksLikeTakeoverReport(t) && PROBLEM_SIGNAL.test(t);
}

/** Understands "锦绣花园3号楼电梯坏了，居民反映多次" without a command word. */
export const grievanceInterpreter = defineInterpreter({
  name: 'grievance',
  match: looksLikeGrievance,
  async handler(ctx, text) {
    await recordFromText(ctx, text.replace(/[\s\u3000]+/g, ' ').trim(), false);
  },
});

export default grievanceCommand;
