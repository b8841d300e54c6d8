import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import type { BotContext } from '../src/bot/context.ts';
import { UserError } from '../src/errors.ts';
import { actorMay, actorsLabel } from '../src/auth/campaign-actors.ts';
import { formatChineseDate } from '../src/calendar/dates.ts';
import { findQuarter } from '../src/calendar/quarters.ts';
import { listAssessments, scoreText } from '../src/domain/assessments.ts';
import { listCompounds } from '../src/domain/compounds.ts';
import {
  type SubsidyState, type SubsidyStep, type SubsidyView, NEXT_STEP, STEP_FROM, STEP_TO, STEP_WORD, SUBSIDY_STATES, listSubsidies, moveSubsidy,
} from '../src/domain/subsidies.ts';
import { findDates } from '../src/understanding/date-extract.ts';
import { formatAmount, parseAmountWord } from '../src/understanding/amount-extract.ts';
import { subsidiesCard } from '../cards/subsidies.ts';
import { resolveNamedCompound } from './takeover-kit/resolve.ts';
import { asOfLabel, settingsOf, todayOf } from './after-coverage/common.ts';

const VERBS: Array<[RegExp, SubsidyStep]> = [
  [/^(?:申报|申请|提交申报|apply)$/i, 'apply'],
  [/^(?:审核|审核通过|核定|通过审核|review)$/i, 'review'],
  [/^(?:兑现|拨付|发放|已拨付|已发放|pay)$/i, 'pay'],
];
const STATE_WORDS = new Set<string>(SUBSIDY_STATES);

interface Parsed {
  step: SubsidyStep | null;
  state: SubsidyState | null;
  quarter: string | null;
  amountFen: number | null;
  date: string | null;
  compound: string;
  note: string | null;
}

function parse(ctx: BotContext, rest: string): Parsed {
  const today = todayOf(ctx);
  let text = rest.normalize('NFKC').replace(/\s+/g, ' ').trim();
  let note: string | null = null;
  const noteAt = /(?:^|\s)备注\s*[:：]?\s*/.exec(text);
  if (noteAt) {
    note = text.slice(noteAt.index + noteAt[0].length).trim().slice(0, 300) || null;
    text = text.slice(0, noteAt.index);
  }
  const q = findQuarter(text, today);
  if (q?.problem) throw new UserError(`${q.problem}。`);
  if (q) text = text.replace(q.raw, ' ');
  const out: Parsed = { step: null, state: null, quarter: q?.quarter ?? null, amountFen: null, date: null, compound: '', note };
  const left: string[] = [];
  for (const w of text.split(' ').filter(Boolean)) {
    const verb = VERBS.find(([re]) => re.test(w));
    const amount = parseAmountWord(w);
    const dates = findDates(w, today);
    if (verb && !out.step) out.step = verb[1];
    else if (STATE_WORDS.has(w) && !out.state) out.state = w as SubsidyState;
    else if (amount !== null && out.amountFen === null) out.amountFen = amount;
    else if (dates.length === 1 && dates[0]!.raw === w && !out.date) {
      if (!dates[0]!.date) throw new UserError(`日期“${w}”不存在，请核对。`);
      if (dates[0]!.date > today) throw new UserError(`日期“${w}”晚于今天，请核对。`);
      out.date = dates[0]!.date;
    } else left.push(w);
  }
  out.compound = left.join(' ');
  return out;
}

function detail(v: SubsidyView): string {
  const parts: string[] = [];
  if (v.assessment) parts.push(`考核${scoreText(v.assessment.total)}分`);
  if (v.appliedOn) parts.push(`${v.requestedFen !== null ? `申报${formatAmount(v.requestedFen)}` : '已申报'}（${formatChineseDate(v.appliedOn)}）`);
  if (v.reviewedOn) parts.push(`${v.approvedFen !== null ? `核定${formatAmount(v.approvedFen)}` : '已审核'}（${formatChineseDate(v.reviewedOn)}）`);
  if (v.paidOn && v.paidFen !== null) parts.push(`兑现${formatAmount(v.paidFen)}（${formatChineseDate(v.paidOn)}）`);
  if (v.note) parts.push(`备注：${v.note}`);
  return parts.join('，');
}

