import { defineJob, type JobContext, type PlanContext, type Slot } from '../scheduler/job.ts';
import { defineReaction } from '../bot/command.ts';
import type { CampaignDefinition } from '../campaign/schema.ts';
import { listCommunities } from '../domain/campaign.ts';
import { type CompoundView, listCompounds } from '../domain/compounds.ts';
import { byCommunity, outstandingFor, outstandingLabel } from '../domain/gaps.ts';
import { announceDoneDeadlines, overdueAlertKey } from '../domain/overdue.ts';
import { communityStaff, responsiblePeople, textMentions } from '../domain/people.ts';
import { chatsOfUnit } from '../domain/chats.ts';
import { formatChineseDate, localDate } from '../calendar/dates.ts';
import { daysBetween } from '../schedule/deadlines.ts';
import { entriesOf, noteLedger, sendToUnit } from './common.ts';

type Deadline = CampaignDefinition['deadlines'][number];
const KIND = 'deadline-overdue';
/** A city's list is long: name this many compounds per community, and this many communities, then count the rest. */
const NAMES_PER_COMMUNITY = 30;
const COMMUNITIES_LISTED = 30;

async function slots(ctx: PlanContext, from: Date, to: Date): Promise<Slot[]> {
  const entries = entriesOf(ctx, KIND, from, to);
  if (!entries.length) return [];
  const communities = await listCommunities(ctx.db, ctx.campaign.id);
  return entries.flatMap((e) => {
    const base = { at: e.at, lateUntil: e.lateUntil };
    const data = { code: e.ref, day: e.day, round: e.overdueRound ?? 0 };
    return [
      { ...base, key: overdueAlertKey(e.ref, e.day, 'zhuanban'), data: { ...data, to: 'zhuanban' } },
      { ...base, key: overdueAlertKey(e.ref, e.day, 'leaders'), data: { ...data, to: 'leaders' } },
      ...communities.map((c) => ({ ...base, key: overdueAlertKey(e.ref, e.day, `community:${c.id}`), data: { ...data, to: 'community', communityId: c.id } })),
    ];
  });
}

/** `11月15日节点已过` the first time, `11月15日节点已过8天` on the repeats. */
function passedLabel(d: Deadline, today: string, round: number): string {
  return `${formatChineseDate(d.date)}节点已过${round > 0 ? `${daysBetween(d.date, today)}天` : ''}`;
}

function groupLines(left: CompoundView[]): string[] {
  const groups = byCommunity(left);
  const lines = groups.slice(0, COMMUNITIES_LISTED).map((g) => {
    const shown = g.compounds.slice(0, NAMES_PER_COMMUNITY).map(outstandingLabel).join('、');
    const more = g.compounds.length > NAMES_PER_COMMUNITY ? ` 等 ${g.compounds.length} 个` : '';
    return `- ${g.community}（${g.compounds.length}）：${shown}${more}`;
  });
  const rest = groups.slice(COMMUNITIES_LISTED);
  if (rest.length) lines.push(`- 其余 ${rest.length} 个社区共 ${rest.reduce((n, g) => n + g.compounds.length, 0)} 个小区`);
  return lines;
}

function responsibleName(def: CampaignDefinition, d: Deadline): string {
  return d.scope === 'coverage' ? def.responsible.coverage : d.scope === 'upgrade' ? def.responsible.upgrade : def.responsible.street;
}

async function toGroups(ctx: JobContext, d: Deadline, unit: 'zhuanban' | 'leaders', round: number): Promise<void> {
  const today = localDate(ctx.now, ctx.campaign.timezone);
  const left = outstandingFor(d.scope, await listCompounds(ctx.db, ctx.campaign.id), today);
  if (!left.length) {
    // Done since the last alert: the good news goes (once, and only if an alert went out before), not a nag.
    await noteLedger(ctx, 'nothing outstanding', true);
    await announceDoneDeadlines(ctx);
    return;
  }
  const chats = await chatsOfUnit(ctx.db, { kind: unit });
  if (!chats.length) return noteLedger(ctx, `no ${unit === 'zhuanban' ? '专班' : '领导小组'} group bound`, true);
  const def = ctx.campaign.definition;
  const name = responsibleName(def, d);
  const who = unit === 'zhuanban' ? textMentions(await responsiblePeople(ctx.db, name), name) : name;
  const text = [
    `【节点逾期】${passedLabel(d, today, round)}，仍有 ${left.length} 个小区未完成：`,
    ...groupLines(left),
    `节点任务：${d.title}。`,
    unit === 'zhuanban' ? `请 ${who} 督促以上社区抓紧落实，完成后@我更新。` : `责任人：${who}。专班正在督促落实，未完成前每周提醒一次。`,
  ].join('\n');
  for (const chat of chats) await ctx.send({ chatId: chat.chatId }, { type: 'text', text }, KIND);
  await noteLedger(ctx, `${left.length} outstanding`, false);
}

async function toCommunity(ctx: JobContext, d: Deadline, communityId: number, round: number): Promise<void> {
  const today = localDate(ctx.now, ctx.campaign.timezone);
  const left = outstandingFor(d.scope, await listCompounds(ctx.db, ctx.campaign.id, { communityId }), today);
  if (!left.length) return noteLedger(ctx, 'nothing outstanding', true);
  const staff = textMentions(await communityStaff(ctx.db, communityId));
  const text = [
    `${staff ? `${staff} ` : ''}【节点逾期】${passedLabel(d, today, round)}（${d.title}），本社区仍有 ${left.length} 个小区未完成：${left.map(outstandingLabel).join('、')}。`,
    '请抓紧落实，完成后@我更新。',
  ].join('\n');
  const sent = await sendToUnit(ctx, { kind: 'community', communityId }, { type: 'text', text }, KIND);
  if (!sent) await noteLedger(ctx, 'no bound group', true);
}

/**
 * The morning after a deadline passed with work outstanding (and every week after, until it is done or the
 * campaign ends): what is still outstanding, to the 专班 and 领导小组 groups and to each community that owns some.
 */
export default defineJob({
  name: KIND,
  slots,
  async run(ctx, slot) {
    const d = ctx.campaign.definition.deadlines.find((x) => x.code === slot.data?.code);
    if (!d || d.scope === 'phase') return noteLedger(ctx, 'deadline no longer in the campaign', true);
    const round = Number(slot.data?.round ?? 0);
    if (slot.data?.to === 'community') return toCommunity(ctx, d, Number(slot.data.communityId), round);
    return toGroups(ctx, d, slot.data?.to === 'leaders' ? 'leaders' : 'zhuanban', round);
  },
});

/** The good news as soon as the last outstanding compound of an overdue deadline is recorded, with that reply. */
export const deadlineDoneReaction = defineReaction({
  name: 'deadline-done',
  async run(ctx, changed) {
    if (!changed.has('takeover') && !changed.has('upgrade_action')) return;
    await announceDoneDeadlines(ctx);
  },
});
