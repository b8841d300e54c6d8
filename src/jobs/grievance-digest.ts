import { defineJob, type Slot } from '../scheduler/job.ts';
import { addDays, formatChineseDate, localDate, localParts, zonedInstant } from '../calendar/dates.ts';
import { chatsOfUnit } from '../domain/chats.ts';
import { deadlineDay } from '../domain/grievance-codes.ts';
import { type GrievanceView, AWAITING_ACCEPTANCE, isOverdue, listGrievancePage } from '../domain/grievances.ts';
import { countFromTallies } from '../domain/grievance-tallies.ts';
import { OPEN_STATUSES } from '../domain/progress.ts';
import { maskPhones } from '../logger.ts';

const KIND = 'grievance-digest';
/** Overdue grievances named in one digest (the rest are counted): the message stays readable and within Lark's limit. */
const DIGEST_LIMIT = 50;

function describe(g: GrievanceView, tz: string): string {
  const waiting = AWAITING_ACCEPTANCE.includes(g.status) && g.acceptDueAt;
  const due = waiting ? `未受理，受理时限${formatChineseDate(deadlineDay(g.acceptDueAt!, tz))}` : `未办结，办结时限${formatChineseDate(deadlineDay(g.resolveDueAt!, tz))}`;
  const text = g.text.length > 30 ? `${g.text.slice(0, 30)}…` : g.text;
  return `· ${g.code} ${g.compound}（${g.community}）：${text}｜${g.status}，${due}`;
}

/** The morning digest to the 专班 group: overdue grievances grouped by department; nothing overdue, no message. */
export const grievanceDigestJob = defineJob({
  name: KIND,
  slots(ctx, from, to) {
    const tz = ctx.campaign.timezone;
    const time = ctx.campaign.definition.grievances.digestTime;
    const out: Slot[] = [];
    let day = localDate(from, tz) < ctx.campaign.startsOn ? ctx.campaign.startsOn : localDate(from, tz);
    const last = localDate(to, tz);
    for (let i = 0; day <= last && i < 400; i++, day = addDays(day, 1)) {
      if (!ctx.calendar.isWorkingDay(day)) continue;
      const at = zonedInstant(day, time, tz);
      if (at < from || at > to) continue;
      out.push({ key: `${KIND}:${day}`, at, lateUntil: zonedInstant(addDays(day, 1), '00:00', tz), data: { day } });
    }
    return out;
  },
  async run(ctx) {
    const tz = ctx.campaign.timezone;
    // Counted from the tallies; only the newest DIGEST_LIMIT are read (a city may have hundreds of thousands).
    const total = await countFromTallies(ctx.db, ctx.campaign.id, { statuses: OPEN_STATUSES, overdueAt: ctx.now.toISOString() });
    if (total === 0) return;
    const chats = await chatsOfUnit(ctx.db, { kind: 'zhuanban' });
    if (chats.length === 0) {
      ctx.log.warn({ overdue: total }, 'overdue grievances but no 专班 group is bound; digest not sent');
      return;
    }
    const page = await listGrievancePage(ctx.db, ctx.campaign.id, { statuses: OPEN_STATUSES, overdueAt: ctx.now.toISOString() }, { limit: DIGEST_LIMIT });
    const overdue = page.items.filter((g) => isOverdue(g, ctx.now)).reverse();
    const byDepartment = new Map<string, GrievanceView[]>();
    for (const g of overdue) {
      const name = g.department ?? '未分派';
      byDepartment.set(name, [...(byDepartment.get(name) ?? []), g]);
    }
    const local = localParts(ctx.now, tz);
    const lines = [`【诉求超期提醒】截至${formatChineseDate(local.date)} ${local.time}，共有 ${total} 件诉求超期${total > overdue.length ? `，以下为最近的 ${overdue.length} 件` : ''}：`];
    for (const [department, list] of byDepartment) {
      lines.push('', `${department}（${list.length}件）：`, ...list.map((g) => describe(g, tz)));
    }
    lines.push('', '请相关单位尽快受理、办结；发送“待办 超期”可随时查看。');
    for (const chat of chats) await ctx.send({ chatId: chat.chatId }, { type: 'text', text: maskPhones(lines.join('\n')) }, KIND);
  },
});
