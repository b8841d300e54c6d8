/** Finds the one compound a command names, or explains (candidates, or the compounds in scope). */
import type { BotContext } from '../../src/bot/context.ts';
import { UserError } from '../../src/errors.ts';
import { CONFIDENT_SCORE, type MatchableCompound, findCompoundCandidates, resolveCompound } from '../../src/understanding/compound-matcher.ts';
import { loadMatchableCompounds } from '../../src/domain/compound-lookup.ts';

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
  const own = ctx.actor.role === 'community' ? compounds.filter((c) => c.communityId === ctx.actor.communityId) : [];
  const hint = own.length ? `${ctx.actor.communityName}的小区有：${own.map((c) => c.name).join('、')}。` : '';
  throw new UserError(`没有找到小区“${shown}”。${hint}`);
}
