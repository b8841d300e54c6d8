import type { Db } from '../db/connect.ts';
import { type ReportPeriod, ensurePeriodRow } from './periods.ts';

export type ConfirmResult =
  | { status: 'confirmed'; id: number }
  | { status: 'already'; id: number; confirmedAt: string; confirmedBy: string };

/** Records that a community confirmed its data for a period; a second confirmation changes nothing. */
export async function confirmCommunity(
  db: Db,
  args: { campaignId: number; period: ReportPeriod; communityId: number; by: string; at: Date; sourceRef: string | null },
): Promise<ConfirmResult> {
  const periodId = await ensurePeriodRow(db, args.campaignId, args.period);
  const existing = await db
    .selectFrom('report_confirmations')
    .select(['id', 'confirmed_at', 'confirmed_by'])
    .where('period_id', '=', periodId)
    .where('community_id', '=', args.communityId)
    .executeTakeFirst();
  if (existing) return { status: 'already', id: existing.id, confirmedAt: existing.confirmed_at, confirmedBy: existing.confirmed_by };
  const row = await db
    .insertInto('report_confirmations')
    .values({ period_id: periodId, community_id: args.communityId, confirmed_by: args.by, confirmed_at: args.at.toISOString(), source_ref: args.sourceRef })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { status: 'confirmed', id: row.id };
}

/** The confirmation of a community for the period due on `due`, with the confirming person's name when known. */
export async function findConfirmation(
  db: Db,
  campaignId: number,
  due: string,
  communityId: number,
): Promise<{ confirmedAt: string; confirmedBy: string; confirmedByName: string | null } | null> {
  const row = await db
    .selectFrom('report_confirmations')
    .innerJoin('report_periods', 'report_periods.id', 'report_confirmations.period_id')
    .select(['report_confirmations.confirmed_at', 'report_confirmations.confirmed_by'])
    .where('report_periods.campaign_id', '=', campaignId)
    .where('report_periods.due_date', '=', due)
    .where('report_confirmations.community_id', '=', communityId)
    .executeTakeFirst();
  if (!row) return null;
  const person = await db
    .selectFrom('role_bindings')
    .select('display_name')
    .where('open_id', '=', row.confirmed_by)
    .where('display_name', 'is not', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return { confirmedAt: row.confirmed_at, confirmedBy: row.confirmed_by, confirmedByName: person?.display_name ?? null };
}
