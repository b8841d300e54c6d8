import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import type { OutgoingContent } from '../bot/types.ts';
import { type CampaignDefinition, UPGRADE_ACTIONS } from '../campaign/schema.ts';
import { formatChineseDate, localDate } from '../calendar/dates.ts';
import { campaignSchedule } from '../schedule/schedule.ts';
import { daysBetween } from '../schedule/deadlines.ts';
import type { CampaignInfo } from './campaign.ts';
import type { CompoundView } from './compounds.ts';
import { chatsOfUnit } from './chats.ts';
import { outstandingFor } from './gaps.ts';

type Deadline = CampaignDefinition['deadlines'][number];

export interface OverdueDeadline {
  deadline: Deadline;
  /** The compounds still not done, in the notice's order. */
  left: CompoundView[];
}

/** Deadlines that have passed (before `today`) with compounds still outstanding; phase deadlines have no list. */
export function overdueDeadlines(deadlines: readonly Deadline[], compounds: CompoundView[], today: string): OverdueDeadline[] {
  return deadlines
    .filter((d) => d.scope !== 'phase' && d.date < today)
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((deadline) => ({ deadline, left: outstandingFor(deadline.scope, compounds, today) }))
    .filter((o) => o.left.length > 0);
}

/**
 * How many compounds are still outstanding for a deadline's scope, counted in SQL (no compound rows reach
 * JavaScript), with the same rules as outstandingFor: coverage = no current takeover started by `today`,
 * upgrade = not all four actions 已完成.
 */
export async function outstandingCount(db: Db, campaignId: number, scope: 'coverage' | 'upgrade', today: string, communityId?: number): Promise<number> {
  let base = db.selectFrom('compounds').select((eb) => eb.fn.countAll<number>().as('n')).where('compounds.campaign_id', '=', campaignId).where('compounds.track', '=', scope);
  if (communityId !== undefined) base = base.where('compounds.community_id', '=', communityId);
  const q =
    scope === 'coverage'
      ? base.where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('takeovers').select('takeovers.id').whereRef('takeovers.compound_id', '=', 'compounds.id').where('takeovers.superseded_at', 'is', null).where('takeovers.start_date', '<=', today))),
        )
      : base.where(
          (eb) => eb.selectFrom('upgrade_actions').select((e) => e.fn.countAll<number>().as('d')).whereRef('upgrade_actions.compound_id', '=', 'compounds.id').where('upgrade_actions.state', '=', '已完成'),
          '<',
          UPGRADE_ACTIONS.length,
        );
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

/** Passed deadlines with how many compounds are still outstanding (only those with some), counted in SQL. */
export async function overdueCounts(
  db: Db,
  campaign: CampaignInfo,
  today: string,
  communityId?: number,
): Promise<{ deadline: Deadline; left: number; daysLate: number }[]> {
  const out: { deadline: Deadline; left: number; daysLate: number }[] = [];
  for (const d of [...campaign.definition.deadlines].sort((a, b) => a.date.localeCompare(b.date))) {
    if (d.scope === 'phase' || d.date >= today) continue;
    const left = await outstandingCount(db, campaign.id, d.scope, today, communityId);
    if (left > 0) out.push({ deadline: d, left, daysLate: daysBetween(d.date, today) });
  }
  return out;
}

/** The ledger key of an overdue alert to a group, and of the one line of good news once a deadline's work is done. */
export const overdueAlertKey = (code: string, day: string, to: string) => `deadline-overdue:${code}:${day}:${to}`;
export const deadlineDoneKey = (campaignCode: string, code: string) => `deadline-done:${campaignCode}:${code}`;

export interface DeadlineNewsEnv {
  db: Db;
  campaign: CampaignInfo;
  calendar: WorkCalendar;
  now: Date;
  log: Logger;
  send(to: { chatId: string }, content: OutgoingContent, purpose: string): Promise<void>;
}

/**
 * When the last outstanding compound of a deadline that had passed (and was announced as overdue) is done: one line
 * of good news to the 专班 and 领导小组 groups, once (its ledger row is written in the same transaction).
 */
export async function announceDoneDeadlines(env: DeadlineNewsEnv): Promise<string[]> {
  const today = localDate(env.now, env.campaign.timezone);
  const alerts = campaignSchedule(env.campaign, env.calendar, undefined, env.now).filter((e) => e.kind === 'deadline-overdue');
  const passed = env.campaign.definition.deadlines.filter((d) => d.scope !== 'phase' && d.date < today && alerts.some((e) => e.ref === d.code));
  if (!passed.length) return [];
  const announced = new Set(
    (await env.db.selectFrom('reminder_ledger').select('reminder_key').where('reminder_key', 'in', passed.map((d) => deadlineDoneKey(env.campaign.code, d.code))).execute()).map((r) => r.reminder_key),
  );
  const done: string[] = [];
  for (const d of passed) {
    if (announced.has(deadlineDoneKey(env.campaign.code, d.code)) || d.scope === 'phase') continue;
    const keys = alerts.filter((e) => e.ref === d.code).flatMap((e) => [overdueAlertKey(d.code, e.day, 'zhuanban'), overdueAlertKey(d.code, e.day, 'leaders')]);
    const alerted = await env.db.selectFrom('reminder_ledger').select('id').where('reminder_key', 'in', keys).where('status', '=', 'sent').executeTakeFirst();
    if (!alerted) continue;
    if ((await outstandingCount(env.db, env.campaign.id, d.scope, today)) > 0) continue;
    const inserted = await env.db
      .insertInto('reminder_ledger')
      .values({ reminder_key: deadlineDoneKey(env.campaign.code, d.code), kind: 'deadline-done', slot_at: env.now.toISOString(), status: 'sent', recorded_at: env.now.toISOString(), detail: 'good news' })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) continue;
    const late = daysBetween(d.date, today);
    const text = `【节点完成】${formatChineseDate(d.date)}节点“${d.title}”的任务已全部完成（比节点晚${late}天），感谢各社区的辛勤工作！`;
    for (const kind of ['zhuanban', 'leaders'] as const) {
      for (const chat of await chatsOfUnit(env.db, { kind })) await env.send({ chatId: chat.chatId }, { type: 'text', text }, 'deadline-done');
    }
    env.log.info({ deadline: d.code, late }, 'overdue deadline now done; good news sent');
    done.push(d.code);
  }
  return done;
}
