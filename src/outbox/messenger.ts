import type { OutboxMessageRow } from '../db/schema.ts';

/** What delivering one outbox row produced. */
export interface Delivery {
  messageId?: string;
  /** The chat the message landed in, when the platform says (a send to an open_id lands in a direct chat). */
  chatId?: string;
  /** For file messages: the uploaded file's key, kept so a retry does not upload again. */
  fileKey?: string;
}

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
  deliver(row: OutboxMessageRow): Promise<Delivery>;
}
