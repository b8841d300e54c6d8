import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { canWriteCommunity, writeRefusal } from '../src/auth/scope.ts';
import { setCategory } from '../src/domain/compound-settings.ts';
import { parseCategoryWord } from '../src/understanding/detail-extract.ts';
import { CATEGORY_LABELS } from '../cards/takeover-lines.ts';
import { resolveNamedCompound } from './takeover-kit/resolve.ts';

export default defineCommand({
  name: '类别',
  aliases: ['category', '分类'],
  summary: '设置小区的类别（1、2、3类）',
  usage: '类别 小区 1|2|3',
  examples: ['类别 福源公寓 2', '类别 梅花园 一类'],
  access: ['admin', 'street', 'community'],
  args: z
    .object({ words: z.array(z.string()) })
    .refine((i) => i.words.length >= 2, { message: '请写明小区和类别' })
    .transform((i) => ({ compound: i.words.slice(0, -1).join(' '), category: parseCategoryWord(i.words.at(-1)!) }))
    .refine((i) => i.category !== null, { message: '类别只能是 1、2 或 3（一类、二类、三类）' }),
  async handler(ctx, { compound, category }) {
    const c = await resolveNamedCompound(ctx, compound);
    if (!canWriteCommunity(ctx.actor, c.communityId)) throw new UserError(writeRefusal(ctx.actor, c.community));
    const r = await setCategory(ctx, c.id, category!);
    const label = CATEGORY_LABELS[category!];
    if (!r.changed) {
      await ctx.reply({ type: 'text', text: `${c.name}的类别已经是${label}，无需修改。` });
      return;
    }
    const from = r.before ? `（原为${CATEGORY_LABELS[r.before]}）` : '';
    await ctx.reply({ type: 'text', text: `已将${c.name}的类别设为${label}${from}。如有误，请发送“撤销”。` });
  },
});
