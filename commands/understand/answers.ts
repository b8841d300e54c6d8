/** What the bot says about one compound when asked (入驻了吗？): from the data, never writing anything. */
import type { BotContext } from '../../src/bot/context.ts';
import { canReadCommunity } from '../../src/auth/scope.ts';
import { listCompounds, type CompoundView } from '../../src/domain/compounds.ts';
import { loadMatchableCompounds } from '../../src/domain/compound-lookup.ts';
import { findCompoundMentions, isSureMention } from '../../src/understanding/compound-matcher.ts';
import { prepareText } from '../../src/understanding/text-fold.ts';
import { maskPhones } from '../../src/logger.ts';
import { CATEGORY_LABELS } from '../../cards/takeover-lines.ts';

/** The compound a message names for sure, or the names it might mean. */
export async function namedCompound(ctx: BotContext, text: string): Promise<{ compound: CompoundView | null; maybe: string[] }> {
  const compounds = await loadMatchableCompounds(ctx.db, ctx.campaign.id);
  const mentions = findCompoundMentions(prepareText(text), compounds);
  const sure = [...new Set(mentions.filter(isSureMention).map((m) => m.candidates[0]!.compound.id))];
  if (sure.length === 1) {
    const all = await listCompounds(ctx.db, ctx.campaign.id);
    return { compound: all.find((c) => c.id === sure[0]) ?? null, maybe: [] };
  }
  const maybe = [...new Set(mentions.flatMap((m) => m.candidates.slice(0, 3).map((c) => c.compound.name)))];
  return { compound: null, maybe };
}

export function takeoverSummary(ctx: BotContext, c: CompoundView): string {
  const t = c.takeover;
  if (!t) return `${c.name}（${c.community}）尚未登记入驻信息。`;
  const phone = t.phone ? (ctx.chat.type === 'group' ? maskPhones(t.phone) : t.phone) : null;
  const who = [t.manager ? `负责人${t.manager}` : null, phone].filter(Boolean).join(' ');
  const company = t.company ? `${t.company}（${t.nature}）` : `${t.nature}${t.remarks ? `，${t.remarks}` : ''}`;
  return `${c.name}（${c.community}）已登记入驻：${company}，${t.startDate} 入驻${who ? `；${who}` : ''}${t.services.length ? `；服务内容：${t.services.join('、')}` : ''}。`;
}

/** Everything the bot can say about a compound in two or three lines. */
export function compoundAnswer(ctx: BotContext, c: CompoundView): string {
  const lines = [takeoverSummary(ctx, c), `类别：${c.category ? CATEGORY_LABELS[c.category] : '未设置'}。`];
  if (c.track === 'upgrade') {
    const a = c.actions ?? {};
    lines.push(`攻坚行动：${Object.entries(a).map(([k, v]) => `${k}${v}`).join('、') || '均未开始'}。`);
  }
  lines.push(`查看详情或修改，请发送“小区 ${c.name}”。`);
  return lines.join('\n');
}

export function canSee(ctx: BotContext, c: CompoundView): boolean {
  return canReadCommunity(ctx.actor, c.communityId);
}
