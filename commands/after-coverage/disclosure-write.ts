/** Writing 公示 and 业委会 states from a command or from free text, and describing them back. */
import type { BotContext } from '../../src/bot/context.ts';
import { UserError } from '../../src/errors.ts';
import { canReadCommunity, canWriteCommunity, writeRefusal } from '../../src/auth/scope.ts';
import { formatChineseDate } from '../../src/calendar/dates.ts';
import {
  type CommitteeState, type DisclosureState, committeeOf, disclosuresOf, setCommittee, setDisclosure,
} from '../../src/domain/disclosure.ts';
import type { MatchableCompound } from '../../src/understanding/compound-matcher.ts';
import { findDates } from '../../src/understanding/date-extract.ts';
import { settingsOf, todayOf } from './common.ts';

const day = (d: string | null) => (d ? `（${formatChineseDate(d)}）` : '');

export function requireWrite(ctx: BotContext, c: MatchableCompound): void {
  if (!canWriteCommunity(ctx.actor, c.communityId)) throw new UserError(`${writeRefusal(ctx.actor, c.community)}未作改动。`);
}

export function requireRead(ctx: BotContext, c: MatchableCompound): void {
  if (!canReadCommunity(ctx.actor, c.communityId) && ctx.actor.role !== 'department') {
    throw new UserError(`抱歉，您只能查看${ctx.actor.communityName ?? '本社区'}的小区。`);
  }
}

/** The one date a text gives (not in the future), or null; refuses several dates or an impossible one. */
export function singleDate(ctx: BotContext, text: string): string | null {
  const today = todayOf(ctx);
  const found = findDates(text, today);
  if (found.length > 1) throw new UserError(`写了 ${found.length} 个日期（${found.map((f) => f.raw).join('、')}），请只写一个。未作改动。`);
  const d = found[0];
  if (!d) return null;
  if (!d.date) throw new UserError(`日期“${d.raw}”不存在，请核对。未作改动。`);
  if (d.date > today) throw new UserError(`日期“${d.raw}”晚于今天，请核对。未作改动。`);
  return d.date;
}

export async function describeDisclosure(ctx: BotContext, c: MatchableCompound): Promise<string> {
  const items = settingsOf(ctx).disclosure.items;
  const now = await disclosuresOf(ctx.db, c.id);
  const lines = items.map((it) => {
    const d = now.get(it.name);
    return `- ${it.name}：${d ? `${d.state}${day(d.onDate)}` : '未登记'}`;
  });
  const done = items.filter((it) => now.get(it.name)?.state === '已公示').length;
  return `${c.name}公示情况（${done}/${items.length} 项已公示）：\n${lines.join('\n')}`;
}

export async function describeCommittee(ctx: BotContext, c: MatchableCompound): Promise<string> {
  const now = await committeeOf(ctx.db, c.id);
  return `${c.name}业委会：${now ? `${now.state}${day(now.onDate)}` : '未登记（按未成立计）'}`;
}

/** Sets the named items; replies what changed. */
export async function writeDisclosure(ctx: BotContext, c: MatchableCompound, items: string[], state: DisclosureState, onDate: string | null): Promise<void> {
  requireWrite(ctx, c);
  const changed: string[] = [];
  for (const item of items) if ((await setDisclosure(ctx, c.id, item, { state, onDate })).changed) changed.push(item);
  if (!changed.length) {
    await ctx.reply({ type: 'text', text: `${c.name}的${items.join('、')}已经是“${state}”，无需修改。` });
    return;
  }
  const all = settingsOf(ctx).disclosure.items.length;
  const done = [...(await disclosuresOf(ctx.db, c.id)).values()].filter((d) => d.state === '已公示').length;
  await ctx.reply({
    type: 'text',
    text: `已记录${c.name}：${changed.join('、')}${state}${day(onDate)}。目前 ${done}/${all} 项已公示。如有误，请发送“撤销”。`,
  });
}

export async function writeCommittee(ctx: BotContext, c: MatchableCompound, state: CommitteeState, onDate: string | null): Promise<void> {
  requireWrite(ctx, c);
  const r = await setCommittee(ctx, c.id, { state, onDate });
  if (!r.changed) {
    await ctx.reply({ type: 'text', text: `${c.name}的业委会已经是“${state}”${day(onDate)}，无需修改。` });
    return;
  }
  const from = r.before ? `（原为“${r.before.state}”）` : '';
  await ctx.reply({ type: 'text', text: `已记录${c.name}业委会：${state}${day(onDate)}${from}。如有误，请发送“撤销”。` });
}
