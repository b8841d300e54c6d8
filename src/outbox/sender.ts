import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { OutboxMessageRow } from '../db/schema.ts';
import { DeliveryError, type Messenger } from './messenger.ts';
import { Pacer } from './pacer.ts';
import { runDelivery } from './send-slot.ts';
import type { SharedSendBudget } from '../db/send-budget.ts';
import { BusyBackoff } from '../db/errors.ts';
import { createActionSettler } from './actions.ts';
import { claimOutboxMessage, dueOutboxMessages, settleOutboxMessage } from '../db/outbox-store.ts';
import { recordBotMessage } from '../db/bot-messages-store.ts';
import { inTransaction } from '../db/transaction.ts';

export interface SenderOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  messenger: Messenger;
  pacer?: Pacer;
  /** Sends in flight at once (each chat still gets one at a time, in order). */
  concurrency?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** Lark drops a repeated uuid for one hour only: stop retrying well before that. */
  maxAgeMs?: number;
  pollMs?: number;
  /** Lark's quotas shared with other replicas (PostgreSQL); without it the in-memory pacer alone paces. */
  sharedBudget?: SharedSendBudget;
  /** Called after each sent message (tests, local mode). */
  onSent?: (row: OutboxMessageRow) => void;
  /** Called after each send attempt with what became of it (metrics). */
  onOutcome?: (result: 'sent' | 'retry' | 'rate_limited' | 'dead') => void;
}

const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5 * 60_000;

