import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import { enqueueOutgoing, enqueueUrgent } from '../outbox/enqueue.ts';
import type { ReadReceipt } from '../outbox/messenger.ts';
import { issueCardToken } from '../domain/card-tokens.ts';
import { recordSlot, recordedSlotKeys } from '../db/ledger-store.ts';
import { inTransaction } from '../db/transaction.ts';
import { campaignImportedAt } from '../domain/campaign.ts';
import type { JobContext, JobDefinition, Slot } from './job.ts';

export interface SchedulerDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  campaign: CampaignInfo;
  calendar: WorkCalendar;
  jobs: readonly JobDefinition[];
  /** How far back a tick looks for slots that were never recorded (a bot that was down). */
  lookbackMs?: number;
  /** Runs before each tick plans its slots (e.g. reloads the calendar's corrections). */
  beforeTick?: () => Promise<void>;
  /** Read receipts from Lark, for jobs' prepare step; absent (local mode) means nobody's reading is known. */
  readReceipts?: (messageId: string) => Promise<ReadReceipt>;
}

export interface TickResult {
  ran: string[];
  missed: string[];
  /** Slots that had passed before the campaign was imported: recorded without sending or warning. */
  passedBeforeImport: string[];
}

/**
 * Decides what is due from the clock and the reminder ledger. Each slot's key is inserted with ON CONFLICT DO
 * NOTHING in the same transaction as its messages, so it happens once across restarts and instances; a slot
 * found after its `lateUntil` is recorded as missed and not sent.
 */
export function createScheduler(deps: SchedulerDeps) {
  const lookbackMs = deps.lookbackMs ?? 7 * 24 * 3600 * 1000;
  let running: Promise<TickResult> | null = null;
  let lastTickAt: Date | null = null;

  const readReceipts = deps.readReceipts ?? (async () => ({ known: false as const, reason: 'no read receipts in this mode' }));

  async function runSlot(job: JobDefinition, slot: Slot, now: Date, importedAt: number, result: TickResult): Promise<void> {
    const late = now.getTime() > slot.lateUntil.getTime();
    const prepared = job.prepare && !late
      ? await job.prepare({ db: deps.db, campaign: deps.campaign, calendar: deps.calendar, now, log: deps.log, readReceipts }, slot)
      : undefined;
    await inTransaction(deps.db, async (trx) => {
      // A slot that passed before the campaign was imported was not missed: the bot did not exist yet.
      const beforeImport = late && slot.at.getTime() < importedAt;
      const recorded = await recordSlot(trx, {
        key: slot.key, kind: job.name, slotAt: slot.at, status: late ? 'missed' : 'sent', recordedAt: now,
        detail: beforeImport ? 'before the campaign was imported' : null,
      });
      if (!recorded) return;
      if (beforeImport) {
        result.passedBeforeImport.push(slot.key);
        return;
      }
      if (late) {
        deps.log.warn({ key: slot.key, at: slot.at.toISOString() }, 'scheduled reminder missed while the bot was down; not sent');
        result.missed.push(slot.key);
        return;
      }
      let seq = 0;
      const ctx: JobContext = {
        db: trx, now, clock: deps.clock, log: deps.log, campaign: deps.campaign, calendar: deps.calendar, slot,
        async send(to, content, purpose) {
          const isChat = 'chatId' in to;
          const target = isChat ? to.chatId : to.openId;
          // Jobs send to bound working groups, or to a person directly.
          await enqueueOutgoing(
            trx,
            { cause: `job:${slot.key}`, seq: ++seq, op: 'send', target, targetType: isChat ? 'chat_id' : 'open_id', paceKey: target, content, purpose, audience: isChat ? 'group' : 'p2p' },
            now,
          );
        },
        issueCardToken(kind, payload, ttlMs) {
          return issueCardToken(trx, { kind, payload, createdFor: null }, now, ttlMs);
        },
        async urgent(messageId, chatId, userIds, fallbackText, purpose) {
          await enqueueUrgent(trx, { cause: `job:${slot.key}`, seq: ++seq, messageId, paceKey: chatId, userIds, fallbackText, purpose }, now);
        },
        prepared,
      };
      await job.run(ctx, slot);
      result.ran.push(slot.key);
    });
  }

  let importedAt: Promise<number> | null = null;
  const since = () =>
    (importedAt ??= campaignImportedAt(deps.db, deps.campaign.id).then((at) => (at ? Date.parse(at) : 0)));

  async function tickOnce(): Promise<TickResult> {
    await deps.beforeTick?.();
    const now = deps.clock.now();
    const from = new Date(now.getTime() - lookbackMs);
    const imported = await since();
    const result: TickResult = { ran: [], missed: [], passedBeforeImport: [] };
    for (const job of deps.jobs) {
      const slots = (await job.slots({ db: deps.db, campaign: deps.campaign, calendar: deps.calendar }, from, now))
        .filter((s) => s.at.getTime() <= now.getTime())
        .sort((a, b) => a.at.getTime() - b.at.getTime());
      if (slots.length === 0) continue;
      const known = await recordedSlotKeys(deps.db, slots.map((s) => s.key));
      for (const slot of slots) {
        if (known.has(slot.key)) continue;
        try {
          await runSlot(job, slot, now, imported, result);
          if (job.afterRun && result.ran.includes(slot.key)) {
            await job.afterRun({ db: deps.db, campaign: deps.campaign, calendar: deps.calendar, now, clock: deps.clock, log: deps.log }, slot);
          }
        } catch (err) {
          deps.log.error({ err, key: slot.key }, 'scheduled job failed; will retry on the next tick');
        }
      }
    }
    lastTickAt = deps.clock.now();
    return result;
  }

  return {
    /** When the last tick finished, by the bot's clock (null before the first); for /metrics. */
    lastTickAt: () => lastTickAt,
    /** Runs every due slot once; concurrent calls share one run. */
    tick(): Promise<TickResult> {
      running ??= tickOnce().finally(() => {
        running = null;
      });
      return running;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
