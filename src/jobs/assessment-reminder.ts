import { defineJob, type JobContext, type Slot } from '../scheduler/job.ts';
import { afterCoverageSettings, assessmentKind } from '../campaign/after-coverage.ts';
import type { AssessmentKind } from '../campaign/after-coverage-schema.ts';
import { formatChineseDate, localDate, zonedInstant } from '../calendar/dates.ts';
import { lastMonthStart, quarterOf, quarterRange, quartersBetween } from '../calendar/quarters.ts';
import { endOfDay } from '../schedule/schedule.ts';
import { listDepartments } from '../domain/campaign.ts';
import { type ChatBinding, chatsOfUnit } from '../domain/chats.ts';
import { periodLabel } from '../domain/assessments.ts';
import { kindOutstanding, unassessedLines } from '../domain/assessment-outstanding.ts';
import { noteLedger } from './common.ts';

const KIND = 'assessment-reminder';

/** The working groups of a kind's assessors (their departments, the street, the leaders); else the 专班 group. */
export async function assessorChats(ctx: Pick<JobContext, 'db' | 'campaign'>, kind: AssessmentKind): Promise<ChatBinding[]> {
  const departments = await listDepartments(ctx.db, ctx.campaign.id);
  const chats: ChatBinding[] = [];
  for (const name of kind.assessors.departments) {
    const d = departments.find((x) => x.name === name);
    if (d) chats.push(...(await chatsOfUnit(ctx.db, d.kind === 'street' ? { kind: 'street' } : { kind: 'department', departmentId: d.id })));
  }
  if (kind.assessors.roles.includes('street')) chats.push(...(await chatsOfUnit(ctx.db, { kind: 'street' })));
  if (kind.assessors.roles.includes('leader')) chats.push(...(await chatsOfUnit(ctx.db, { kind: 'leaders' })));
  const unique = [...new Map(chats.map((c) => [c.chatId, c])).values()];
  return unique.length ? unique : chatsOfUnit(ctx.db, { kind: 'zhuanban' });
}

/**
 * At the start of each quarter's last month (the first working day of March, June, September, December), the
 * assessors' groups get the compounds not yet assessed that quarter. All assessed: nothing is sent.
 */
export default defineJob({
  name: KIND,
  slots(ctx, from, to) {
    const settings = afterCoverageSettings(ctx.campaign.definition);
    const kinds = settings.assessment.kinds.filter((k) => k.period === 'quarter' && k.subject === 'compound' && k.quarterlyReminder);
    if (!kinds.length) return [];
    const tz = ctx.campaign.timezone;
    const first = quarterOf(ctx.campaign.startsOn);
    const fromQ = quarterOf(localDate(from, tz));
    const out: Slot[] = [];
    for (const q of quartersBetween(fromQ > first ? fromQ : first, quarterOf(localDate(to, tz)))) {
      const nominal = lastMonthStart(q);
      if (nominal < ctx.campaign.startsOn) continue;
      const day = ctx.calendar.isWorkingDay(nominal) ? nominal : ctx.calendar.nextAfter(nominal);
      const at = zonedInstant(day, settings.assessment.reminderTime, tz);
      if (at < from || at > to) continue;
      for (const k of kinds) out.push({ key: `${KIND}:${k.code}:${q}`, at, lateUntil: endOfDay(day, tz), data: { kind: k.code, quarter: q } });
    }
    return out;
  },
  async run(ctx, slot) {
    const settings = afterCoverageSettings(ctx.campaign.definition);
    const kind = assessmentKind(settings, String(slot.data?.kind));
    if (!kind) return noteLedger(ctx, 'assessment kind no longer in the campaign', true);
    const quarter = String(slot.data?.quarter);
    const today = localDate(ctx.now, ctx.campaign.timezone);
    const o = await kindOutstanding(ctx.db, ctx.campaign, settings, kind, quarter, today);
    if (!o.compounds.length) return noteLedger(ctx, 'all assessed', true);
    const chats = await assessorChats(ctx, kind);
    if (!chats.length) return noteLedger(ctx, 'no assessors group bound', true);
    const text = [
      `【季度考核提醒】${periodLabel(kind, quarter)}将于${formatChineseDate(quarterRange(quarter).last)}截止，尚有 ${o.compounds.length} 个小区未考核：`,
      ...unassessedLines(o.compounds),
      '请考核人员抓紧完成，@我发送“考核 小区名”逐项打分；发送“考核结果”可查看进度。',
    ].join('\n');
    for (const chat of chats) await ctx.send({ chatId: chat.chatId }, { type: 'text', text }, KIND);
  },
});