async function listThem(ctx: BotContext, p: Parsed): Promise<void> {
  const settings = settingsOf(ctx);
  const communityId = ctx.actor.role === 'community' ? ctx.actor.communityId ?? undefined : undefined;
  const all = await listSubsidies(ctx.db, ctx.campaign.id, settings, {
    ...(communityId !== undefined ? { communityId } : {}), ...(p.quarter ? { period: p.quarter } : {}),
  });
  const shown = p.state ? all.filter((v) => v.state === p.state) : all;
  const sum = (f: (v: SubsidyView) => number | null) => all.reduce((n, v) => n + (f(v) ?? 0), 0);
  const s = settings.subsidy!;
  const steps = (['apply', 'review', 'pay'] as const).map((st) => `${STEP_WORD[st]}：${actorsLabel(s.steps[st])}`).join('；');
  await ctx.reply({
    type: 'card',
    card: subsidiesCard({
      title: `奖补情况${p.state ? `：${p.state}` : ''}`,
      states: SUBSIDY_STATES.filter((st) => !p.state || st === p.state).map((state) => ({
        state,
        lines: shown.filter((v) => v.state === state).map((v) => ({
          compound: v.compound, community: v.community, periodLabel: v.periodLabel, detail: detail(v) || '—',
          warning: v.state !== '待申报' && v.state !== '已兑现' && v.assessment && !v.assessment.passed ? '考核已改为不合格' : null,
        })),
      })),
      totals: {
        approved: formatAmount(sum((v) => (v.state === '已审核' || v.state === '已兑现' ? v.approvedFen ?? v.requestedFen : null))),
        paid: formatAmount(sum((v) => (v.state === '已兑现' ? v.paidFen : null))),
      },
      stepsHelp: `办理：奖补 申报|审核|兑现 小区 [季度] [金额] [日期]。${steps}`,
      scopeLabel: communityId !== undefined ? ctx.actor.communityName ?? '' : `${ctx.campaign.district}${ctx.campaign.street}`,
      asOfLabel: asOfLabel(ctx),
    }),
  });
}

