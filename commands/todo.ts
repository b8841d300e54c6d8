import { z } from 'zod';
import { defineCardAction, defineCommand } from '../src/bot/command.ts';
import type { BotContext, CardContext } from '../src/bot/context.ts';
import { UserError } from '../src/errors.ts';
import { listCompounds } from '../src/domain/compounds.ts';
import { isIncomplete, summaryGaps } from '../src/domain/gaps.ts';
import { type GrievanceView, GRIEVANCE_STATUSES, isOverdue, listGrievancePage } from '../src/domain/grievances.ts';
import { OPEN_STATUSES } from '../src/domain/progress.ts';
import { TODO_PAGE_ACTION, todoPageCard } from '../cards/todo-page.ts';
import { dueLabel, forChat } from './grievances/present.ts';

/** Grievances per page: a page fits a phone screen and stays far inside Lark's card limits. */
export const TODO_PAGE_SIZE = 30;
/** Compounds with missing data named under 待办 (the rest are counted). */
const GAPS_SHOWN = 30;
const FILTERS: Record<string, string> = {
  超期: 'overdue', 逾期: 'overdue', overdue: 'overdue', 全部: 'all', all: 'all', 所有: 'all',
  open: 'open', 未办结: 'open', 在办: 'open',
};

function line(g: GrievanceView, now: Date, tz: string): string {
  const due = g.status === '待受理' || g.status === '已转办' ? `受理时限${dueLabel(g.acceptDueAt, tz)}` : g.status === '处理中' ? `办结时限${dueLabel(g.resolveDueAt, tz)}` : `结果：${g.result ?? '—'}`;
  const late = isOverdue(g, now) ? '｜已超期' : '';
  const text = g.text.length > 40 ? `${g.text.slice(0, 40)}…` : g.text;
  return `· ${g.code} ${g.compound}：${text}｜${g.department ?? '—'}｜${g.status}｜${due}${late}`;
}

/** The compounds of a community whose data for the 调度表 is still incomplete (a bounded number named). */
async function missingData(ctx: BotContext, communityId: number): Promise<string[]> {
  const compounds = (await listCompounds(ctx.db, ctx.campaign.id, { communityId })).filter(isIncomplete);
  // The same rule as the prompt card, 报送, the 15:00 summary and 进度 (src/domain/gaps.ts).
  const lines = [compounds.length ? `待补充的小区数据（${compounds.length}个小区）：` : '本社区小区数据已齐全。'];
  lines.push(...compounds.slice(0, GAPS_SHOWN).map((c) => `· ${c.name}：待补 ${summaryGaps(c).join('、')}`));
  if (compounds.length > GAPS_SHOWN) lines.push(`……另有 ${compounds.length - GAPS_SHOWN} 个小区未列出，发送“小区列表 信息不全”可查看。`);
  return lines;
}

function filterKey(filter: string | null): string {
  const key = filter ? (GRIEVANCE_STATUSES as readonly string[]).includes(filter) ? filter : FILTERS[filter.toLowerCase()] : 'open';
  if (!key) throw new UserError(`没有看懂“${filter!.slice(0, 12)}”。可以写：待受理、处理中、已转办、已办结、超期 或 全部。`);
  return key;
}

/** One page of the asker's grievances under a filter, newest first (older than `beforeId`), with the total. */
async function todoPage(ctx: BotContext | CardContext, key: string, beforeId?: number) {
  const scope: { communityId?: number; departmentId?: number } = {};
  if (ctx.actor.role === 'community') scope.communityId = ctx.actor.communityId ?? -1;
  if (ctx.actor.role === 'department') scope.departmentId = ctx.actor.departmentId ?? -1;
  const statuses = key === 'all' ? undefined : key === 'open' || key === 'overdue' ? OPEN_STATUSES : [key];
  const overdueAt = key === 'overdue' ? ctx.now.toISOString() : undefined;
  const { total, items } = await listGrievancePage(ctx.db, ctx.campaign.id, { ...scope, statuses, overdueAt }, { beforeId, limit: TODO_PAGE_SIZE });
  const label = key === 'open' ? '未办结诉求' : key === 'overdue' ? '超期诉求' : key === 'all' ? '全部诉求' : `${key}诉求`;
  const where = ctx.actor.communityName ?? ctx.actor.departmentName ?? ctx.campaign.street;
  const tz = ctx.campaign.timezone;
  return {
    total,
    pages: Math.max(1, Math.ceil(total / TODO_PAGE_SIZE)),
    empty: `${where}目前没有${label}。`,
    head: `${where}${label}（${total}件）：`,
    lines: items.map((g) => forChat(ctx, line(g, ctx.now, tz))),
    /** The cursor of the next page: the oldest grievance shown. */
    last: items.at(-1)?.id,
  };
}

const todo = defineCommand({
  name: '待办',
  aliases: ['todo', '待办事项'],
  summary: '查看您名下未办结的诉求（社区还可看到待补的小区数据）',
  usage: '待办 [待受理|处理中|已转办|已办结|超期|全部]',
  examples: ['待办', '待办 超期', '待办 待受理'],
  access: 'bound',
  args: z.object({ words: z.array(z.string()) }).transform((i) => ({ filter: i.words[0] ?? null })),
  async handler(ctx, { filter }) {
    const key = filterKey(filter);
    const p = await todoPage(ctx, key);
    const gaps = ctx.actor.role === 'community' && ctx.actor.communityId !== null && key === 'open' ? await missingData(ctx, ctx.actor.communityId) : [];
    if (p.pages > 1) {
      // More than a page: the newest page on a card, with a 更多 button for the rest.
      await ctx.reply({ type: 'card', card: todoPageCard({ title: p.head, lines: p.lines, filter: key, page: 0, pages: p.pages, before: p.last! }) });
      if (gaps.length) await ctx.reply({ type: 'text', text: forChat(ctx, gaps.join('\n')) });
      return;
    }
    const parts = p.total === 0 ? [p.empty] : [p.head, ...p.lines];
    if (gaps.length) parts.push('', ...gaps);
    await ctx.reply({ type: 'text', text: forChat(ctx, parts.join('\n')) });
  },
});

/** 待办's 更多: the next page below the last one shown, as the grievances stand now and as the presser may see them. */
export const todoPageButton = defineCardAction({
  kind: TODO_PAGE_ACTION,
  value: z.object({
    a: z.literal(TODO_PAGE_ACTION), k: z.string().min(1).max(16), p: z.number().int().min(1).max(1_000_000), b: z.number().int().positive(),
  }),
  async handler(ctx, value) {
    if (ctx.actor.role === null) throw new UserError('抱歉，您还没有使用此功能的权限。');
    const key = filterKey(value.k);
    const p = await todoPage(ctx, key, value.b);
    if (p.lines.length === 0) return { toast: { type: 'info', content: p.total ? '没有更早的诉求了。' : p.empty } };
    return { card: todoPageCard({ title: p.head, lines: p.lines, filter: key, page: value.p, pages: Math.max(p.pages, value.p + 1), before: p.last! }) };
  },
});

export default todo;
