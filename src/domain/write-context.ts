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

/** Audit entity names of the compound data the compound card's edit form changes. */
export const COMPOUND_FORM_ENTITIES = ['takeover', 'category', 'upgrade_action'] as const;

/** Audit entity names of the changes 撤销 can revert. */
export const UNDOABLE_ENTITIES = [...COMPOUND_FORM_ENTITIES, 'disclosure', 'committee', 'assessment', 'subsidy', 'company_record'] as const;
export type UndoableEntity = (typeof UNDOABLE_ENTITIES)[number];

/** Audit entities shown in a compound's history (最近修改) on its card. */
export const COMPOUND_HISTORY_ENTITIES = [...COMPOUND_FORM_ENTITIES, 'disclosure', 'committee'] as const;
