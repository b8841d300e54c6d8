import type { Db } from '../db/connect.ts';
import type { DayOverride, OverrideKind, WorkCalendar } from '../calendar/workdays.ts';
import { campaignCalendarDays } from '../campaign/schema.ts';
import type { CampaignInfo } from './campaign.ts';

export interface AdminOverride {
  id: number;
  date: string;
  kind: OverrideKind;
  name: string | null;
  createdBy: string;
  createdAt: string;
}

/** The overrides admins entered with 日历 that are still in force, by date. */
export async function adminOverrides(db: Db, campaignId: number): Promise<AdminOverride[]> {
  const rows = await db
    .selectFrom('calendar_overrides')
    .select(['id', 'date', 'kind', 'name', 'created_by', 'created_at'])
    .where('campaign_id', '=', campaignId)
    .where('removed_at', 'is', null)
    .orderBy('date')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, date: r.date, kind: r.kind, name: r.name, createdBy: r.created_by, createdAt: r.created_at }));
}

/** Every correction of the official calendar: the campaign file's, then the admins' (which win on the same date). */
export async function loadCalendarOverrides(db: Db, campaign: CampaignInfo): Promise<DayOverride[]> {
  const fromFile: DayOverride[] = campaignCalendarDays(campaign.definition).map((d) => ({ ...d, source: 'campaign' }));
  const fromAdmins: DayOverride[] = (await adminOverrides(db, campaign.id)).map((o) => ({ date: o.date, kind: o.kind, name: o.name, source: 'admin' }));
  return [...fromFile, ...fromAdmins];
}

/** Brings the calendar in line with the database (another instance's admin may have changed it). */
export async function refreshCalendar(db: Db, campaign: CampaignInfo, calendar: WorkCalendar): Promise<boolean> {
  return calendar.setOverrides(await loadCalendarOverrides(db, campaign));
}

/** Records an admin's override of one date; an earlier one for that date is replaced (and kept as history). */
export async function setAdminOverride(
  db: Db,
  args: { campaignId: number; date: string; kind: OverrideKind; name: string | null; by: string; at: Date },
): Promise<{ id: number; replaced: AdminOverride | null }> {
  const at = args.at.toISOString();
  const previous = (await adminOverrides(db, args.campaignId)).find((o) => o.date === args.date) ?? null;
  if (previous) await db.updateTable('calendar_overrides').set({ removed_at: at, removed_by: args.by }).where('id', '=', previous.id).execute();
  const row = await db
    .insertInto('calendar_overrides')
    .values({ campaign_id: args.campaignId, date: args.date, kind: args.kind, name: args.name, created_by: args.by, created_at: at, removed_at: null, removed_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, replaced: previous };
}

/** Withdraws an admin's override of a date; null when there was none. */
export async function removeAdminOverride(db: Db, args: { campaignId: number; date: string; by: string; at: Date }): Promise<AdminOverride | null> {
  const previous = (await adminOverrides(db, args.campaignId)).find((o) => o.date === args.date) ?? null;
  if (!previous) return null;
  await db.updateTable('calendar_overrides').set({ removed_at: args.at.toISOString(), removed_by: args.by }).where('id', '=', previous.id).execute();
  return previous;
}
