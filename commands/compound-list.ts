import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import type { BotContext } from '../src/bot/context.ts';
import { UserError } from '../src/errors.ts';
import { findCommunityByName, listCommunities } from '../src/domain/campaign.ts';
import { type CompoundView, isCovered } from '../src/domain/compounds.ts';
import { type CompoundListFilter, compoundListPage } from '../src/domain/compound-page.ts';
import { byCommunity, isIncomplete, summaryGaps } from '../src/domain/gaps.ts';
import { localDate } from '../src/calendar/dates.ts';
import { joinNames } from '../src/text/wording.ts';

/** A text reply stays readable on a phone: past this many compounds the list asks for a filter. */
export const LIST_LIMIT = 50;

type Filter = { label: string; sql: CompoundListFilter };

// Each filter is applied in SQL (src/domain/compound-page.ts): only the page shown is read.
const FILTERS: Record<string, Filter> = {
  未入驻: { label: '未入驻', sql: 'uncovered' },
  已入驻: { label: '已入驻', sql: 'covered' },
  信息不全: { label: '信息不全', sql: 'incomplete' },
  提升: { label: '提升任务', sql: 'upgrade' },
  全覆盖: { label: '全覆盖任务', sql: 'coverage' },
};
const FILTER_WORDS: Record<string, keyof typeof FILTERS> = {
  未入驻: '未入驻', 没入驻: '未入驻', 未覆盖: '未入驻', uncovered: '未入驻',
  已入驻: '已入驻', 已覆盖: '已入驻', covered: '已入驻',
  信息不全: '信息不全', 不全: '信息不全', 待补: '信息不全', 缺信息: '信息不全', 信息待补: '信息不全', incomplete: '信息不全',
  提升: '提升', 提升任务: '提升', 附件3: '提升', upgrade: '提升',
  全覆盖: '全覆盖', 全覆盖任务: '全覆盖', 附件4: '全覆盖', coverage: '全覆盖',
};

/** Whether a word is one of the list's filters (so `小区 未入驻` lists instead of looking for a compound). */
export function isListFilterWord(word: string): boolean {
  return word.normalize('NFKC').toLowerCase() in FILTER_WORDS;
}

function statusOf(c: CompoundView, today: string): string {
  const t = c.takeover;
  const parts: string[] = [];
  if (!t) parts.push(c.track === 'coverage' ? '未入驻' : '物业信息未录入');
  else {
    parts.push(t.company ?? (t.nature === '自主' ? '自主管理' : '外聘（企业未填）'));
    parts.push(c.track === 'coverage' && !isCovered(c, today) ? `${t.startDate}起入驻` : `${t.startDate}入驻`);
  }
  if (c.category !== null) parts.push(`${c.category}类`);
  if (c.actions) parts.push(`攻坚${Object.values(c.actions).filter((s) => s === '已完成').length}/4`);
  return parts.join('，');
}

/** The compounds in the asker's scope, filtered by the words given (未入驻, 信息不全, a community, …). */
export async function replyCompoundList(ctx: BotContext, words: string[]): Promise<void> {
  const communities = await listCommunities(ctx.db, ctx.campaign.id);
  const today = localDate(ctx.now, ctx.campaign.timezone);
  const filters: Filter[] = [];
  let communityId: number | undefined = ctx.actor.role === 'community' ? (ctx.actor.communityId ?? -1) : undefined;
  for (const w of words) {
    const key = FILTER_WORDS[w.normalize('NFKC').toLowerCase()];
    if (key) {
      filters.push(FILTERS[key]!);
      continue;
    }
    const community = findCommunityByName(communities, w);
    if (!community) {
      throw new UserError(`没有看懂“${w.slice(0, 12)}”。可以按以下条件筛选：未入驻、已入驻、信息不全、提升、全覆盖，或社区名称（${joinNames(communities.map((c) => c.name))}）。\n例如：小区列表 未入驻`);
    }
    if (ctx.actor.role === 'community' && community.id !== ctx.actor.communityId) {
      throw new UserError(`抱歉，您只能查看${ctx.actor.communityName}的小区。`);
    }
    communityId = community.id;
  }
  const page = await compoundListPage(ctx.db, ctx.campaign.id, { communityId, filters: filters.map((f) => f.sql), today, limit: LIST_LIMIT });
  const scope = communityId !== undefined ? (communities.find((c) => c.id === communityId)?.name ?? '') : ctx.campaign.street;
  const what = filters.length ? `${filters.map((f) => f.label).join('且')}的小区` : '小区';
  if (!page.total) {
    await ctx.reply({ type: 'text', text: `${scope}目前没有${what}。` });
    return;
  }
  const lines = [`${scope}${what}（${page.total}个）：`];
  for (const g of byCommunity(page.compounds)) {
    if (communityId === undefined) lines.push(`【${g.community}】${page.perCommunity.get(g.communityId) ?? g.compounds.length}个`);
    for (const c of g.compounds) {
      const gaps = isIncomplete(c) && c.takeover ? `｜待补：${summaryGaps(c).join('、')}` : '';
      lines.push(`· ${c.name}（${c.track === 'coverage' ? '全覆盖' : '提升'}）${statusOf(c, today)}${gaps}`);
    }
  }
  if (page.total > LIST_LIMIT) lines.push(`……另有 ${page.total - LIST_LIMIT} 个未列出，请加筛选条件，例如：小区列表 未入驻，或 小区列表 社区名。`);
  lines.push('发送“小区 名称”查看某个小区的详情并修改。');
  await ctx.reply({ type: 'text', text: lines.join('\n') });
}

export default defineCommand({
  name: '小区列表',
  aliases: ['compounds', '小区清单', '小区名单', '全部小区'],
  summary: '列出您范围内的小区，可按 未入驻、信息不全、社区 等筛选',
  usage: '小区列表 [未入驻|已入驻|信息不全|提升|全覆盖] [社区]',
  examples: ['小区列表', '小区列表 未入驻', '小区列表 信息不全 梅园社区'],
  access: ['admin', 'leader', 'street', 'community'],
  args: z.object({ words: z.array(z.string()) }),
  async handler(ctx, { words }) {
    await replyCompoundList(ctx, words);
  },
});
