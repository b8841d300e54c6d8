import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { resolveGrievance } from '../src/domain/grievances.ts';
import { grievanceFromTypedId } from './grievances/lookup.ts';
import { originalTail } from './grievances/raw-text.ts';
import { forChat } from './grievances/present.ts';

export default defineCommand({
  name: '办结',
  aliases: ['resolve', 'close'],
  summary: '诉求办理完毕，登记办理结果',
  usage: '办结 诉求编号 办理结果',
  examples: ['办结 T0001 已更换电梯控制板，恢复运行'],
  access: ['admin', 'street', 'community', 'department'],
  args: z
    .object({ words: z.array(z.string()) })
    .refine((i) => i.words.length >= 1, { message: '请写明诉求编号和办理结果' })
    .refine((i) => i.words.length >= 2, { message: '请写明办理结果' })
    .transform((i) => ({ id: i.words[0]!, result: i.words.slice(1).join(' ') })),
  async handler(ctx, { id, result }) {
    const g = await grievanceFromTypedId(ctx, id);
    const after = await resolveGrievance(ctx, g, originalTail(ctx.message.text, result));
    const told = after.createdBy !== ctx.actor.openId ? '已告知登记人。' : '';
    await ctx.reply({ type: 'text', text: forChat(ctx, `诉求 ${after.code}（${after.compound}）已办结。办理结果：${after.result}。${told}`) });
  },
});
