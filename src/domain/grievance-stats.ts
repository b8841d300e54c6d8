import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { CampaignInfo } from './campaign.ts';
import { grievanceOverdueSql } from './progress.ts';

export interface DepartmentGrievances {
  /** The routed department's name, or null when not yet routed. */
  department: string | null;
  open: number;
  overdue: number;
}

/** Open and overdue grievances per department (SQL aggregates, the same rules as 进度), most overdue first. */
export async function grievancesByDepartment(db: Db, campaign: CampaignInfo, now: Date): Promise<DepartmentGrievances[]> {
  const nowIso = now.toISOString();
  const rows = await db
    .selectFrom('grievances')
    .innerJoin('compounds', 'compounds.id', 'grievances.compound_id')
    .leftJoin('departments', 'departments.id', 'grievances.department_id')
    .select([
      'departments.name as department',
      sql<number>`SUM(CASE WHEN grievances.status <> '已办结' THEN 1 ELSE 0 END)`.as('open'),
      sql<number>`SUM(CASE WHEN ${grievanceOverdueSql(nowIso)} THEN 1 ELSE 0 END)`.as('overdue'),
    ])
    .where('compounds.campaign_id', '=', campaign.id)
    .groupBy('departments.name')
    .execute();
  return rows
    .map((r) => ({ department: r.department ?? null, open: Number(r.open ?? 0), overdue: Number(r.overdue ?? 0) }))
    .filter((r) => r.open > 0)
    .sort((a, b) => b.overdue - a.overdue || b.open - a.open || String(a.department).localeCompare(String(b.department)));
}

/** Grievances recorded since `since` (in the campaign). */
export async function grievancesRecordedSince(db: Db, campaign: CampaignInfo, since: Date): Promise<number> {
  const r = await db
    .selectFrom('grievances')
    .innerJoin('compounds', 'compounds.id', 'grievances.compound_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('compounds.campaign_id', '=', campaign.id)
    .where('grievances.created_at', '>=', since.toISOString())
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
