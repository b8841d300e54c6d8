import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import type { BotContext } from '../src/bot/context.ts';
import { UserError } from '../src/errors.ts';
import { listCompounds } from '../src/domain/compounds.ts';
import { isIncomplete, summaryGaps } from '../src/domain/gaps.ts';
import { type GrievanceView, GRIEVANCE_STATUSES, isOverdue, listGrievanceViews } from '../src/domain/grievances.ts';
import { OPEN_STATUSES } from '../src/domain/progress.ts';
import { dueLabel, forChat } from './grievances/present.ts';

const LIMIT = 30;
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

/** The compounds of a community whose data for the 调度表 is still incomplete. */
async function missingData(ctx: BotContext, communityId: number): Promise<string[]> {
  const compounds = await listCompounds(ctx.db, ctx.campaign.id, { communityId });
  // The same rule as the prompt card, 报送, the 15:00 summary and 进度 (src/domain/gaps.ts).
  return compounds.filter(isIncomplete).map((c) => `· ${c.name}：待补 ${summaryGaps(c).join('、')}`);
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
    const key = filter ? (GRIEVANCE_STATUSES as readonly string[]).includes(filter) ? filter : FILTERS[filter.toLowerCase()] : 'open';
    if (!key) throw new UserError(`没有看懂“${filter!.slice(0, 12)}”。可以写：待受理、处理中、已转办、已办结、超期 或 全部。`);
    const scope: { communityId?: number; departmentId?: number } = {};
    if (ctx.actor.role === 'community') scope.communityId = ctx.actor.communityId ?? -1;
    if (ctx.actor.role === 'department') scope.departmentId = ctx.actor.departmentId ?? -1;
    const statuses = key === 'all' ? undefined : key === 'open' || key === 'overdue' ? OPEN_STATUSES : [key];
    let list = await listGrievanceViews(ctx.db, ctx.campaign.id, { ...scope, statuses });
    if (key === 'overdue') list = list.filter((g) => isOverdue(g, ctx.now));
    const tz = ctx.campaign.timezone;
    const label = key === 'open' ? '未办结诉求' : key === 'overdue' ? '超期诉求' : key === 'all' ? '全部诉求' : `${key}诉求`;
    const where = ctx.actor.communityName ?? ctx.actor.departmentName ?? ctx.campaign.street;
    const parts: string[] = [];
    if (list.length === 0) parts.push(`${where}目前没有${label}。`);
    else {
      const shown = list.slice(-LIMIT).reverse();
      parts.push(`${where}${label}（${list.length}件）：`, ...shown.map((g) => line(g, ctx.now, tz)));
      if (list.length > LIMIT) parts.push(`……另有 ${list.length - LIMIT} 件较早的诉求未列出。`);
    }
    if (ctx.actor.role === 'community' && ctx.actor.communityId !== null && key === 'open') {
      const gaps = await missingData(ctx, ctx.actor.communityId);
      parts.push('', gaps.length ? `待补充的小区数据（${gaps.length}个小区）：` : '本社区小区数据已齐全。', ...gaps);
    }
    await ctx.reply({ type: 'text', text: forChat(ctx, parts.join('\n')) });
  },
});

export default todo;
