import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import type { BotContext } from '../src/bot/context.ts';
import { UserError } from '../src/errors.ts';
import { maskPhones } from '../src/logger.ts';
import { actorMay, actorsLabel } from '../src/auth/campaign-actors.ts';
import { afterCoverageSettings } from '../src/campaign/after-coverage.ts';
import { addCompanyRecord, knownCompanies } from '../src/domain/companies.ts';
import { loadMatchableCompounds } from '../src/domain/compound-lookup.ts';
import { CONFIDENT_SCORE, findCompoundCandidates, resolveCompound } from '../src/understanding/compound-matcher.ts';
import type { KnownCompany } from '../src/understanding/company-matcher.ts';
import { foldText } from '../src/understanding/text-fold.ts';
import { resolveNamedCompany } from './after-coverage/company-resolve.ts';
import { settingsOf } from './after-coverage/common.ts';
import { originalTail } from './grievances/raw-text.ts';

/** A name written out in full as a company's (…物业, …物业公司, …有限公司, …服务中心). */
const FULL_COMPANY_NAME = /^[\u4e00-\u9fffA-Za-z0-9()（）]{2,40}(物业服务有限责任公司|物业管理有限责任公司|物业服务有限公司|物业管理有限公司|物业服务中心|物业管理中心|物业有限公司|物业公司|物业|有限公司)$/;

/** Splits "鑫安物业 内容…" (or "鑫安物业未按合同…", with a known company's name first) into company and content. */
async function splitCompany(ctx: BotContext, rest: string): Promise<{ company: KnownCompany | { name: string; known: false }; text: string }> {
  const [first, ...others] = rest.split(' ');
  if (others.length) {
    try {
      return { company: await resolveNamedCompany(ctx, first!), text: others.join(' ') };
    } catch (err) {
      // A company not yet serving any compound may still be recorded, when its full name is written.
      if (FULL_COMPANY_NAME.test(first!)) return { company: { name: first!, known: false }, text: others.join(' ') };
      throw err;
    }
  }
  const folded = foldText(rest);
  const known = await knownCompanies(ctx.db, ctx.campaign.id);
  const leading = known
    .flatMap((c) => c.variants.map((v) => ({ c, v: foldText(v) })))
    .filter((x) => folded.startsWith(x.v))
    .sort((a, b) => b.v.length - a.v.length)[0];
  if (!leading) throw new UserError('请在企业名称和记录内容之间空一格，例如：不良记录 鑫安物业 未按合同提供保安服务');
  // Cut the same number of characters from the original text as the folded name spans (names carry no punctuation).
  return { company: leading.c, text: rest.normalize('NFKC').slice([...leading.v].length).replace(/^[\s,，:：]+/, '') };
}

export default defineCommand({
  name: '不良记录',
  aliases: ['不良行为', '不良行为记录', 'record', 'bad record'],
  summary: '登记物业企业的不良行为，记入企业信用档案，并按月向专班、领导小组公示',
  usage: '不良记录 企业名称 记录内容',
  examples: ['不良记录 鑫安物业 福源公寓未按合同配备保安，经督促仍未整改', '不良记录 鑫安 收费未公示'],
  access: ['admin', 'street', 'department'],
  permits: (actor, campaign) => actorMay(actor, afterCoverageSettings(campaign.definition).companyRecords.writers),
  args: z
    .object({ rest: z.string() })
    .refine((i) => i.rest.length > 0, { message: '请写明企业名称和记录内容' }),
  async handler(ctx, { rest }) {
    const writers = settingsOf(ctx).companyRecords.writers;
    if (!actorMay(ctx.actor, writers)) throw new UserError(`抱歉，不良记录仅限${actorsLabel(writers)}登记。`);
    const { company, text: raw } = await splitCompany(ctx, rest);
    // Stored as written (the argument parser folds ，to ,).
    const text = originalTail(ctx.message.text, raw.trim());
    if ([...text].length < 4) throw new UserError('请写明不良行为的具体内容（至少4个字），例如：不良记录 鑫安物业 未按合同提供保安服务');
    if ([...text].length > 500) throw new UserError('记录内容请控制在500字以内。未作记录。');
    const compounds = await loadMatchableCompounds(ctx.db, ctx.campaign.id);
    const r = resolveCompound(findCompoundCandidates(text, compounds));
    const compound = r.kind === 'one' && r.candidate.score >= CONFIDENT_SCORE ? r.candidate.compound : null;
    const added = await addCompanyRecord(ctx, { campaignId: ctx.campaign.id, company: company.name, text, compoundId: compound?.id ?? null });
    const known = !('known' in company);
    const shown = ctx.chat.type === 'group' ? maskPhones(text) : text;
    const lines = [
      `已记入${company.name}的信用档案（记录编号 ${added.id}）：${shown}`,
      ...(compound ? [`涉及小区：${compound.name}`] : []),
      ...(known ? [] : [`注：${company.name}目前没有登记在服务的小区。`]),
      `本月新增记录将在下月初向${settingsOf(ctx).companyRecords.digest.to.join('、')}公示。如有误，请发送“撤销”。`,
    ];
    await ctx.reply({ type: 'text', text: lines.join('\n') });
  },
});
