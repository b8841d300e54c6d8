import type { Db } from '../db/connect.ts';

/** The contract shape of GET /api/v1/grievances (DESIGN §3.2). */
export interface GrievanceJson {
  id: string;
  compound: string;
  community: string;
  text: string;
  department: string | null;
  status: string;
  createdAt: string;
  resolvedAt: string | null;
  result: string | null;
}

export async function listGrievances(db: Db, campaignId: number, filter: { status?: string } = {}): Promise<GrievanceJson[]> {
  let q = db
    .selectFrom('grievances')
    .innerJoin('compounds', 'compounds.id', 'grievances.compound_id')
    .innerJoin('communities', 'communities.id', 'compounds.community_id')
    .leftJoin('departments', 'departments.id', 'grievances.department_id')
    .select([
      'grievances.code', 'compounds.name as compound', 'communities.name as community', 'grievances.text',
      'departments.name as department', 'grievances.status', 'grievances.created_at', 'grievances.resolved_at', 'grievances.result',
    ])
    .where('compounds.campaign_id', '=', campaignId);
  if (filter.status) q = q.where('grievances.status', '=', filter.status);
  const rows = await q.orderBy('grievances.id').execute();
  return rows.map((r) => ({
    id: r.code,
    compound: r.compound,
    community: r.community,
    text: r.text,
    department: r.department,
    status: r.status,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    result: r.result,
  }));
}
