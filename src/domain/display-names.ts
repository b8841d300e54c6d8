import type { Db } from '../db/connect.ts';

/** The names bound users were given (by open_id), for showing who recorded something. */
export async function displayNames(db: Db, openIds: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set(openIds)];
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('role_bindings').select(['open_id', 'display_name']).where('open_id', 'in', ids).orderBy('id').execute();
  return new Map(rows.filter((r) => r.display_name).map((r) => [r.open_id, r.display_name!]));
}
