import type { OutboxMessageRow } from '../db/schema.ts';

/** What delivering one outbox row produced. */
export interface Delivery {
  messageId?: string;
  /** The chat the message landed in, when the platform says (a send to an open_id lands in a direct chat). */
  chatId?: string;
  /** For file messages: the uploaded file's key, kept so a retry does not upload again. */
  fileKey?: string;
  /** For 加急: the users Lark did not make it urgent for (they get the plain fallback message instead). */
  invalidUserIds?: string[];
}

/** Who has read one of the bot's own messages; `known: false` when it cannot be told (no scope, too old, local mode). */
export type ReadReceipt = { known: true; readers: Set<string> } | { known: false; reason: string };

export type FailureKind = 'retry' | 'rate_limited' | 'permanent';

/** A failed delivery, classified so the sender knows whether and when to try again. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly retryAfterMs?: number,
    readonly fileKey?: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** The port the outbox sends through: the Lark Open API, or the terminal in local mode. */
export interface Messenger {
  /** Sends, replies, patches a card, or carries out an action such as 加急 (`op: 'urgent_app'`). */
  deliver(row: OutboxMessageRow): Promise<Delivery>;
  /** Read receipts of a message the bot sent (a read, not an effect: safe to repeat, no outbox row). */
  readReceipts?(messageId: string): Promise<ReadReceipt>;
}
