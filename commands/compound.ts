import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { canReadCommunity } from '../src/auth/scope.ts';
import { readIntent } from '../src/understanding/intent.ts';
import { buildCompoundCard } from './takeover-kit/compound-view.ts';
import { handleTakeoverText } from './takeover-kit/flow.ts';
import { resolveNamedCompound } from './takeover-kit/resolve.ts';

export default defineCommand({
  name: '小区',
  aliases: ['compound'],
  summary: '查看一个小区的任务、类别、入驻、攻坚行动和修改记录，并可直接修改',
  usage: '小区 小区名称',
  examples: ['小区 福源公寓', '小区 梅花园'],
  access: 'bound',
  args: z.object({ rest: z.string() }).refine((i) => i.rest.trim().length > 0, { message: '请写明小区名称' }),
  async handler(ctx, { rest }) {
    // 小区：福源公寓 物业公司：鑫安物业 …: a report laid out with labels, not a request to see the compound.
    if (readIntent(rest).kind === 'takeover' && ['admin', 'street', 'community'].includes(ctx.actor.role ?? '')) {
      ctx.log.debug({ eventId: ctx.source.eventId, interpreter: 'takeover-report' }, 'interpreted');
      await handleTakeoverText(ctx, ctx.message.text);
      return;
    }
    const c = await resolveNamedCompound(ctx, rest, { lenient: true });
    if (!canReadCommunity(ctx.actor, c.communityId)) throw new UserError(`抱歉，您只能查看${ctx.actor.communityName ?? '本社区'}的小区。`);
    await ctx.reply({ type: 'card', card: await buildCompoundCard(ctx, c.id) });
  },
});
