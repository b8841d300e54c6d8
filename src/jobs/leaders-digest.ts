import { defineJob, type PlanContext, type Slot } from '../scheduler/job.ts';
import { addDays, formatChineseDate, localDate, localParts, weekday, zonedInstant } from '../calendar/dates.ts';
import { endOfDay } from '../schedule/schedule.ts';
import { chatsOfUnit } from '../domain/chats.ts';
import { listCommunities } from '../domain/campaign.ts';
import { computeProgress } from '../domain/progress.ts';
import { upgradeActionStats } from '../domain/upgrade-stats.ts';
import { grievancesByDepartment, grievancesRecordedSince } from '../domain/grievance-stats.ts';
import { overdueCounts } from '../domain/overdue.ts';
import { confirmedCommunityIds, reportPeriods } from '../domain/periods.ts';
import { periodLabel } from '../domain/period-status.ts';
import { leadersDigestCard } from '../../cards/leaders-digest.ts';
import { noteLedger } from './common.ts';

const KIND = 'leaders-digest';
const WEEK_MS = 7 * 24 * 3600_000;

/**
 * The weekly digest on the campaign's weekday (moved to the next working day when that is a day off), and one on
 * each report's effective due day; when both fall on one day, the due day's stands for both.
 */
function slots(ctx: PlanContext, from: Date, to: Date): Slot[] {
  const settings = ctx.campaign.definition.leadersDigest;
  const tz = ctx.campaign.timezone;
  const { startsOn, endsOn } = ctx.campaign;
  const out: Slot[] = [];
  const dueDays = new Set<string>();
  if (settings.onDueDays) {
    for (const p of reportPeriods(ctx.campaign, ctx.calendar)) {
      dueDays.add(p.effectiveDue);
      const at = zonedInstant(p.effectiveDue, settings.dueDayTime, tz);
      if (at < from || at > to) continue;
      out.push({ key: `${KIND}:due:${p.due}`, at, lateUntil: endOfDay(p.effectiveDue, tz), data: { occasion: 'due-day', day: p.effectiveDue } });
    }
  }
  const jsWeekday = settings.weekday % 7;
  let day = localDate(new Date(from.getTime() - WEEK_MS), tz);
  if (day < startsOn) day = startsOn;
  const last = localDate(to, tz);
  for (let i = 0; day <= last && day <= endsOn && i < 800; i++, day = addDays(day, 1)) {
    if (weekday(day) !== jsWeekday) continue;
    const actual = ctx.calendar.isWorkingDay(day) ? day : ctx.calendar.nextAfter(day);
    if (dueDays.has(actual) || actual > endsOn) continue;
    const at = zonedInstant(actual, settings.time, tz);
    if (at < from || at > to) continue;
    out.push({ key: `${KIND}:week:${day}`, at, lateUntil: endOfDay(actual, tz), data: { occasion: 'weekly', day: actual } });
  }
  return out;
}

/** The 领导小组's short summary, with the same numbers as 进度 and /api/v1/progress at the same instant. */
export default defineJob({
  name: KIND,
  slots,
  async run(ctx, slot) {
    const chats = await chatsOfUnit(ctx.db, { kind: 'leaders' });
    if (!chats.length) return noteLedger(ctx, 'no 领导小组 group bound', true);
    const tz = ctx.campaign.timezone;
    const local = localParts(ctx.now, tz);
    const progress = await computeProgress(ctx, ctx.now);
    const since = new Date(ctx.now.getTime() - WEEK_MS);
    // The last report whose day has come: today's on a due day, otherwise the one before.
    const last = reportPeriods(ctx.campaign, ctx.calendar).filter((p) => p.effectiveDue <= local.date).pop() ?? null;
    let lastReport = null;
    if (last) {
      const communities = await listCommunities(ctx.db, ctx.campaign.id);
      const confirmed = await confirmedCommunityIds(ctx.db, ctx.campaign.id, last.due);
      lastReport = {
        label: periodLabel(last),
        missing: communities.filter((c) => !confirmed.has(c.id)).map((c) => c.name),
        confirmed: communities.filter((c) => confirmed.has(c.id)).length,
        total: communities.length,
      };
    }
    const card = leadersDigestCard({
      dateLabel: formatChineseDate(local.date),
      occasion: slot.data?.occasion === 'due-day' ? 'due-day' : 'weekly',
      asOfLabel: `${formatChineseDate(local.date, true)} ${local.time}`,
      scopeLabel: `${ctx.campaign.district}${ctx.campaign.street}`,
      progress: { ...progress, actions: await upgradeActionStats(ctx.db, ctx.campaign.id) },
      grievancesNew: await grievancesRecordedSince(ctx.db, ctx.campaign, since),
      newSinceLabel: '近7天',
      byDepartment: await grievancesByDepartment(ctx.db, ctx.campaign, ctx.now),
      lastReport,
      overdue: (await overdueCounts(ctx.db, ctx.campaign, local.date)).map((o) => ({
        dateLabel: formatChineseDate(o.deadline.date), title: o.deadline.title, left: o.left, daysLate: o.daysLate,
      })),
    });
    for (const chat of chats) await ctx.send({ chatId: chat.chatId }, { type: 'card', card }, KIND);
    await noteLedger(ctx, `digest: covered ${progress.coverage.covered}/${progress.coverage.total}, overdue grievances ${progress.grievances.overdue}`, false);
  },
});
