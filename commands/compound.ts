import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { canReadCommunity } from '../src/auth/scope.ts';
import { findCommunityByName, listCommunities } from '../src/domain/campaign.ts';
import { loadMatchableCompounds } from '../src/domain/compound-lookup.ts';
import { findCompoundCandidates, resolveCompound } from '../src/understanding/compound-matcher.ts';
import { compoundChoiceCard } from '../cards/compound-choice.ts';
import { buildCompoundCard, OPEN_KIND } from './takeover-kit/compound-view.ts';
import { readIntent } from '../src/understanding/intent.ts';
import { handleTakeoverText } from './takeover-kit/flow.ts';
import { resolveNamedCompound } from './takeover-kit/resolve.ts';
import { isListFilterWord, replyCompoundList } from './compound-list.ts';

export default defineCommand({
  name: '小区',
  aliases: ['compound'],
  summary: '查看一个小区的任务、类别、入驻、攻坚行动、诉求和修改记录，并可直接修改',
  readOnlySummary: '查看一个小区的任务、类别、入驻、攻坚行动、诉求和修改记录',
  usage: '小区 小区名称（不写名称则列出小区）',
  examples: ['小区 福源公寓', '小区 梅花园', '小区', '小区 未入驻'],
  access: 'bound',
  args: z.object({ rest: z.string(), words: z.array(z.string()) }),
  async handler(ctx, { rest, words }) {
    // 小区：福源公寓 物业公司：鑫安物业 …: a report laid out with labels, not a request to see the compound.
    if (rest.trim() && readIntent(rest).kind === 'takeover' && ['admin', 'street', 'community'].includes(ctx.actor.role ?? '')) {
      ctx.log.debug({ eventId: ctx.source.eventId, interpreter: 'takeover-report' }, 'interpreted');
      await handleTakeoverText(ctx, ctx.message.text);
      return;
    }
    // No name, a filter word or a community: the list of compounds in scope.
    const communities = await listCommunities(ctx.db, ctx.campaign.id);
    const compounds = await loadMatchableCompounds(ctx.db, ctx.campaign.id);
    // A compound may be named like a community (紫薇社区 is both): the compound wins; 小区列表 紫薇社区 lists.
    const isCompoundName = (w: string) => compounds.some((c) => c.name === w || c.aliases.includes(w));
    const names = (w: string) => isListFilterWord(w) || (/社区$/.test(w) && !isCompoundName(w) && Boolean(findCommunityByName(communities, w)));
    if (!rest.trim() || words.every(names)) {
      if (ctx.actor.role === 'department') throw new UserError('抱歉，职责部门只能查看和办理分派给本部门的诉求。发送“待办”查看。');
      await replyCompoundList(ctx, words);
      return;
    }
    const r = resolveCompound(findCompoundCandidates(rest, compounds));
    if (r.kind === 'ambiguous') {
      const readable = r.candidates.map((c) => c.compound).filter((c) => canReadCommunity(ctx.actor, c.communityId));
      if (readable.length > 1) {
        await ctx.reply({ type: 'card', card: compoundChoiceCard({ typed: rest.slice(0, 20), kind: OPEN_KIND, choices: readable }) });
        return;
      }
      if (readable.length === 1) {
        await ctx.reply({ type: 'card', card: await buildCompoundCard(ctx, readable[0]!.id) });
        return;
      }
    }
    const c = await resolveNamedCompound(ctx, rest, { lenient: true });
    if (!canReadCommunity(ctx.actor, c.communityId)) throw new UserError(`抱歉，您只能查看${ctx.actor.communityName ?? '本社区'}的小区。`);
    await ctx.reply({ type: 'card', card: await buildCompoundCard(ctx, c.id) });
  },
});
