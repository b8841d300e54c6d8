import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import type { BotContext } from '../src/bot/context.ts';
import { UserError } from '../src/errors.ts';
import { addDays, formatChineseDate, localDate, weekday } from '../src/calendar/dates.ts';
import { type DayOverride, type OverrideKind, OFFICIAL_LAST_YEAR } from '../src/calendar/workdays.ts';
import { datesBetween } from '../src/campaign/schema.ts';
import { refreshCalendar, removeAdminOverride, setAdminOverride } from '../src/domain/calendar-overrides.ts';
import { type ReportPeriod, reportPeriods } from '../src/domain/periods.ts';
import { parseDayRange } from '../src/understanding/day-range.ts';

const SUBCOMMANDS: Record<string, 'list' | OverrideKind | 'remove'> = {
  列表: 'list', 查看: 'list', list: 'list', show: 'list',
  放假: 'holiday', 假日: 'holiday', 休息: 'holiday', 节假日: 'holiday', 休息日: 'holiday', holiday: 'holiday', off: 'holiday',
  补班: 'workday', 上班: 'workday', 调休上班: 'workday', 工作日: 'workday', workday: 'workday', work: 'workday',
  删除: 'remove', 取消: 'remove', 移除: 'remove', 撤销: 'remove', remove: 'remove', delete: 'remove',
};
const USAGE = '日历 [列表 | 放假 日期[至日期] [名称] | 补班 日期 [名称] | 删除 日期 | 日期]';
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const KIND_LABEL: Record<OverrideKind, string> = { holiday: '放假', workday: '补班（上班）' };

const dayLabel = (d: string) => `${formatChineseDate(d, true)}（${WEEKDAYS[weekday(d)]}）`;

function spanLabel(from: string, to: string): string {
  return from === to ? dayLabel(from) : `${dayLabel(from)}至${dayLabel(to)}`;
}

/** Consecutive days with the same kind, name and source, shown as one line. */
function groupedLines(overrides: readonly DayOverride[]): string[] {
  const groups: { from: string; to: string; o: DayOverride }[] = [];
  for (const o of overrides) {
    const g = groups[groups.length - 1];
    if (g && g.o.kind === o.kind && g.o.name === o.name && g.o.source === o.source && addDays(g.to, 1) === o.date) g.to = o.date;
    else groups.push({ from: o.date, to: o.date, o });
  }
  return groups.map((g) => `- ${spanLabel(g.from, g.to)} ${KIND_LABEL[g.o.kind]}${g.o.name ? `（${g.o.name}）` : ''}［${g.o.source === 'admin' ? '管理员录入' : '活动文件'}］`);
}

function yearLines(ctx: BotContext, years: number[]): string[] {
  return years.map((y) => {
    const status = ctx.calendar.yearStatus(y);
    if (status === 'official') return `- ${y}年：按国务院办公厅公布的节假日安排`;
    if (status === 'corrected') return `- ${y}年：节假日数据未收录，按已录入的放假、补班安排计算`;
    return `- ${y}年：⚠️ 节假日安排未收录（数据只到${OFFICIAL_LAST_YEAR}年），目前只按周六、周日休息计算`;
  });
}

function listText(ctx: BotContext): string {
  const first = Number(ctx.campaign.startsOn.slice(0, 4));
  const last = Number(ctx.campaign.endsOn.slice(0, 4));
  const years = [...new Set([...Array.from({ length: last - first + 1 }, (_, i) => first + i), ...ctx.calendar.overrides().map((o) => Number(o.date.slice(0, 4)))])].sort();
  const overrides = ctx.calendar.overrides();
  return [
    '【工作日历】',
    ...yearLines(ctx, years),
    overrides.length ? `已录入的调整（${overrides.length} 天）：` : '暂无录入的调整。',
    ...groupedLines(overrides),
    `用法：${USAGE}`,
    '例如：日历 放假 2027-10-01至2027-10-07 国庆节；日历 补班 2027-09-26；日历 删除 2027-10-01',
  ].join('\n');
}

function dayText(ctx: BotContext, date: string): string {
  const info = ctx.calendar.dayInfo(date);
  const why = info.basis === 'override' ? '已录入的调整' : info.basis === 'official' ? '国务院办公厅公布的安排' : '未收录节假日安排，按周末计算';
  return `${dayLabel(date)}：${info.working ? '工作日' : '休息日'}${info.name ? `（${info.name}）` : ''}，依据：${why}。`;
}