async function move(ctx: BotContext, p: Parsed, step: SubsidyStep): Promise<void> {
  const settings = settingsOf(ctx);
  const s = settings.subsidy!;
  if (!actorMay(ctx.actor, s.steps[step])) throw new UserError(`抱歉，奖补${STEP_WORD[step]}仅限${actorsLabel(s.steps[step])}办理，未作改动。`);
  const named = await resolveNamedCompound(ctx, p.compound);
  if (ctx.actor.role === 'community' && named.communityId !== ctx.actor.communityId) {
    throw new UserError(`抱歉，您绑定的是${ctx.actor.communityName}，不能办理${named.community}的奖补，未作改动。`);
  }
  const compound = (await listCompounds(ctx.db, ctx.campaign.id, { communityId: named.communityId })).find((c) => c.id === named.id)!;
  let period = p.quarter;
  if (!period) {
    const mine = await listSubsidies(ctx.db, ctx.campaign.id, settings, { compoundId: compound.id });
    const ready = mine.filter((v) => v.state === STEP_FROM[step]);
    if (ready.length === 1) period = ready[0]!.period;
    else if (ready.length > 1) throw new UserError(`${compound.name}有 ${ready.length} 个季度的奖补待${STEP_WORD[step]}：${ready.map((v) => v.periodLabel).join('、')}。请写明季度，例如：奖补 ${STEP_WORD[step]} ${compound.name} 四季度`);
    else if (mine.length) {
      const last = mine.at(-1)!;
      const next = NEXT_STEP[last.state];
      throw new UserError(`${compound.name}（${last.periodLabel}）的奖补目前为“${last.state}”，${next ? `下一步是“${STEP_WORD[next]}”` : '流程已结束'}，不能${STEP_WORD[step]}，未作改动。`);
    } else {
      // Nothing to move: let the step itself say why (not old, not assessed, or failed), for the latest period assessed.
      const [latest] = (await listAssessments(ctx.db, ctx.campaign.id, { kind: s.kind.code, compoundId: compound.id })).slice(-1);
      if (!latest) throw new UserError(`${compound.name}还没有考核合格的季度，考核合格后才能${STEP_WORD[step]}奖补，未作改动。`);
      period = latest.period;
    }
  }
  const onDate = p.date ?? todayOf(ctx);
  const r = await moveSubsidy(ctx, {
    campaignId: ctx.campaign.id, settings, compound, period, step, amountFen: p.amountFen, onDate, note: p.note,
  });
  const amount = step === 'apply' ? r.after.requestedFen : step === 'review' ? r.after.approvedFen : r.after.paidFen;
  const what = { apply: '申报金额', review: '核定金额', pay: '兑现金额' }[step];
  const label = (await listSubsidies(ctx.db, ctx.campaign.id, settings, { compoundId: compound.id, period })).at(0)?.periodLabel ?? period;
  await ctx.reply({
    type: 'text',
    text: `已将${compound.name}（${label}）的奖补改为“${STEP_TO[step]}”，${amount !== null ? `${what}${formatAmount(amount)}，` : ''}${STEP_WORD[step]}日期${formatChineseDate(onDate)}。如有误，请发送“撤销”。`,
  });
}

export default defineCommand({
  name: '奖补',
  aliases: ['subsidy', 'subsidies', '奖补资金', '以奖代补'],
  summary: '老旧小区考核合格后的奖补：查看（待申报、已申报、已审核、已兑现），办理申报、审核、兑现',
  usage: '奖补 [状态] [季度]　/　奖补 申报|审核|兑现 小区 [季度] [金额] [日期]',
  examples: ['奖补', '奖补 待申报', '奖补 申报 福源公寓 2万元', '奖补 审核 福源公寓', '奖补 兑现 福源公寓 20000元 12月18日'],
  access: 'bound',
  args: z.object({ rest: z.string() }),
  async handler(ctx, { rest }) {
    if (!settingsOf(ctx).subsidy) throw new UserError('本次活动没有设置奖补。');
    const p = parse(ctx, rest);
    const step = p.step ?? (p.compound && p.state ? (Object.entries(STEP_TO).find(([, st]) => st === p.state)?.[0] as SubsidyStep | undefined) ?? null : null);
    if (step) {
      if (!p.compound) throw new UserError(`请写明要${STEP_WORD[step]}奖补的小区，例如：奖补 ${STEP_WORD[step]} 福源公寓`);
      await move(ctx, p, step);
      return;
    }
    if (p.compound) {
      const c = await resolveNamedCompound(ctx, p.compound, { lenient: true });
      if (ctx.actor.role === 'community' && c.communityId !== ctx.actor.communityId) throw new UserError(`抱歉，您只能查看${ctx.actor.communityName}的奖补。`);
      const mine = await listSubsidies(ctx.db, ctx.campaign.id, settingsOf(ctx), { compoundId: c.id, ...(p.quarter ? { period: p.quarter } : {}) });
      const lines = mine.map((v) => `- ${v.periodLabel}：${v.state}${detail(v) ? `，${detail(v)}` : ''}`);
      await ctx.reply({ type: 'text', text: lines.length ? `${c.name}的奖补：\n${lines.join('\n')}` : `${c.name}暂无奖补：老旧小区季度考核合格后即可申报。` });
      return;
    }
    await listThem(ctx, p);
  },
});
