import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { joinNames } from '../src/text/wording.ts';
import { localDate } from '../src/calendar/dates.ts';
import { currentPeriod } from '../src/domain/periods.ts';
import { periodLabel, periodStatus } from '../src/domain/period-status.ts';

export default defineCommand({
  name: '未报',
  aliases: ['谁没报', 'missing'],
  summary: '查看本期还没有确认报送的社区',
  usage: '未报',
  examples: ['未报', '谁没报'],
  access: 'bound',
  args: z.object({}),
  async handler(ctx) {
    const period = currentPeriod(ctx.campaign, ctx.calendar, localDate(ctx.now, ctx.campaign.timezone));
    if (!period) {
      await ctx.reply({ type: 'text', text: '本次工作已没有待报送的调度表。' });
      return;
    }
    const s = await periodStatus(ctx.db, ctx.campaign, period.due);
    const names = (list: { name: string }[]) => joinNames(list.map((c) => c.name));
    const lines = [`本期：${periodLabel(period)}`];
    if (s.missing.length) lines.push(`未确认（${s.missing.length}）：${names(s.missing)}`);
    else lines.push('全部社区已确认报送。');
    if (s.confirmed.length) lines.push(`已确认（${s.confirmed.length}）：${names(s.confirmed)}`);
    await ctx.reply({ type: 'text', text: lines.join('\n') });
  },
});
