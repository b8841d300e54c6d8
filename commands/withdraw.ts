import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { withdrawGrievance, withdrawWindowHours } from '../src/domain/grievance-withdraw.ts';
import { grievanceFromTypedId } from './grievances/lookup.ts';
import { forChat } from './grievances/present.ts';
import { originalTail } from './grievances/raw-text.ts';

export default defineCommand({
  name: '撤回',
  aliases: ['withdraw', '撤回诉求'],
  summary: '撤回自己误登的诉求（登记后一定时间内）',
  usage: '撤回 诉求编号 [说明]',
  examples: ['撤回 T0009', '撤回 T0009 小区写错了'],
  access: ['admin', 'street', 'community'],
  args: z
    .object({ words: z.array(z.string()) })
    .refine((i) => i.words.length >= 1, { message: '请写明要撤回的诉求编号，例如 撤回 T0009' })
    .transform((i) => ({ id: i.words[0]!, reason: i.words.slice(1).join(' ') || null })),
  async handler(ctx, { id, reason }) {
    const g = await grievanceFromTypedId(ctx, id);
    const after = await withdrawGrievance(ctx, g, reason ? originalTail(ctx.message.text, reason).slice(0, 200) : null);
    await ctx.reply({
      type: 'text',
      text: forChat(ctx, `已撤回诉求 ${after.code}（${after.compound}：${after.text.slice(0, 40)}），不再计入未办结诉求。\n（登记后 ${withdrawWindowHours(ctx)} 小时内可撤回本人误登的诉求。）`),
    });
  },
});
