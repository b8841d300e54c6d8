import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import type { OutgoingContent } from '../bot/types.ts';

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
}

/** Scheduled work declared as data: which slots exist in a time range, and what running one does. */
export interface JobDefinition {
  name: string;
  /** The slots whose `at` falls in [from, to]. */
  slots(ctx: PlanContext, from: Date, to: Date): Promise<Slot[]> | Slot[];
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
