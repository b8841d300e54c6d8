import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { withoutDates } from '../src/understanding/date-extract.ts';
import { disclosureItemsIn, disclosureWord, withoutItemWords } from '../src/understanding/after-coverage-text.ts';
import { resolveNamedCompound } from './takeover-kit/resolve.ts';
import { settingsOf, todayOf } from './after-coverage/common.ts';
import { describeDisclosure, requireRead, singleDate, writeDisclosure } from './after-coverage/disclosure-write.ts';

const STATE_PHRASE = /已经?公示了?|公示了|完成公示|公示完成|已张贴|已上墙|已张榜|未公示|没有?公示|尚未公示|还没有?公示|暂未公示|已?撤下/;

export default defineCommand({
  name: '公示',
  aliases: ['disclosure', '公示情况'],
  summary: '登记或查看小区的公示情况：服务内容、收费、公共收益、投诉渠道',
  usage: '公示 小区 [项目…|全部] [已公示|未公示] [日期]',
  examples: ['公示 福源公寓 收费 已公示', '公示 福源公寓 服务内容、投诉渠道 已公示 10月20日', '公示 福源公寓 全部 已公示', '公示 福源公寓'],
  access: 'bound',
  args: z.object({ rest: z.string() }).refine((i) => i.rest.length > 0, { message: '请写明小区' }),
  async handler(ctx, { rest }) {
    const items = settingsOf(ctx).disclosure.items;
    let text = rest.normalize('NFKC');
    const onDate = singleDate(ctx, text);
    text = withoutDates(text, todayOf(ctx));
    const phrase = STATE_PHRASE.exec(text);
    const state = phrase ? disclosureWord(phrase[0].replace(/^已经/, '已')) ?? (/未|没|尚|还|暂|撤/.test(phrase[0]) ? '未公示' : '已公示') : null;
    if (phrase) text = text.replace(phrase[0], ' ');
    const named = disclosureItemsIn(text, items);
    const compoundText = withoutItemWords(text, items).replace(/[、，,;；]/g, ' ').replace(/\s+/g, ' ').trim();
    if (!compoundText) throw new UserError('请写明小区，例如：公示 福源公寓 收费 已公示');
    const c = await resolveNamedCompound(ctx, compoundText, { lenient: !state && !named.length });
    if (!state && !named.length) {
      requireRead(ctx, c);
      await ctx.reply({ type: 'text', text: await describeDisclosure(ctx, c) });
      return;
    }
    if (!state) throw new UserError(`请写明“已公示”或“未公示”，例如：公示 ${c.name} ${named.join('、')} 已公示`);
    if (!named.length) throw new UserError(`请写明公示项目：${items.map((i) => i.name).join('、')}，或写“全部”。例如：公示 ${c.name} 收费 已公示`);
    await writeDisclosure(ctx, c, named, state, onDate);
  },
});
