import type { Db } from '../db/connect.ts';
import { COMPOUND_FORM_ENTITIES, COMPOUND_HISTORY_ENTITIES } from './write-context.ts';

export interface HistoryEntry {
  id: number;
  at: string;
  actorName: string;
  action: string;
  entity: string;
  /** For upgrade actions, the action's name (环境卫生 …). */
  subject: string | null;
  before: unknown;
  after: unknown;
  undone: boolean;
}

/** The latest audit entries about one compound (takeover, category, actions), newest first. */
export async function compoundHistory(db: Db, compoundId: number, limit = 5): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('audit_log').selectAll()
    .where('entity', 'in', [...COMPOUND_HISTORY_ENTITIES])
    .where((eb) => eb.or([eb('entity_id', '=', String(compoundId)), eb('entity_id', 'like', `${compoundId}:%`)]))
    .orderBy('id', 'desc').limit(limit).execute();
  const actors = [...new Set(rows.map((r) => r.actor))];
  const names = actors.length
    ? await db.selectFrom('role_bindings').select(['open_id', 'display_name']).where('open_id', 'in', actors).orderBy('id').execute()
    : [];
  const nameOf = new Map(names.filter((n) => n.display_name).map((n) => [n.open_id, n.display_name!]));
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorName: nameOf.get(r.actor) ?? '管理员',
    action: r.action,
    entity: r.entity,
    subject: r.entity === 'upgrade_action' ? r.entity_id.slice(r.entity_id.indexOf(':') + 1) : null,
    before: r.before ? JSON.parse(r.before) : null,
    after: r.after ? JSON.parse(r.after) : null,
    undone: r.undone_at !== null,
  }));
}

/** The newest audit id touching the compound's form data: a card issued before a later change is stale. */
export async function compoundVersion(db: Db, compoundId: number): Promise<number> {
  const r = await db
    .selectFrom('audit_log').select('id')
    .where('entity', 'in', [...COMPOUND_FORM_ENTITIES])
    .where((eb) => eb.or([eb('entity_id', '=', String(compoundId)), eb('entity_id', 'like', `${compoundId}:%`)]))
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r?.id ?? 0;
}

/** The newest audit id overall: stored in a card so a later change to its compound can be noticed. */
export async function auditHighWater(db: Db): Promise<number> {
  const r = await db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r?.id ?? 0;
}
