import { z } from 'zod';
import { defineCommand, defineInterpreter } from '../src/bot/command.ts';
import type { BotContext, CardContext } from '../src/bot/context.ts';
import { UserError } from '../src/errors.ts';
import { canWriteCommunity, writeRefusal } from '../src/auth/scope.ts';
import { setCategory } from '../src/domain/compound-settings.ts';
import { loadMatchableCompounds } from '../src/domain/compound-lookup.ts';
import { findCompoundMentions, isSureMention } from '../src/understanding/compound-matcher.ts';
import { claimCategories, parseCategoryWord } from '../src/understanding/detail-extract.ts';
import { readIntent } from '../src/understanding/intent.ts';
import { Claims } from '../src/understanding/spans.ts';
import { prepareText } from '../src/understanding/text-fold.ts';
import { CATEGORY_LABELS } from '../cards/takeover-lines.ts';
import { compoundOrAsk } from './takeover-kit/resolve.ts';

/** Sets the category and says what changed. */
export async function applyCategory(
  ctx: BotContext | CardContext, c: { id: number; name: string; community: string; communityId: number }, category: 1 | 2 | 3,
): Promise<string> {
  if (!canWriteCommunity(ctx.actor, c.communityId)) throw new UserError(writeRefusal(ctx.actor, c.community));
  const r = await setCategory(ctx, c.id, category);
  const label = CATEGORY_LABELS[category];
  if (!r.changed) return `${c.name}的类别已经是${label}，无需修改。`;
  const from = r.before ? `（原为${CATEGORY_LABELS[r.before]}）` : '';
  return `已将${c.name}的类别设为${label}${from}。如有误，请发送“撤销”。`;
}

export default defineCommand({
  name: '类别',
  aliases: ['category', '分类'],
  summary: '设置小区的类别（1、2、3类）',
  usage: '类别 小区 1|2|3',
  examples: ['类别 福源公寓 2', '类别 梅花园 一类', '福源公寓是二类小区（不写命令也可以）'],
  access: ['admin', 'street', 'community'],
  args: z
    .object({ words: z.array(z.string()) })
    .refine((i) => i.words.length >= 2, { message: '请写明小区和类别' })
    .transform((i) => ({ compound: i.words.slice(0, -1).join(' '), category: parseCategoryWord(i.words.at(-1)!) }))
    .refine((i) => i.category !== null, { message: '类别只能是 1、2 或 3（一类、二类、三类）' }),
  async handler(ctx, { compound, category }) {
    const c = await compoundOrAsk(ctx, compound, { command: 'category', category: category! });
    if (c) await ctx.reply({ type: 'text', text: await applyCategory(ctx, c, category!) });
  },
});

/** Words around a category that say nothing else (福源公寓是二类小区, 医院宿舍类别改为一类). */
const CATEGORY_FILLERS = ['划分为', '调整为', '类别', '分类', '属于', '定为', '评为', '列为', '划为', '改为', '改成', '目前', '小区', '是', '为', '的', '已', '现', '了'];

/** 福源公寓是二类小区: a category written without the command word; written only when nothing else is in the text. */
export const categoryInterpreter = defineInterpreter({
  name: 'category',
  match: (text) => readIntent(text).kind === 'category',
  async handler(ctx, text) {
    const s = prepareText(text);
    const claims = new Claims(s);
    const compounds = await loadMatchableCompounds(ctx.db, ctx.campaign.id);
    const mentions = findCompoundMentions(s, compounds).filter((m) => claims.claim('compound', m.start, m.end));
    const categories = claimCategories(claims);
    claims.claimWords('filler', CATEGORY_FILLERS);
    const left = claims.leftovers().map((l) => l.text);
    const values = [...new Set(categories.map((c) => c.category))];
    const usage = '请写成：类别 福源公寓 2（或“福源公寓是二类小区”）。未作改动。';
    if (values.length !== 1) throw new UserError(`没有看懂要设置的类别。${usage}`);
    if (mentions.length !== 1) throw new UserError(mentions.length ? `一条消息请只写一个小区的类别。${usage}` : `没有从消息中找到小区名称。${usage}`);
    if (left.length) throw new UserError(`没有看懂：${left.map((w) => `“${w}”`).join('、')}。${usage}`);
    if (!isSureMention(mentions[0]!)) {
      // 福缘公寓是二类小区: 您是不是指福源公寓, with buttons that finish the change.
      await compoundOrAsk(ctx, s.slice(mentions[0]!.start, mentions[0]!.end), { command: 'category', category: values[0]! });
      return;
    }
    const c = mentions[0]!.candidates[0]!.compound;
    await ctx.reply({ type: 'text', text: await applyCategory(ctx, { id: c.id, name: c.name, community: c.community, communityId: c.communityId }, values[0]!) });
  },
});