/** Delivers the outbox: paced, retried with backoff, each message under its own uuid on every attempt. */
export function createOutboxSender(opts: SenderOptions) {
  const { db, clock, log, messenger } = opts;
  const pacer = opts.pacer ?? new Pacer();
  const concurrency = opts.concurrency ?? 16;
  const leaseMs = opts.leaseMs ?? 30_000;
  const maxAttempts = opts.maxAttempts ?? 10;
  const maxAgeMs = opts.maxAgeMs ?? 50 * 60_000;
  const busyKeys = new Set<string>();
  const actions = createActionSettler(db, log);
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const busy = new BusyBackoff();

  const claim = (id: number, now: Date) => claimOutboxMessage(db, id, now, leaseMs);

  async function deliver(row: OutboxMessageRow): Promise<void> {
    try {
      const result = await messenger.deliver(row);
      const at = clock.now().toISOString();
      await inTransaction(db, async (trx) => {
        const settled = await settleOutboxMessage(trx, row, {
          status: 'sent', sent_at: at, lease_until: null, result_message_id: result.messageId ?? null, file_key: result.fileKey ?? row.file_key, attempts: row.attempts + 1, last_error: null,
        });
        // The lease ran out during the send and another claim holds the row: it sends again under the same
        // uuid (Lark drops the repeat) and records the outcome itself.
        if (!settled) return;
        if (actions.isAction(row)) await actions.done(trx, row, result, clock.now());
        else if (result.messageId) {
          await recordBotMessage(trx, {
            message_id: result.messageId,
            chat_id: result.chatId ?? (row.op === 'send' && row.target_type === 'chat_id' ? row.target : row.pace_key),
            purpose: row.cause.split('|')[1] ?? null, context: null, sent_at: at, chat_type: row.chat_type, cause: row.cause,
          });
        }
      });
      pacer.sent();
      opts.onOutcome?.('sent');
      opts.onSent?.({ ...row, status: 'sent', sent_at: at, result_message_id: result.messageId ?? null });
    } catch (err) {
      const attempts = row.attempts + 1;
      const now = clock.now();
      const e = err instanceof DeliveryError ? err : new DeliveryError('retry', (err as Error).message);
      const tooOld = now.getTime() - Date.parse(row.created_at) > maxAgeMs;
      let status = 'pending';
      let next = now.getTime();
      if (e.kind === 'permanent' || attempts >= maxAttempts || tooOld) {
        status = 'dead';
      } else if (e.kind === 'rate_limited') {
        pacer.rateLimited();
        next += Math.max(e.retryAfterMs ?? 1000, 1000);
      } else {
        const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempts - 1));
        next += Math.round(backoff / 2 + Math.random() * (backoff / 2));
      }
      opts.onOutcome?.(status === 'dead' ? 'dead' : e.kind === 'rate_limited' ? 'rate_limited' : 'retry');
      if (status === 'dead' && actions.isAction(row)) {
        // A refused 加急 never blocks the ladder: plain messages go instead.
        const settle = { status, attempts, next_attempt_at: new Date(next).toISOString(), lease_until: null, last_error: e.message.slice(0, 500) };
        return actions.refused(row, e.message, settle, now);
      }
      const level = status === 'dead' ? 'error' : 'warn';
      log[level]({ outboxId: row.id, uuid: row.uuid, op: row.op, attempts, kind: e.kind, error: e.message.slice(0, 200) }, status === 'dead' ? 'outbox message given up' : 'outbox send failed; will retry');
      await settleOutboxMessage(db, row, {
        status, attempts, next_attempt_at: new Date(next).toISOString(), lease_until: null, last_error: e.message.slice(0, 500), file_key: e.fileKey ?? row.file_key,
      });
    }
  }

  /** Starts every send that is due and allowed now; returns when they have all finished. */
  async function runOnce(): Promise<void> {
    for (;;) {
      if (stopped) return;
      const now = clock.now();
      // Only what scheduling needs: contents (and file data) are read for the rows actually claimed.
      const due = await dueOutboxMessages(db, now, 200);
      let started = 0;
      let pacedForMs = Infinity;
      const seenKeys = new Set<string>();
      for (const candidate of due) {
        if (inFlight.size >= concurrency) break;
        // Keep each chat's messages in order: only its oldest pending row may go.
        if (seenKeys.has(candidate.pace_key)) continue;
        seenKeys.add(candidate.pace_key);
        if (busyKeys.has(candidate.pace_key)) continue;
        // A file not uploaded yet makes two quota-counted requests: the upload, then the message.
        const appCost = candidate.msg_type === 'file' && !candidate.file_key ? 2 : 1;
        const wait = pacer.waitMs(candidate.pace_key, now.getTime(), appCost);
        if (wait > 0) {
          // Infinity: the window is full of sends under way; the loop looks again when one of them ends.
          if (Number.isFinite(wait)) pacedForMs = Math.min(pacedForMs, wait);
          continue;
        }
        if (opts.sharedBudget) {
          const sharedWait = await opts.sharedBudget.take(candidate.pace_key, appCost);
          if (sharedWait > 0) {
            pacedForMs = Math.min(pacedForMs, sharedWait);
            continue;
          }
        }
        const row = await claim(candidate.id, now);
        if (!row) continue;
        // Counted from the moment each request leaves (the transport says when), not from now.
        const slot = pacer.reserve(row.pace_key, now.getTime(), appCost);
        busyKeys.add(row.pace_key);
        started++;
        const p = runDelivery({ leaving: (kind) => slot.leaving(kind, clock.now().getTime()), answered: (kind) => slot.answered(kind, clock.now().getTime()) }, () => deliver(row)).finally(() => {
          slot.finish(clock.now().getTime());
          busyKeys.delete(row.pace_key);
          inFlight.delete(p);
        });
        inFlight.add(p);
      }
      if (inFlight.size === 0) {
        // Held back by pacing: come back the moment the window allows, not at the next poll.
        if (pacedForMs !== Infinity) wakeIn(pacedForMs);
        return;
      }
      await Promise.race(inFlight);
      if (started === 0 && inFlight.size > 0) continue;
    }
  }

  let wake: NodeJS.Timeout | null = null;
  function wakeIn(ms: number): void {
    if (wake || stopped) return;
    wake = setTimeout(() => {
      wake = null;
      void kick();
    }, Math.ceil(ms));
    wake.unref();
  }

  function kick(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await runOnce();
      } while (again && !stopped);
    })()
      .then(() => busy.succeeded())
      // A busy or failing database must not end the process: the next kick or poll tries again.
      .catch((err: unknown) => {
        if (busy.failed(err)) log.warn({ error: (err as Error).message }, 'outbox sender: database locked by another connection; polling more slowly');
        else log.error({ err }, 'outbox sender pass failed');
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    kick,
    /** Sends everything that is due now (pacing and retry times are judged on the clock). */
    async drain(): Promise<void> {
      await kick();
      await kick();
      await Promise.all(inFlight);
    },
    start(): void {
      stopped = false;
      timer = setInterval(() => {
        if (!busy.waiting) void kick();
      }, opts.pollMs ?? 100);
      timer.unref();
      void kick();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      if (wake) clearTimeout(wake);
      if (running) await running.catch(() => undefined);
      await Promise.allSettled([...inFlight]);
    },
  };
}

export type OutboxSender = ReturnType<typeof createOutboxSender>;
