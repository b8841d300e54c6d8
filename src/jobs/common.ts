import type { JobContext, PlanContext, Slot } from '../scheduler/job.ts';
import { type ScheduleEntry, type ScheduleKind, campaignSchedule } from '../schedule/schedule.ts';
import { type CommunityInfo, listCommunities } from '../domain/campaign.ts';
import { type ReportPeriod, confirmedCommunityIds, periodByDue } from '../domain/periods.ts';
import { chatsOfUnit } from '../domain/chats.ts';
import type { OutgoingContent } from '../bot/types.ts';
import { noteSlot } from '../db/ledger-store.ts';

/** The schedule entries of one kind whose time lies in [from, to]. */
export function entriesOf(ctx: PlanContext, kind: ScheduleKind, from: Date, to: Date): ScheduleEntry[] {
  return campaignSchedule(ctx.campaign, ctx.calendar, from, to).filter((e) => e.kind === kind);
}

/** One slot per community of the campaign for each entry: `<kind>:<ref>:community:<id>`. */
export async function communitySlots(ctx: PlanContext, kind: ScheduleKind, from: Date, to: Date): Promise<Slot[]> {
  const entries = entriesOf(ctx, kind, from, to);
  if (!entries.length) return [];
  const communities = await listCommunities(ctx.db, ctx.campaign.id);
  return entries.flatMap((e) =>
    communities.map((c) => ({ key: `${kind}:${e.ref}:community:${c.id}`, at: e.at, lateUntil: e.lateUntil, data: { due: e.ref, communityId: c.id } })),
  );
}

/** One slot per entry for the 专班 group: `<kind>:<ref>:zhuanban`. */
export function zhuanbanSlots(ctx: PlanContext, kind: ScheduleKind, from: Date, to: Date): Slot[] {
  return entriesOf(ctx, kind, from, to).map((e) => ({ key: `${kind}:${e.ref}:zhuanban`, at: e.at, lateUntil: e.lateUntil, data: { due: e.ref } }));
}

/** Notes on the slot's ledger row why nothing (or what) was sent: status 'skipped' when nothing went out. */
export async function noteLedger(ctx: JobContext, detail: string, skipped: boolean): Promise<void> {
  await noteSlot(ctx.db, ctx.slot.key, { detail, ...(skipped ? { status: 'skipped' } : {}) });
  if (skipped) ctx.log.info({ key: ctx.slot.key, reason: detail }, 'scheduled reminder had nothing to send');
}

export function periodOfSlot(ctx: JobContext, slot: Slot): ReportPeriod {
  const due = String(slot.data?.due);
  const p = periodByDue(ctx.campaign, ctx.calendar, due);
  if (!p) throw new Error(`no report period due ${due}`);
  return p;
}

/**
 * The period and community of a per-community slot, or null (noted in the ledger as skipped) when the
 * community has already confirmed that period or no longer exists.
 */
export async function unconfirmedCommunityOfSlot(ctx: JobContext, slot: Slot): Promise<{ period: ReportPeriod; community: CommunityInfo } | null> {
  const period = periodOfSlot(ctx, slot);
  const communityId = Number(slot.data?.communityId);
  if ((await confirmedCommunityIds(ctx.db, ctx.campaign.id, period.due)).has(communityId)) {
    await noteLedger(ctx, 'already confirmed', true);
    return null;
  }
  const community = (await listCommunities(ctx.db, ctx.campaign.id)).find((c) => c.id === communityId);
  if (!community) {
    await noteLedger(ctx, 'community not found', true);
    return null;
  }
  return { period, community };
}

/** Whether the community of a per-community slot has already confirmed its period (a prepare step can skip it). */
export async function slotConfirmed(ctx: PlanContext, slot: Slot): Promise<boolean> {
  return (await confirmedCommunityIds(ctx.db, ctx.campaign.id, String(slot.data?.due))).has(Number(slot.data?.communityId));
}

/** Sends to every working group of a unit; returns how many groups got it. */
export async function sendToUnit(
  ctx: JobContext,
  unit: { kind: 'community'; communityId: number } | { kind: 'zhuanban' },
  content: OutgoingContent,
  purpose: string,
): Promise<number> {
  const chats = await chatsOfUnit(ctx.db, unit);
  for (const chat of chats) await ctx.send({ chatId: chat.chatId }, content, purpose);
  return chats.length;
}
