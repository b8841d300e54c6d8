/**
 * Understands 公示 and 业委会 reports written without a command word (福源公寓业委会已成立, 福源公寓收费标准已公示).
 * Strict: it claims only a text that states exactly one such thing, and writes only when the compound is certain.
 */
import { defineInterpreter } from '../../src/bot/command.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { UserError } from '../../src/errors.ts';
import { afterCoverageSettings } from '../../src/campaign/after-coverage.ts';
import { loadMatchableCompounds } from '../../src/domain/compound-lookup.ts';
import { CONFIDENT_SCORE, findCompoundCandidates, resolveCompound } from '../../src/understanding/compound-matcher.ts';
import { readCommitteeText, readDisclosureState, readDisclosureText } from '../../src/understanding/after-coverage-text.ts';
import { singleDate, writeCommittee, writeDisclosure } from './disclosure-write.ts';

async function theCompound(ctx: BotContext, text: string, example: string) {
  const compounds = await loadMatchableCompounds(ctx.db, ctx.campaign.id);
  const r = resolveCompound(findCompoundCandidates(text, compounds));
  if (r.kind === 'one' && r.candidate.score >= CONFIDENT_SCORE) return r.candidate.compound;
  const which = r.kind === 'ambiguous' ? `可能是：${r.candidates.map((c) => c.compound.name).join('、')}` : r.kind === 'one' ? `可能是“${r.candidate.compound.name}”` : '没有找到小区名称';
  throw new UserError(`消息中的小区${which}，未作记录。请写明小区全称，例如：${example}`);
}

export default defineInterpreter({
  name: 'disclosure-committee',
  // The items are the campaign's own, so they are read in the handler; a text naming none gets asked, not written.
  match: (text) => readCommitteeText(text) !== null || readDisclosureState(text) !== null,
  async handler(ctx, text) {
    const committee = readCommitteeText(text);
    if (committee) {
      const c = await theCompound(ctx, text, `业委会 福源公寓 ${committee}`);
      await writeCommittee(ctx, c, committee, singleDate(ctx, text));
      return;
    }
    const items = afterCoverageSettings(ctx.campaign.definition).disclosure.items;
    const d = readDisclosureText(text, items);
    if (!d) {
      throw new UserError(`没有看懂要登记的公示项目。请写明项目（${items.map((i) => i.name).join('、')}），例如：公示 福源公寓 收费 已公示`);
    }
    const c = await theCompound(ctx, text, `公示 福源公寓 ${d.items[0]} ${d.state}`);
    await writeDisclosure(ctx, c, d.items, d.state, singleDate(ctx, text));
  },
});
