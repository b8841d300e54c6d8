/** Finds the one compound a command names, or explains (candidates, or the compounds in scope). */
import type { BotContext } from '../../src/bot/context.ts';
import { UserError } from '../../src/errors.ts';
import { CONFIDENT_SCORE, type MatchableCompound, findCompoundCandidates, resolveCompound } from '../../src/understanding/compound-matcher.ts';
import { loadMatchableCompounds } from '../../src/domain/compound-lookup.ts';
import { compoundPickCard } from '../../cards/compound-pick.ts';

export const PICK_KIND = 'compound.pick';

/** What to do once the person has chosen the compound: the command's own arguments, without the name. */
export type Retry =
  | { command: 'category'; category: 1 | 2 | 3 }
  | { command: 'action'; action: string; state: '未开始' | '进行中' | '已完成'; note: string | null };

function notFound(ctx: BotContext, compounds: MatchableCompound[], shown: string): UserError {
  const own = ctx.actor.role === 'community' ? compounds.filter((c) => c.communityId === ctx.actor.communityId) : [];
  const hint = own.length ? `${ctx.actor.communityName}的小区有：${own.map((c) => c.name).join('、')}。` : '';
  return new UserError(`没有找到小区“${shown}”。${hint}`);
}

export async function resolveNamedCompound(ctx: BotContext, name: string, opts: { lenient?: boolean } = {}): Promise<MatchableCompound> {
  const compounds = await loadMatchableCompounds(ctx.db, ctx.campaign.id);
  const r = resolveCompound(findCompoundCandidates(name, compounds));
  const shown = name.slice(0, 20);
  // A near match (福缘公寓 → 福源公寓) is good enough to show a card, never to change data without asking.
  if (r.kind === 'one' && (opts.lenient || (r.candidate.score >= CONFIDENT_SCORE && !r.candidate.fuzzy))) return r.candidate.compound;
  if (r.kind === 'one') throw new UserError(`没有找到“${shown}”，您是不是指“${r.candidate.compound.name}”？请写小区全称后重新发送。`);
  if (r.kind === 'ambiguous') {
    throw new UserError(`“${shown}”可能是：${r.candidates.map((c) => c.compound.name).join('、')}。请写明是哪一个小区。`);
  }
  throw notFound(ctx, compounds, shown);
}

/**
 * The compound a command names for sure; otherwise replies with a card of the close names (您是不是指福源公寓)
 * whose buttons finish the command for the one chosen, and returns null. Nothing is written until then.
 */
export async function compoundOrAsk(ctx: BotContext, name: string, retry: Retry): Promise<MatchableCompound | null> {
  const compounds = await loadMatchableCompounds(ctx.db, ctx.campaign.id);
  const r = resolveCompound(findCompoundCandidates(name, compounds));
  if (r.kind === 'one' && r.candidate.score >= CONFIDENT_SCORE && !r.candidate.fuzzy) return r.candidate.compound;
  if (r.kind === 'none') throw notFound(ctx, compounds, name.slice(0, 20));
  const close = (r.kind === 'one' ? [r.candidate] : r.candidates).slice(0, 6).map((c) => c.compound);
  const token = await ctx.issueCardToken(PICK_KIND, { retry, choices: close.map((c) => c.id) });
  await ctx.reply({
    type: 'card',
    card: compoundPickCard(name.slice(0, 20), close.map((c) => ({ label: c.name, value: { a: PICK_KIND, t: token, c: c.id } }))),
  });
  return null;
}
