import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import type { OutgoingContent } from '../bot/types.ts';
import type { RoutingModel } from '../routing/model.ts';

/** One short transaction of follow-up work: what it writes and sends commits together. */
export interface FollowUpTransaction {
  db: Db;
  now: Date;
  campaign: CampaignInfo;
  calendar: WorkCalendar;
  log: Logger;
  routing: RoutingModel;
  /** Sends through the outbox; the uuid derives from the transaction's cause, so a redo sends nothing twice. */
  send(to: { chatId: string } | { openId: string }, content: OutgoingContent, purpose?: string): Promise<void>;
  issueCardToken(kind: string, payload: Record<string, unknown>, ttlMs?: number): Promise<string>;
}

export interface FollowUpContext {
  /** The database itself, not a transaction: slow calls (a model on the network) happen outside any transaction. */
  db: Db;
  clock: Clock;
  log: Logger;
  campaign: CampaignInfo;
  calendar: WorkCalendar;
  routing: RoutingModel;
  transaction<T>(cause: string, fn: (tx: FollowUpTransaction) => Promise<T>): Promise<T>;
}

/**
 * Work that follows a handled event but must not run inside its transaction (the inbox holds the write lock
 * there): the state it needs is a durable row the event wrote, so a crash leaves it pending and it is picked up.
 */
export interface FollowUpDefinition {
  name: string;
  /** Does one piece of pending work; false when there was none. */
  runOnce(ctx: FollowUpContext): Promise<boolean>;
}

export function defineFollowUp(def: FollowUpDefinition): FollowUpDefinition {
  return def;
}
