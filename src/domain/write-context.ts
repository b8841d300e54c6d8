import type { Db } from '../db/connect.ts';
import type { Actor } from '../auth/actor.ts';
import type { AuditEntry } from './audit.ts';

/** What a domain write needs from a message or card context: the transaction, who, when, from where. */
export interface WriteContext {
  db: Db;
  now: Date;
  actor: Actor;
  chat: { id: string };
  source: { kind: 'message' | 'card' | 'system'; ref: string | null };
  audit(entry: Omit<AuditEntry, 'actor' | 'sourceKind' | 'sourceRef' | 'chatId'>): Promise<number>;
}

/** Audit entity names of the changes 撤销 can revert. */
export const UNDOABLE_ENTITIES = ['takeover', 'category', 'upgrade_action'] as const;
export type UndoableEntity = (typeof UNDOABLE_ENTITIES)[number];
