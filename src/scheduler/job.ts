import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import type { OutgoingContent } from '../bot/types.ts';
import type { ReadReceipt } from '../outbox/messenger.ts';

/** One occurrence of scheduled work: its ledger key is what makes it happen once. */
export interface Slot {
  /** Unique across all time, e.g. `report-prompt:2020-10-01:community-3`. */
  key: string;
  /** When it is due. */
  at: Date;
  /** After this instant a slot that was not run is logged as missed instead (e.g. the end of that working day). */
  lateUntil: Date;
  /** Anything the job needs to run the slot. */
  data?: Record<string, unknown>;
}

export interface PlanContext {
  db: Db;
  campaign: CampaignInfo;
  calendar: WorkCalendar;
}

/** What a job may do before its slot's transaction: read from the database and ask Lark who read a message. */
export interface PrepareContext extends PlanContext {
  now: Date;
  log: Logger;
  /** Who has read one of the bot's messages; `known: false` in local mode, without the scope, or after 7 days. */
  readReceipts(messageId: string): Promise<ReadReceipt>;
}

export interface JobContext extends PlanContext {
  /** The transaction the slot runs in, with its ledger row. */
  db: Db;
  now: Date;
  clock: Clock;
  log: Logger;
  slot: Slot;
  /** Sends through the outbox; the uuid derives from the slot key. */
  send(to: { chatId: string } | { openId: string }, content: OutgoingContent, purpose?: string): Promise<void>;
  /** Issues a card-button token, like BotContext.issueCardToken. */
  issueCardToken(kind: string, payload: Record<string, unknown>, ttlMs?: number): Promise<string>;
  /** 加急 on one of the bot's messages, through the outbox; users Lark does not reach get `fallbackText` instead. */
  urgent(messageId: string, chatId: string, userIds: string[], fallbackText: string, purpose: string): Promise<void>;
  /** What the job's `prepare` returned for this slot (undefined without one). */
  prepared: unknown;
}

/** Scheduled work declared as data: which slots exist in a time range, and what running one does. */
export interface JobDefinition {
  name: string;
  /** The slots whose `at` falls in [from, to]. */
  slots(ctx: PlanContext, from: Date, to: Date): Promise<Slot[]> | Slot[];
  /**
   * Gathers what the slot needs from outside the database (Lark read receipts) before its transaction, since no
   * Lark call may happen inside one. A read, repeated harmlessly if the slot is retried or another instance races.
   */
  prepare?(ctx: PrepareContext, slot: Slot): Promise<unknown>;
  /** Runs one slot inside a transaction; write messages with ctx.send. */
  run(ctx: JobContext, slot: Slot): Promise<void>;
  /**
   * Long work of a slot that must not hold one transaction (e.g. pruning in batches): runs after the slot's
   * transaction committed, on the database itself, once per slot that ran. A crash here is not retried.
   */
  afterRun?(ctx: AfterRunContext, slot: Slot): Promise<void>;
}

export interface AfterRunContext extends PlanContext {
  now: Date;
  clock: Clock;
  log: Logger;
}

export function defineJob(def: JobDefinition): JobDefinition {
  return def;
}