/** The report periods whose effective due day moved, as lines. */
function movedPeriods(before: ReportPeriod[], after: ReportPeriod[]): string[] {
  const was = new Map(before.map((p) => [p.due, p.effectiveDue]));
  return after
    .filter((p) => was.get(p.due) !== undefined && was.get(p.due) !== p.effectiveDue)
    .map((p) => `- ${formatChineseDate(p.due)}调度表：报送日由${formatChineseDate(was.get(p.due)!)}改为${formatChineseDate(p.effectiveDue)}，报送提醒随之调整`);
}

async function change(ctx: BotContext, kind: OverrideKind | 'remove', text: string): Promise<string> {
  const today = localDate(ctx.now, ctx.campaign.timezone);
  // A range for holidays (国庆 7 days) and for removing them again; make-up workdays are single days, typed one by one.
  const parsed = parseDayRange(text, today, kind === 'workday' ? 1 : 31);
  if (!parsed.ok) throw new UserError(`${parsed.problem}\n用法：${USAGE}`);
  const { from, to, name } = parsed.range;
  const days = datesBetween(from, to, 31);
  const before = reportPeriods(ctx.campaign, ctx.calendar);
  const changed: string[] = [];
  if (kind === 'remove') {
    for (const date of days) {
      const removed = await removeAdminOverride(ctx.db, { campaignId: ctx.campaign.id, date, by: ctx.actor.openId, at: ctx.now });
      if (!removed) continue;
      changed.push(date);
      await ctx.audit({ action: 'calendar.remove', entity: 'calendar_override', entityId: date, before: { kind: removed.kind, name: removed.name }, after: null });
    }
    if (!changed.length) {
      const fromFile = ctx.calendar.overrides().some((o) => o.source === 'campaign' && days.includes(o.date));
      throw new UserError(
        fromFile
          ? `${spanLabel(from, to)}的安排来自活动文件，不能删除；如需更正，请用“日历 放假”或“日历 补班”录入正确的安排。`
          : `${spanLabel(from, to)}没有管理员录入的调整，无需删除。发送“日历”查看已录入的安排。`,
      );
    }
  } else {
    for (const date of days) {
      const current = ctx.calendar.dayInfo(date);
      const { replaced } = await setAdminOverride(ctx.db, { campaignId: ctx.campaign.id, date, kind, name, by: ctx.actor.openId, at: ctx.now });
      changed.push(date);
      await ctx.audit({
        action: 'calendar.set', entity: 'calendar_override', entityId: date,
        before: replaced ? { kind: replaced.kind, name: replaced.name } : { working: current.working, basis: current.basis },
        after: { kind, name },
      });
    }
  }
  await refreshCalendar(ctx.db, ctx.campaign, ctx.calendar);
  const moved = movedPeriods(before, reportPeriods(ctx.campaign, ctx.calendar));
  const span = spanLabel(from, to);
  const head =
    kind === 'remove'
      ? `已删除${span}的调整${changed.length < days.length ? `（共 ${changed.length} 天）` : ''}，恢复为${ctx.calendar.yearStatus(Number(from.slice(0, 4))) === 'official' ? '官方安排' : '按周末计算'}。`
      : `已将${span}设为${kind === 'holiday' ? '休息日' : '工作日（补班）'}${name ? `（${name}）` : ''}${days.length > 1 ? `，共 ${days.length} 天` : ''}。`;
  return [head, ...(moved.length ? ['受影响的报送安排：', ...moved] : ['报送日没有变化。'])].join('\n');
}

export default defineCommand({
  name: '日历',
  aliases: ['calendar', '工作日历', '节假日'],
  summary: '查看和更正工作日历：补录节假日、调休上班日（管理员）',
  usage: USAGE,
  examples: ['日历', '日历 放假 2027-10-01至2027-10-07 国庆节', '日历 补班 2027-09-26', '日历 删除 2027-10-01', '日历 2027-10-01'],
  access: ['admin'],
  args: z.object({ words: z.array(z.string()), rest: z.string() }).transform((i) => {
    const named = i.words[0] ? SUBCOMMANDS[i.words[0].toLowerCase()] : 'list';
    const sub: 'list' | OverrideKind | 'remove' | 'day' = named ?? 'day';
    return { sub, text: named ? i.words.slice(1).join(' ') : i.rest };
  }),
  async handler(ctx, { sub, text }) {
    if (sub === 'list') {
      await ctx.reply({ type: 'text', text: listText(ctx) });
      return;
    }
    if (sub === 'day') {
      const parsed = parseDayRange(text, localDate(ctx.now, ctx.campaign.timezone), 1);
      if (!parsed.ok) throw new UserError(`没有看懂“${text.slice(0, 20)}”。\n用法：${USAGE}`);
      await ctx.reply({ type: 'text', text: dayText(ctx, parsed.range.from) });
      return;
    }
    await ctx.reply({ type: 'text', text: await change(ctx, sub, text) });
  },
});
