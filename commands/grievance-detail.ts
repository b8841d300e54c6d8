import { z } from 'zod';
import { defineCommand, defineInterpreter } from '../src/bot/command.ts';
import type { BotContext } from '../src/bot/context.ts';
import { UserError } from '../src/errors.ts';
import { formatChineseDate, localParts } from '../src/calendar/dates.ts';
import { parseGrievanceCode } from '../src/domain/grievance-codes.ts';
import { canHandle, isOverdue } from '../src/domain/grievances.ts';
import { grievanceHistory, type GrievanceHistoryEntry } from '../src/domain/grievance-history.ts';
import { grievanceFromTypedId } from './grievances/lookup.ts';
import { dueLabel, forChat } from './grievances/present.ts';
import { grievanceCommand } from './grievance.ts';

const STEP: Record<string, string> = { create: '登记', accept: '受理', transfer: '转办', resolve: '办结', withdraw: '撤回' };

function when(iso: string, tz: string): string {
  const p = localParts(new Date(iso), tz);
  return `${formatChineseDate(p.date)} ${p.time}`;
}

function step(e: GrievanceHistoryEntry, tz: string): string {
  const who = e.actorName ?? '';
  const what = STEP[e.action] ?? e.action;
  const to = e.action === 'transfer' && e.department ? `至${e.department}` : e.action === 'create' && e.department ? `，分派${e.department}` : '';
  const note = e.note && e.action !== 'create' ? `：${e.note}` : '';
  return `· ${when(e.at, tz)} ${who}${who ? ' ' : ''}${what}${to}${note}（${e.toStatus}）`;
}

/** One grievance with its time limits and every step so far; visible to those who may handle it, and leaders. */
export async function replyGrievanceDetail(ctx: BotContext, typed: string): Promise<void> {
  const g = await grievanceFromTypedId(ctx, typed);
  if (!(canHandle(ctx.actor, g) || ctx.actor.role === 'leader')) {
    throw new UserError(ctx.actor.role === 'community'
      ? `抱歉，诉求 ${g.code} 属于${g.community}，您绑定的是${ctx.actor.communityName}，不能查看。`
      : `抱歉，诉求 ${g.code} 不在您的范围内。`);
  }
  const tz = ctx.campaign.timezone;
  const limits = g.status === '已办结' || g.status === '已撤回'
    ? []
    : [`受理时限：${dueLabel(g.acceptDueAt, tz)}；办结时限：${dueLabel(g.resolveDueAt, tz)}${isOverdue(g, ctx.now) ? '（已超期）' : ''}`];
  const lines = [
    `【诉求 ${g.code}】${g.compound}（${g.community}）`,
    `内容：${g.text}`,
    `承办单位：${g.department ?? '—'}｜状态：${g.status}`,
    ...limits,
    ...(g.result ? [`办理结果：${g.result}`] : []),
    '办理经过：',
    ...(await grievanceHistory(ctx.db, g.id)).map((e) => step(e, tz)),
  ];
  if (g.status !== '已办结' && g.status !== '已撤回') lines.push(`办理：受理 ${g.code}｜转办 ${g.code} 部门 理由｜办结 ${g.code} 结果`);
  await ctx.reply({ type: 'text', text: forChat(ctx, lines.join('\n')) });
}

/**
 * `诉求 T0004` shows a grievance; `诉求 小区 内容` records one, as `投诉` does (the contract's alias), for those who
 * may record. Leaders and departments may look grievances up, so this word is open to every bound user.
 */
export const grievanceDetail = defineCommand({
  name: '诉求',
  aliases: ['诉求详情', '查诉求', '查看诉求', 'ticket'],
  summary: '查看一件诉求的内容、时限和办理经过（也可以直接发送编号，如 T0004）；“诉求 小区 内容”同“投诉”，登记诉求',
  readOnlySummary: '查看一件诉求的内容、时限和办理经过（也可以直接发送编号，如 T0004）',
  usage: '诉求 诉求编号',
  examples: ['诉求 T0004', 'T0004', '诉求 欧亚城 地下室老鼠很多'],
  access: 'bound',
  args: z
    .object({ words: z.array(z.string()), rest: z.string() })
    .refine((i) => i.words.length > 0, { message: '请写明诉求编号（如 T0004），或小区和诉求内容' }),
  async handler(ctx, { words, rest }) {
    if (words.length === 1 && parseGrievanceCode(words[0]!)) {
      await replyGrievanceDetail(ctx, words[0]!);
      return;
    }
    if (rest.split(' ').length < 2 && rest.length < 6) {
      throw new UserError(`请写明诉求编号（如 T0004），或小区和诉求内容。\n用法：${grievanceCommand.usage}\n例如：${grievanceCommand.examples[0]}`);
    }
    await grievanceCommand.handler(ctx, { text: rest });
  },
});

/** A message that is nothing but a grievance id (`T0004`, `t4`) asks for that grievance. */
export function isBareGrievanceCode(text: string): boolean {
  const t = text.normalize('NFKC').trim();
  return /^[Tt]\s*[0-9Oo]{1,7}$/.test(t) && parseGrievanceCode(t) !== null;
}

export const grievanceCodeInterpreter = defineInterpreter({
  name: 'grievance-code',
  match: isBareGrievanceCode,
  async handler(ctx, text) {
    await replyGrievanceDetail(ctx, text);
  },
});
