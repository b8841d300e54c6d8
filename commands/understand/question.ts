/** 福源公寓入驻了吗？ 还有哪些小区没入驻？ — answered from the data; nothing is written. */
import { defineInterpreter } from '../../src/bot/command.ts';
import { ASKS_ABOUT_GRIEVANCES, readIntent } from '../../src/understanding/intent.ts';
import { listCompounds } from '../../src/domain/compounds.ts';
import { listCommunities } from '../../src/domain/campaign.ts';
import progress from '../progress.ts';
import missing from '../missing.ts';
import todo from '../todo.ts';
import { canSee, compoundAnswer, namedCompound } from './answers.ts';

const ASKS_FOR_MISSING = /(?:哪些|哪几个|几个|多少|还有|有没有).*(?:没|未|尚未|还没)(?:有)?(?:入驻|进驻|落实|物业|报)|(?:没|未)(?:入驻|落实)的(?:小区)?(?:有)?(?:哪些|几个|多少)/;

/** 哪些社区还没报 / 谁还没报送: the period's report, not takeovers. */
const ASKS_FOR_UNREPORTED = /(?:哪些|哪个|哪几个|几个|谁|还有|有没有).{0,6}(?:没|未|还没|尚未)(?:有)?(?:报送|报|确认|交)(?!.{0,4}(?:入驻|物业))/;
/** 现在进度咋样了 / 整体进展如何: the progress the person may see. */
const ASKS_OVERALL = /^[\s,，]*(?:请问)?(?:现在|目前|当前|眼下|整体|总体|总的|全部|咱们|我们|大家|全区|全街道|这边)*(?:的)?(?:工作)?(?:全覆盖)?(?:的)?(?:进度|进展|情况)(?:怎么样了?|咋样了?|如何|怎样了?|到哪了|到哪一步了|到什么程度了)?[\s?？。!！]*$/;
/** 梅园社区怎么样了 / 紫薇社区进展如何: a community's progress. */
const ASKS_HOW = /^[\s,，]*(?:请问)?[\s,，]*(.{2,12}?)(?:的|那边|这边)?(?:整体)?(?:怎么样了?|咋样了?|如何|进展如何|进展怎么样|进度怎么样|进度如何|进展|进度|情况怎么样|什么情况|情况如何)[\s?？。!！]*$/;

export default defineInterpreter({
  name: 'question',
  match: (text) => readIntent(text).kind === 'question',
  async handler(ctx, text) {
    const folded = text.normalize('NFKC');
    if (ASKS_FOR_UNREPORTED.test(folded) && !/入驻|物业/.test(folded)) {
      await missing.handler(ctx, {});
      return;
    }
    if (ASKS_ABOUT_GRIEVANCES.test(folded)) {
      await todo.handler(ctx, { filter: null });
      return;
    }
    if (ASKS_OVERALL.test(folded)) {
      await progress.handler(ctx, { community: null });
      return;
    }
    const how = ASKS_HOW.exec(folded);
    if (how) {
      const communities = await listCommunities(ctx.db, ctx.campaign.id);
      const asked = communities.find((c) => c.name === how[1] || c.aliases.includes(how[1]!));
      if (asked) {
        await progress.handler(ctx, { community: asked.name });
        return;
      }
    }
    if (ASKS_FOR_MISSING.test(folded)) {
      const mine = ctx.actor.role === 'community' ? { communityId: ctx.actor.communityId ?? -1 } : {};
      const all = await listCompounds(ctx.db, ctx.campaign.id, mine);
      const open = all.filter((c) => c.track === 'coverage' && !c.takeover);
      const scope = ctx.actor.role === 'community' ? ctx.actor.communityName ?? '本社区' : '全部';
      await ctx.reply({
        type: 'text',
        text: open.length
          ? `${scope}尚未登记入驻的小区（${open.length}个）：${open.map((c) => c.name).join('；')}。\n入驻后可直接发送入驻信息，例如：福源公寓已入驻，鑫安物业，外聘，9月20日进驻。`
          : `${scope}的全覆盖小区都已登记入驻。`,
      });
      return;
    }
    const { compound, maybe } = await namedCompound(ctx, text);
    if (compound) {
      if (!canSee(ctx, compound)) {
        await ctx.reply({ type: 'text', text: `抱歉，${compound.name}属于${compound.community}，您只能查看${ctx.actor.communityName ?? '本社区'}的小区。` });
        return;
      }
      await ctx.reply({ type: 'text', text: compoundAnswer(ctx, compound) });
      return;
    }
    const hint = maybe.length ? `您问的可能是：${maybe.join('、')}。请写明小区全称，` : '请写明小区名称，';
    await ctx.reply({ type: 'text', text: `${hint}例如“福源公寓入驻了吗”，或发送“小区 福源公寓”查看详情、“进度”查看整体进展。` });
  },
});
