import type { Db } from '../db/connect.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string | number;
  before: unknown;
  after: unknown;
  sourceKind: 'message' | 'card' | 'api' | 'cli' | 'system' | 'local';
  sourceRef: string | null;
  chatId: string | null;
  undoOf?: number | null;
}

/** Appends to the audit log: who, when, before, after, and the message or card action that caused it. */
export async function recordAudit(db: Db, entry: AuditEntry, at: Date): Promise<number> {
  const row = await db
    .insertInto('audit_log')
    .values({
      at: at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: String(entry.entityId),
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      source_kind: entry.sourceKind,
      source_ref: entry.sourceRef,
      chat_id: entry.chatId,
      undone_at: null,
      undo_of: entry.undoOf ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
