import type { Db } from '../db/connect.ts';
import { inChunks } from '../db/chunks.ts';

/** The names bound users were given (by open_id), for showing who recorded something. */
export async function displayNames(db: Db, openIds: Iterable<string>): Promise<Map<string, string>> {
  const rows = await inChunks(openIds, (ids) => db.selectFrom('role_bindings').select(['id', 'open_id', 'display_name']).where('open_id', 'in', ids).execute());
  rows.sort((a, b) => a.id - b.id);
  return new Map(rows.filter((r) => r.display_name).map((r) => [r.open_id, r.display_name!]));
}
