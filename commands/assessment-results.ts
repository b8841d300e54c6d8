import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { maxTotal } from '../src/campaign/after-coverage.ts';
import { findQuarter, quarterOf } from '../src/calendar/quarters.ts';
import { findCommunityByName, listCommunities } from '../src/domain/campaign.ts';
import { currentPeriod, inSubjectSet, listAssessments, listSubjectCompounds, periodLabel, scoreText } from '../src/domain/assessments.ts';
import { groupByCommunity } from '../src/domain/assessment-outstanding.ts';
import { assessmentResultsCard, type ResultLine } from '../cards/assessment-results.ts';
import { asOfLabel, namesStreet, settingsOf, todayOf } from './after-coverage/common.ts';

export default defineCommand({
  name: '考核结果',
  aliases: ['assessments', 'assessment results', '考核情况', '考核进度'],
  summary: '查看考核结果：各小区得分、是否合格、还有哪些未考核（社区工作人员只看本社区）',
  usage: '考核结果 [季度] [社区|街道]',
  examples: ['考核结果', '考核结果 四季度', '考核结果 梅园社区', '考核结果 街道'],
  access: 'bound',
  args: z.object({ rest: z.string() }),
  async handler(ctx, { rest }) {
    const settings = settingsOf(ctx);
    const today = todayOf(ctx);
    let text = rest.normalize('NFKC').trim();
    const q = findQuarter(text, today);
    if (q?.problem) throw new UserError(`${q.problem}。`);
    if (q) text = text.replace(q.raw, ' ').trim();
    let kind = settings.assessment.kinds.find((k) => text.includes(k.name));
    if (kind) text = text.replace(kind.name, ' ').trim();
    if (!kind && text && namesStreet(text, ctx.campaign.street)) {
      kind = settings.assessment.kinds.find((k) => k.subject === 'street');
      if (!kind) throw new UserError('本次活动没有对街道的考核。');
      text = '';
    }
    kind ??= settings.assessment.kinds.find((k) => k.subject === 'compound') ?? settings.assessment.kinds[0]!;

    const communities = await listCommunities(ctx.db, ctx.campaign.id);
    let communityId: number | undefined;
    if (text) {
      const c = findCommunityByName(communities, text);
      if (!c) throw new UserError(`没有找到社区“${text.slice(0, 20)}”。本街道的社区有：${communities.map((x) => x.name).join('、')}。`);
      communityId = c.id;
    }
    if (ctx.actor.role === 'community') {
      if (communityId !== undefined && communityId !== ctx.actor.communityId) throw new UserError(`抱歉，您只能查看${ctx.actor.communityName}的考核结果。`);
      communityId = ctx.actor.communityId ?? undefined;
    }
    const period = kind.period === 'quarter' ? q?.quarter ?? quarterOf(today) : currentPeriod(kind, today);
    const scope = communityId !== undefined ? { communityId } : {};
    const sheets = await listAssessments(ctx.db, ctx.campaign.id, { kind: kind.code, period, ...scope });
    const others: string[] = [];
    let groups: { community: string; lines: ResultLine[] }[] = [];
    let counts = { subjects: 0, assessed: sheets.length, passed: sheets.filter((s) => s.passed).length };
    if (kind.subject === 'street') {
      const s = sheets.find((x) => x.compoundId === null);
      counts = { subjects: 1, assessed: s ? 1 : 0, passed: s?.passed ? 1 : 0 };
      groups = [{ community: ctx.campaign.district, lines: [{ name: ctx.campaign.street, total: s?.total ?? null, passed: s?.passed ?? null, company: null }] }];
    } else {
      const byId = new Map(sheets.map((s) => [s.compoundId, s]));
      // A compound assessed this period stays listed even if it has since left the set (a takeover undone).
      const ordered = (await listSubjectCompounds(ctx.db, ctx.campaign.id, scope)).filter((c) => inSubjectSet(settings, kind, c, today) || byId.has(c.id));
      groups = groupByCommunity(ordered).map((g) => ({
        community: g.community,
        lines: g.items.map((c) => {
          const s = byId.get(c.id);
          return { name: c.name, total: s?.total ?? null, passed: s?.passed ?? null, company: s?.company ?? null };
        }),
      }));
      counts.subjects = ordered.length;
      if (communityId === undefined) {
        for (const k of settings.assessment.kinds.filter((x) => x.subject === 'street')) {
          const p = currentPeriod(k, today);
          const s = (await listAssessments(ctx.db, ctx.campaign.id, { kind: k.code, period: p, subject: 'street' }))[0];
          others.push(`${periodLabel(k, p)}（${ctx.campaign.street}）：${s ? `${scoreText(s.total)}分，${s.passed ? '合格' : '不合格'}` : '未考核'}`);
        }
      }
    }
    const scopeName = communityId !== undefined ? communities.find((c) => c.id === communityId)!.name : ctx.campaign.street;
    await ctx.reply({
      type: 'card',
      card: assessmentResultsCard({
        title: `${periodLabel(kind, period)}结果：${scopeName}`,
        scopeLabel: communityId !== undefined ? scopeName : `${ctx.campaign.district}${ctx.campaign.street}`,
        passMark: kind.passMark, maxTotal: maxTotal(kind), provisional: settings.assessment.provisional,
        counts, groups, others, asOfLabel: asOfLabel(ctx),
      }),
    });
  },
});
