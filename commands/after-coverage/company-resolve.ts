/** Finds the one company a command names, or explains (close candidates, or the known companies). */
import type { BotContext } from '../../src/bot/context.ts';
import { UserError } from '../../src/errors.ts';
import { knownCompanies } from '../../src/domain/companies.ts';
import { CONFIDENT_COMPANY, type KnownCompany, findCompanies, resolveCompany } from '../../src/understanding/company-matcher.ts';

export async function resolveNamedCompany(ctx: BotContext, query: string): Promise<KnownCompany> {
  const known = await knownCompanies(ctx.db, ctx.campaign.id);
  const r = resolveCompany(findCompanies(query, known));
  const shown = query.slice(0, 20);
  if (r.kind === 'one' && r.candidate.score >= CONFIDENT_COMPANY) return r.candidate.company;
  if (r.kind === 'one') throw new UserError(`没有找到“${shown}”，您是指“${r.candidate.company.name}”吗？请写企业全称。`);
  if (r.kind === 'ambiguous') throw new UserError(`“${shown}”可能是：${r.candidates.map((c) => c.company.name).join('、')}。请写明是哪一家。`);
  const list = known.slice(0, 10).map((c) => c.name).join('、');
  throw new UserError(`没有找到物业企业“${shown}”。${known.length ? `已登记的物业企业有：${list}${known.length > 10 ? ' 等' : ''}。` : '目前还没有登记入驻的物业企业。'}`);
}
