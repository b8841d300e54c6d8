import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { formatChineseDate, localDate } from '../src/calendar/dates.ts';
import { type CompoundView, isCovered, isUpgradeDone, listCompounds } from '../src/domain/compounds.ts';
import { byCommunity, outstandingFor, outstandingLabel } from '../src/domain/gaps.ts';
import { overdueDeadlines } from '../src/domain/overdue.ts';
import { calendarWarningOnce } from '../src/domain/calendar-warning.ts';
import { daysBetween, daysLeftLabel, phaseState, upcomingDeadlines } from '../src/schedule/deadlines.ts';

const PHASE_MARKS = { done: '已结束', current: '进行中', future: '未开始' } as const;

// A city has thousands of outstanding compounds: the list names a bounded number and counts the rest.
const NAMES_PER_COMMUNITY = 20;
const COMMUNITIES_SHOWN = 30;

function outstandingLines(left: CompoundView[], head: string): string[] {
  const groups = byCommunity(left);
  const lines = groups.slice(0, COMMUNITIES_SHOWN).map((g) => {
    const names = g.compounds.slice(0, NAMES_PER_COMMUNITY).map(outstandingLabel).join('、');
    const more = g.compounds.length > NAMES_PER_COMMUNITY ? `等${g.compounds.length}个` : '';
    return `   - ${g.community}（${g.compounds.length}）：${names}${more}`;
  });
  if (groups.length > COMMUNITIES_SHOWN) lines.push(`   - 另有 ${groups.length - COMMUNITIES_SHOWN} 个社区未列出，社区工作人员发送“节点”可查看本社区的清单。`);
  return [`   ${head} ${left.length} 个小区：`, ...lines];
}

export default defineCommand({
  name: '节点',
  aliases: ['deadlines', '时间节点', '工作节点'],
  summary: '查看工作阶段、即将到来的节点和尚未完成的任务',
  usage: '节点',
  examples: ['节点'],
  access: 'bound',
  args: z.object({}),
  async handler(ctx) {
    const def = ctx.campaign.definition;
    const today = localDate(ctx.now, ctx.campaign.timezone);
    // Community staff see their own community's outstanding work; everyone else the whole street.
    const communityId = ctx.actor.role === 'community' ? (ctx.actor.communityId ?? undefined) : undefined;
    const compounds = await listCompounds(ctx.db, ctx.campaign.id, { communityId });
    const lines = ['【工作阶段】'];
    for (const p of def.phases) {
      const span = p.startsOn ? `${formatChineseDate(p.startsOn)}—${formatChineseDate(p.endsOn)}` : `至${formatChineseDate(p.endsOn)}`;
      lines.push(`- ${p.name}：${span}（${PHASE_MARKS[phaseState(p, today)]}）`);
    }
    // A deadline that passed with work outstanding stays on the list until the work is done.
    const overdue = overdueDeadlines(def.deadlines, compounds, today);
    if (overdue.length) {
      lines.push('', '【已逾期的节点】');
      overdue.forEach(({ deadline: d, left }, i) => {
        lines.push(`${i + 1}. ${formatChineseDate(d.date)}（已逾期${daysBetween(d.date, today)}天）${d.title}`, ...outstandingLines(left, '仍有'));
      });
    }
    const next = upcomingDeadlines(def.deadlines, today);
    lines.push('', next.length ? '【即将到来的节点】' : '全部节点均已过去。');
    next.forEach((d, i) => {
      lines.push(`${i + 1}. ${formatChineseDate(d.date)}（${daysLeftLabel(today, d.date)}）${d.title}`);
      if (d.scope === 'phase') {
        const cov = compounds.filter((c) => c.track === 'coverage');
        const up = compounds.filter((c) => c.track === 'upgrade');
        lines.push(`   阶段节点：目前已入驻 ${cov.filter((c) => isCovered(c, today)).length}/${cov.length}，提升完成 ${up.filter(isUpgradeDone).length}/${up.length}。`);
        return;
      }
      const left = outstandingFor(d.scope, compounds, today);
      if (!left.length) {
        lines.push('   已全部完成。');
        return;
      }
      lines.push(...outstandingLines(left, '尚未完成'));
    });
    const warning = await calendarWarningOnce(ctx.db, {
      campaign: ctx.campaign, calendar: ctx.calendar, today, openId: ctx.actor.openId, isAdmin: ctx.actor.role === 'admin', now: ctx.now,
    });
    if (warning) lines.push('', warning);
    await ctx.reply({ type: 'text', text: lines.join('\n') });
  },
});
