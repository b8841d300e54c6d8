import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { isPostgres } from '../db/dialect.ts';

/**
 * Grievance counts kept per community, status and the instant the grievance becomes overdue, so 进度 and 待办 count
 * hundreds of thousands of grievances by reading a few thousand tally rows: open and resolved are sums, overdue
 * is the sum of the rows whose instant has passed (dues fall on working-day boundaries, so the instants are few).
 * Every write of a grievance's status or deadlines adjusts the tallies in the same transaction
 * (createGrievance, the status changes, withdrawal); `rebuildGrievanceTallies` recounts them from the grievances
 * (migration, campaign import, data loaded in bulk).
 */

/** The overdue instant of a grievance that can never be overdue (sorts after every ISO instant). */
export const NEVER_OVERDUE = '9999-12-31T23:59:59.999Z';

export interface TallyKey {
  communityId: number;
  status: string;
  acceptDueAt: string | null;
  resolveDueAt: string | null;
}

/**
 * When a grievance becomes overdue, by the rule in grievanceOverdueSql: not accepted by its acceptance limit (待受理,
 * 已转办), or not resolved by its resolution limit (待受理, 处理中, 已转办); 已办结 and 已撤回 never are.
 */
export function overdueInstant(status: string, acceptDueAt: string | null, resolveDueAt: string | null): string {
  if (status === '待受理' || status === '已转办') {
    const limits = [acceptDueAt, resolveDueAt].filter((x): x is string => x !== null).sort();
    return limits[0] ?? NEVER_OVERDUE;
  }
  if (status === '处理中') return resolveDueAt ?? NEVER_OVERDUE;
  return NEVER_OVERDUE;
}

/**
 * The same instant as SQL over the grievances table (for recounting), as ISO text on both databases: on PostgreSQL
 * the due columns are timestamptz, so they are printed as `toISOString()` would (the tallies' text key must match
 * what `overdueInstant` computes).
 */
export function overdueInstantSql(db: Db) {
  const iso = (column: 'accept_due_at' | 'resolve_due_at') =>
    isPostgres(db)
      ? sql<string>`to_char(${sql.ref(`grievances.${column}`)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : sql.ref(`grievances.${column}`);
  return sql<string>`CASE
    WHEN grievances.status IN ('待受理', '已转办') THEN
      CASE WHEN grievances.accept_due_at IS NULL THEN COALESCE(${iso('resolve_due_at')}, ${sql.lit(NEVER_OVERDUE)})
           WHEN grievances.resolve_due_at IS NULL OR grievances.accept_due_at < grievances.resolve_due_at THEN ${iso('accept_due_at')}
           ELSE ${iso('resolve_due_at')} END
    WHEN grievances.status = '处理中' THEN COALESCE(${iso('resolve_due_at')}, ${sql.lit(NEVER_OVERDUE)})
    ELSE ${sql.lit(NEVER_OVERDUE)} END`;
}

/** Adds (+1) or removes (−1) one grievance in the tallies. */
export async function tallyGrievance(db: Db, g: TallyKey, delta: 1 | -1): Promise<void> {
  await db
    .insertInto('grievance_tallies')
    .values({ community_id: g.communityId, status: g.status, overdue_at: overdueInstant(g.status, g.acceptDueAt, g.resolveDueAt), n: delta })
    .onConflict((oc) => oc.columns(['community_id', 'status', 'overdue_at']).doUpdateSet({ n: (eb) => eb('grievance_tallies.n', '+', eb.ref('excluded.n')) }))
    .execute();
}

/** Moves one grievance from its old state to its new one in the tallies (nothing when the key is unchanged). */
export async function retallyGrievance(db: Db, before: TallyKey, after: TallyKey): Promise<void> {
  const same = before.communityId === after.communityId && before.status === after.status
    && overdueInstant(before.status, before.acceptDueAt, before.resolveDueAt) === overdueInstant(after.status, after.acceptDueAt, after.resolveDueAt);
  if (same) return;
  await tallyGrievance(db, before, -1);
  await tallyGrievance(db, after, 1);
}

/** Recounts every tally from the grievances table. */
export async function rebuildGrievanceTallies(db: Db): Promise<void> {
  await db.deleteFrom('grievance_tallies').execute();
  await db
    .insertInto('grievance_tallies')
    .columns(['community_id', 'status', 'overdue_at', 'n'])
    .expression((eb) =>
      eb
        .selectFrom('grievances')
        .innerJoin('compounds', 'compounds.id', 'grievances.compound_id')
        .select(['compounds.community_id', 'grievances.status', overdueInstantSql(db).as('overdue_at'), sql<number>`COUNT(*)`.as('n')])
        .groupBy(['compounds.community_id', 'grievances.status', overdueInstantSql(db)]),
    )
    .execute();
}

/** How many grievances of a campaign (or one community) have these statuses, overdue at `overdueAt` when given. */
export async function countFromTallies(
  db: Db, campaignId: number, scope: { communityId?: number; statuses: readonly string[]; overdueAt?: string },
): Promise<number> {
  let q = db
    .selectFrom('grievance_tallies')
    .innerJoin('communities', 'communities.id', 'grievance_tallies.community_id')
    .select(sql<number>`COALESCE(SUM(grievance_tallies.n), 0)`.as('n'))
    .where('communities.campaign_id', '=', campaignId)
    .where('grievance_tallies.status', 'in', [...scope.statuses]);
  if (scope.communityId !== undefined) q = q.where('grievance_tallies.community_id', '=', scope.communityId);
  if (scope.overdueAt) q = q.where('grievance_tallies.overdue_at', '<', scope.overdueAt);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}
