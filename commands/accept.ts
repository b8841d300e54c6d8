import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { acceptGrievance } from '../src/domain/grievances.ts';
import { grievanceFromTypedId } from './grievances/lookup.ts';
import { dueLabel, forChat } from './grievances/present.ts';

export default defineCommand({
  name: '受理',
  aliases: ['accept'],
  summary: '受理分派给本单位的诉求',
  usage: '受理 诉求编号',
  examples: ['受理 T0001'],
  access: ['admin', 'street', 'community', 'department'],
  args: z
    .object({ words: z.array(z.string()) })
    .refine((i) => i.words.length >= 1, { message: '请写明诉求编号' })
    .transform((i) => ({ id: i.words[0]! })),
  async handler(ctx, { id }) {
    const g = await grievanceFromTypedId(ctx, id);
    const after = await acceptGrievance(ctx, g);
    await ctx.reply({
      type: 'text',
      text: forChat(ctx, `已受理诉求 ${after.code}（${after.compound}：${after.text}），状态：处理中。\n办结时限：${dueLabel(after.resolveDueAt, ctx.campaign.timezone)}。办好后请发送：办结 ${after.code} 办理结果`),
    });
  },
});
