import type { Db } from '../db/connect.ts';

/** The campaign's compounds with their communities, for the 调度表 (order is applied by the caller). */
export async function reportCompounds(db: Db, campaignId: number) {
  return db
    .selectFrom('compounds')
    .innerJoin('communities', 'communities.id', 'compounds.community_id')
    .select(['compounds.id', 'compounds.name', 'compounds.track', 'compounds.ord', 'compounds.category', 'communities.name as community', 'communities.ord as community_ord'])
    .where('compounds.campaign_id', '=', campaignId)
    .execute();
}

/**
 * The takeover rows in force at `atIso` (recorded before it, superseded only after it, if ever) that started on
 * or before `asOfDate`, oldest recorded first.
 */
export async function takeoversInForce(db: Db, campaignId: number, atIso: string, asOfDate: string) {
  return db
    .selectFrom('takeovers')
    .innerJoin('compounds', 'compounds.id', 'takeovers.compound_id')
    .select([
      'takeovers.id', 'takeovers.compound_id', 'takeovers.company', 'takeovers.nature', 'takeovers.start_date', 'takeovers.services',
      'takeovers.manager', 'takeovers.phone', 'takeovers.remarks', 'takeovers.recorded_at',
    ])
    .where('compounds.campaign_id', '=', campaignId)
    .where('takeovers.recorded_at', '<', atIso)
    .where((eb) => eb.or([eb('takeovers.superseded_at', 'is', null), eb('takeovers.superseded_at', '>', atIso)]))
    .where('takeovers.start_date', '<=', asOfDate)
    .orderBy('takeovers.recorded_at')
    .orderBy('takeovers.id')
    .execute();
}

/** The current state of every upgrade action of the campaign. */
export async function upgradeActionStates(db: Db, campaignId: number) {
  return db
    .selectFrom('upgrade_actions')
    .innerJoin('compounds', 'compounds.id', 'upgrade_actions.compound_id')
    .select(['upgrade_actions.compound_id', 'upgrade_actions.action', 'upgrade_actions.state'])
    .where('compounds.campaign_id', '=', campaignId)
    .execute();
}

/** The frozen 调度表 (JSON) of a report period row, or null while it is open. */
export async function periodSnapshotById(db: Db, periodId: number): Promise<string | null> {
  const row = await db.selectFrom('report_periods').select(['snapshot']).where('id', '=', periodId).executeTakeFirstOrThrow();
  return row.snapshot;
}

/** The frozen 调度表 (JSON) of a campaign's period by due date, or null. */
export async function periodSnapshotByDue(db: Db, campaignId: number, due: string): Promise<string | null> {
  const row = await db
    .selectFrom('report_periods')
    .select('snapshot')
    .where('campaign_id', '=', campaignId)
    .where('due_date', '=', due)
    .executeTakeFirst();
  return row?.snapshot ?? null;
}

/** Freezes a period row's snapshot unless it is frozen already. */
export async function storePeriodSnapshot(db: Db, periodId: number, closedAt: Date, snapshotJson: string): Promise<void> {
  await db
    .updateTable('report_periods')
    .set({ closed_at: closedAt.toISOString(), snapshot: snapshotJson })
    .where('id', '=', periodId)
    .where('snapshot', 'is', null)
    .execute();
}

/** Grievances of the campaign created (not withdrawn) or resolved in [since, until), with compound and community. */
export async function grievancesChangedBetween(db: Db, campaignId: number, change: 'created' | 'resolved', since: string, until: string) {
  const base = db
    .selectFrom('grievances')
    .innerJoin('compounds', 'compounds.id', 'grievances.compound_id')
    .innerJoin('communities', 'communities.id', 'compounds.community_id')
    .select([
      'grievances.code', 'compounds.name as compound', 'communities.name as community', 'grievances.text', 'grievances.status',
      'grievances.created_at', 'grievances.resolved_at', 'grievances.result',
    ])
    .where('compounds.campaign_id', '=', campaignId);
  const q = change === 'created'
    ? base.where('grievances.status', '<>', '已撤回').where('grievances.created_at', '>=', since).where('grievances.created_at', '<', until)
    : base.where('grievances.status', '=', '已办结').where('grievances.resolved_at', '>=', since).where('grievances.resolved_at', '<', until);
  return q.orderBy('grievances.id').execute();
}
