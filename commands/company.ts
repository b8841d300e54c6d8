import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { formatChineseDate, localDate } from '../src/calendar/dates.ts';
import { creditFiles, knownCompanies } from '../src/domain/companies.ts';
import { companyCard, companyListCard } from '../cards/company.ts';
import { resolveNamedCompany } from './after-coverage/company-resolve.ts';
import { asOfLabel, settingsOf } from './after-coverage/common.ts';

export default defineCommand({
  name: '公司',
  aliases: ['company', '企业', '物业企业', '信用档案'],
  summary: '查看物业企业信用档案：服务小区、群众诉求、考核结果、不良行为记录',
  usage: '公司 [企业名称]',
  examples: ['公司 鑫安', '公司 鑫安物业', '公司'],
  access: 'bound',
  args: z.object({ rest: z.string() }),
  async handler(ctx, { rest }) {
    const tz = ctx.campaign.timezone;
    if (!rest.trim()) {
      const files = await creditFiles(ctx.db, ctx.campaign.id, settingsOf(ctx), ctx.now, tz, await knownCompanies(ctx.db, ctx.campaign.id));
      await ctx.reply({
        type: 'card',
        card: companyListCard({ companies: files.map((f) => ({ name: f.name, compounds: f.compounds.length, records: f.records.length })), asOfLabel: asOfLabel(ctx) }),
      });
      return;
    }
    const company = await resolveNamedCompany(ctx, rest.trim());
    const [file] = await creditFiles(ctx.db, ctx.campaign.id, settingsOf(ctx), ctx.now, tz, [company]);
    await ctx.reply({
      type: 'card',
      card: companyCard({
        name: file!.name, variants: file!.variants, compounds: file!.compounds, grievances: file!.grievances,
        assessments: file!.assessments,
        records: file!.records.map((r) => ({ when: formatChineseDate(localDate(new Date(r.recordedAt), tz)), text: r.text, compound: r.compound, by: r.recordedByName ?? '管理员' })),
        maskPhone: ctx.chat.type === 'group',
        asOfLabel: asOfLabel(ctx),
      }),
    });
  },
});
