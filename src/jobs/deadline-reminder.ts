import { defineJob, type JobContext, type PlanContext, type Slot } from '../scheduler/job.ts';
import type { CampaignDefinition } from '../campaign/schema.ts';
import { listCommunities } from '../domain/campaign.ts';
import { isCovered, isUpgradeDone, listCompounds } from '../domain/compounds.ts';
import { byCommunity, outstandingFor, outstandingLabel } from '../domain/gaps.ts';
import { communityStaff, responsiblePeople, textMentions } from '../domain/people.ts';
import { chatsOfUnit } from '../domain/chats.ts';
import { formatChineseDate } from '../calendar/dates.ts';
import { daysLeftLabel } from '../schedule/deadlines.ts';
import { entriesOf, noteLedger, sendToUnit } from './common.ts';
import { slotWithDetailExists } from '../db/ledger-store.ts';
import { deadlineAssessmentLines } from '../domain/assessment-outstanding.ts';

type Deadline = CampaignDefinition['deadlines'][number];
const KIND = 'deadline-reminder';

async function slots(ctx: PlanContext, from: Date, to: Date): Promise<Slot[]> {
  const entries = entriesOf(ctx, KIND, from, to);
  if (!entries.length) return [];
  const communities = await listCommunities(ctx.db, ctx.campaign.id);
  return entries.flatMap((e) => {
    const deadline = ctx.campaign.definition.deadlines.find((d) => d.code === e.ref);
    const base = { at: e.at, lateUntil: e.lateUntil };
    const data = { code: e.ref, day: e.day };
    const out: Slot[] = [{ ...base, key: `${KIND}:${e.ref}:${e.day}:zhuanban`, data: { ...data, to: 'zhuanban' } }];
    if (deadline && deadline.scope !== 'phase') {
      for (const c of communities) out.push({ ...base, key: `${KIND}:${e.ref}:${e.day}:community:${c.id}`, data: { ...data, to: 'community', communityId: c.id } });
    }
    return out;
  });
}

function responsibleName(def: CampaignDefinition, d: Deadline): string {
  return d.scope === 'coverage' ? def.responsible.coverage : d.scope === 'upgrade' ? def.responsible.upgrade : def.responsible.street;
}

/** Whether the 专班 already had the one line of good news for this deadline. */
async function goodNewsSent(ctx: JobContext, code: string): Promise<boolean> {
  return slotWithDetailExists(ctx.db, { prefix: `${KIND}:${code}:`, suffix: ':zhuanban' }, 'good news');
}

async function toZhuanban(ctx: JobContext, d: Deadline, day: string): Promise<void> {
  const chats = await chatsOfUnit(ctx.db, { kind: 'zhuanban' });
  if (!chats.length) return noteLedger(ctx, 'no 专班 group bound', true);
  const def = ctx.campaign.definition;
  const compounds = await listCompounds(ctx.db, ctx.campaign.id);
  const head = `【节点提醒】${formatChineseDate(d.date)}：${d.title}（${daysLeftLabel(day, d.date)}）`;
  const who = textMentions(await responsiblePeople(ctx.db, responsibleName(def, d)), responsibleName(def, d));
  let text: string;
  if (d.scope === 'phase') {
    const cov = compounds.filter((c) => c.track === 'coverage');
    const up = compounds.filter((c) => c.track === 'upgrade');
    text = `${head}\n当前进度：已入驻 ${cov.filter((c) => isCovered(c, day)).length}/${cov.length} 个小区，提升任务完成 ${up.filter(isUpgradeDone).length}/${up.length} 个小区。\n请 ${who} 统筹推进。`;
  } else {
    const left = outstandingFor(d.scope, compounds, day);
    if (!left.length) {
      if (await goodNewsSent(ctx, d.code)) return noteLedger(ctx, 'nothing outstanding', true);
      text = `【节点提醒】${formatChineseDate(d.date)}节点“${d.title}”的任务已全部完成，感谢各社区的辛勤工作！`;
      await noteLedger(ctx, 'good news', false);
    } else {
      const groups = byCommunity(left).map((g) => `- ${g.community}（${g.compounds.length}）：${g.compounds.map(outstandingLabel).join('、')}`);
      text = `${head}\n尚未完成 ${left.length} 个小区：\n${groups.join('\n')}\n请 ${who} 督促以上社区抓紧落实。`;
    }
  }
  // Assessments due by this deadline (考核验收): what is still unassessed.
  const assessments = await deadlineAssessmentLines(ctx.db, ctx.campaign, d, day);
  if (assessments.length) text = `${text}\n${assessments.join('\n')}`;
  for (const chat of chats) await ctx.send({ chatId: chat.chatId }, { type: 'text', text }, KIND);
}

async function toCommunity(ctx: JobContext, d: Deadline, day: string, communityId: number): Promise<void> {
  if (d.scope === 'phase') return noteLedger(ctx, 'phase deadline', true);
  const left = outstandingFor(d.scope, await listCompounds(ctx.db, ctx.campaign.id, { communityId }), day);
  if (!left.length) return noteLedger(ctx, 'nothing outstanding', true);
  const staff = textMentions(await communityStaff(ctx.db, communityId));
  const text = [
    `${staff ? `${staff} ` : ''}【节点提醒】${formatChineseDate(d.date)}前需完成：${d.title}（${daysLeftLabel(day, d.date)}）。`,
    `本社区尚未完成 ${left.length} 个小区：${left.map(outstandingLabel).join('、')}。`,
    `请抓紧落实，完成后@我更新。`,
  ].join('\n');
  const sent = await sendToUnit(ctx, { kind: 'community', communityId }, { type: 'text', text }, KIND);
  if (!sent) await noteLedger(ctx, 'no bound group', true);
}

/** 09:00 before each deadline: what is still outstanding, to the 专班 group and the community groups owning it. */
export default defineJob({
  name: KIND,
  slots,
  async run(ctx, slot) {
    const d = ctx.campaign.definition.deadlines.find((x) => x.code === slot.data?.code);
    if (!d) return noteLedger(ctx, 'deadline no longer in the campaign', true);
    const day = String(slot.data?.day);
    if (slot.data?.to === 'zhuanban') return toZhuanban(ctx, d, day);
    return toCommunity(ctx, d, day, Number(slot.data?.communityId));
  },
});
