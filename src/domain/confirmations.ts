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
