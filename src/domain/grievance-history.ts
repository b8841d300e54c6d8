import type { Db } from '../db/connect.ts';

export interface GrievanceHistoryEntry {
  at: string;
  /** The person's display name as bound, or null when the bot never learnt it. */
  actorName: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  department: string | null;
  note: string | null;
}

/** Every step of one grievance, oldest first: recorded, accepted, transferred, resolved, withdrawn. */
export async function grievanceHistory(db: Db, grievanceId: number): Promise<GrievanceHistoryEntry[]> {
  const rows = await db
    .selectFrom('grievance_events')
    .leftJoin('departments', 'departments.id', 'grievance_events.department_id')
    .select([
      'grievance_events.at', 'grievance_events.actor', 'grievance_events.action', 'grievance_events.from_status',
      'grievance_events.to_status', 'grievance_events.note', 'departments.name as department',
    ])
    .where('grievance_events.grievance_id', '=', grievanceId)
    .orderBy('grievance_events.id')
    .execute();
  const actors = [...new Set(rows.map((r) => r.actor))];
  const names = new Map<string, string>();
  if (actors.length) {
    const bound = await db.selectFrom('role_bindings').select(['open_id', 'display_name']).where('open_id', 'in', actors).where('display_name', 'is not', null).orderBy('id').execute();
    for (const b of bound) names.set(b.open_id, b.display_name!);
  }
  return rows.map((r) => ({
    at: r.at, actorName: names.get(r.actor) ?? null, action: r.action, fromStatus: r.from_status, toStatus: r.to_status,
    department: r.department, note: r.note,
  }));
}
