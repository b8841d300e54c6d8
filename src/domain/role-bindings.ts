import type { Selectable } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { RoleBindingsTable } from '../db/schema.ts';

export type RoleBindingRow = Selectable<RoleBindingsTable>;

/** The bindings of a person that are in force (normally one). */
export async function activeBindings(db: Db, openId: string): Promise<RoleBindingRow[]> {
  return db.selectFrom('role_bindings').selectAll().where('open_id', '=', openId).where('revoked_at', 'is', null).execute();
}

/** The newest binding in force, with the names of its community and department (who someone is to the bot). */
export async function currentBinding(db: Db, openId: string) {
  return db
    .selectFrom('role_bindings')
    .leftJoin('communities', 'communities.id', 'role_bindings.community_id')
    .leftJoin('departments', 'departments.id', 'role_bindings.department_id')
    .select([
      'role_bindings.role', 'role_bindings.display_name', 'role_bindings.community_id', 'role_bindings.department_id',
      'communities.name as community_name', 'departments.name as department_name',
    ])
    .where('role_bindings.open_id', '=', openId)
    .where('role_bindings.revoked_at', 'is', null)
    .orderBy('role_bindings.id', 'desc')
    .executeTakeFirst();
}

/** Ends every binding of a person in force. */
export async function revokeBindings(db: Db, openId: string, at: Date, by: string): Promise<void> {
  await db.updateTable('role_bindings').set({ revoked_at: at.toISOString(), revoked_by: by }).where('open_id', '=', openId).where('revoked_at', 'is', null).execute();
}

/** Binds a person to a role; returns the binding's id. */
export async function addBinding(
  db: Db,
  b: { openId: string; displayName: string | null; role: string; communityId: number | null; departmentId: number | null; boundBy: string; at: Date },
): Promise<number> {
  const row = await db
    .insertInto('role_bindings')
    .values({
      open_id: b.openId, display_name: b.displayName, role: b.role, community_id: b.communityId, department_id: b.departmentId,
      person_id: null, bound_by: b.boundBy, bound_at: b.at.toISOString(), revoked_at: null, revoked_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
