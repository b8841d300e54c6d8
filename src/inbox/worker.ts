import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { InboxEventRow } from '../db/schema.ts';
import type { CardResponse } from '../bot/types.ts';
import { beginAttempt, claimEvent, claimEventBatch, markEventDone, releaseEvents } from '../db/inbox-store.ts';
import { BusyBackoff, isBusyError } from '../db/errors.ts';

/** An event that failed this many times (crashing its worker each time) is set aside, not retried forever. */
const MAX_ATTEMPTS = 10;

/** What handling one event did: the card callback's response (card actions), and whether it may have queued work. */
export interface Processed {
  response: CardResponse | null;
  /** False only when the event was certainly ignored (nothing queued for the outbox or follow-ups). */
  queued: boolean;
}

export interface EventProcessor {
  /** Handles one claimed event. */
  process(row: InboxEventRow, mode: { inline: boolean }): Promise<Processed>;
}

export interface InboxWorkerOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  processor: EventProcessor;
  leaseMs?: number;
  pollMs?: number;
  /** Called after each event that may have queued work (the runtime starts sending its replies at once). */
  onProcessed?: () => void;
}

/** Processes stored events one at a time, in arrival order; picks up what a crashed process left. */
export function createInboxWorker(opts: InboxWorkerOptions) {
  const { db, clock, log, processor } = opts;
  const leaseMs = opts.leaseMs ?? 60_000;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const busy = new BusyBackoff();

  /** Hands claimed but unprocessed events back, so they need not wait for their lease to run out. */
  async function releaseClaims(rows: InboxEventRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await releaseEvents(db, rows);
    } catch (err) {
      log.warn({ err, count: rows.length }, 'could not hand claimed events back; they wait for their lease');
    }
  }

  async function runOnce(): Promise<void> {
    for (;;) {
      if (stopped) return;
      const batch = await claimEventBatch(db, clock.now(), leaseMs);
      if (batch.length === 0) return;
      for (const [i, row] of batch.entries()) {
        if (stopped) return releaseClaims(batch.slice(i));
        let attempt: number | null;
        try {
          attempt = await beginAttempt(db, row);
        } catch (err) {
          // Nothing was started (e.g. the database is locked): all of the rest go back now.
          await releaseClaims(batch.slice(i));
          throw err;
        }
        // Null: the lease ran out and another worker holds this event now.
        if (attempt === null) continue;
        if (attempt > MAX_ATTEMPTS) {
          log.error({ eventId: row.event_id, attempts: attempt - 1 }, 'inbox event set aside after repeated failures');
          await markEventDone(db, row, clock.now(), { status: 'failed', error: 'too many attempts' });
          continue;
        }
        // Let waiting webhook requests in between events: storing (and answering) comes before processing.
        await new Promise<void>((resolve) => setImmediate(resolve));
        try {
          const done = await processor.process(row, { inline: false });
          // An ignored event queued nothing: no outbox or follow-up check for it.
          if (done.queued) opts.onProcessed?.();
        } catch (err) {
          // This event is retried when its lease runs out (e.g. the database was busy); the rest go back now.
          if (!isBusyError(err)) {
            log.error({ err, eventId: row.event_id }, 'inbox event processing failed');
            return releaseClaims(batch.slice(i + 1));
          }
          log.warn({ eventId: row.event_id, error: (err as Error).message }, 'inbox event met a locked database; retried later');
          await releaseClaims(batch.slice(i + 1));
          throw err;
        }
      }
    }
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
        if (!busy.failed(err)) log.error({ err }, 'inbox worker pass failed');
        else log.warn({ error: (err as Error).message }, 'inbox worker: database locked by another connection; polling more slowly');
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    kick,
    /** Processes until nothing is claimable now. */
    async drain(): Promise<void> {
      await kick();
      await kick();
    },
    /** Claims one event right away (a card callback waiting for its answer) and processes it. */
    async processNow(id: number): Promise<CardResponse | null | 'busy'> {
      const row = await claimEvent(db, id, clock.now(), leaseMs);
      if (!row || (await beginAttempt(db, row)) === null) return 'busy';
      return (await processor.process(row, { inline: true })).response;
    },
    start(): void {
      stopped = false;
      timer = setInterval(() => {
        if (!busy.waiting) void kick();
      }, opts.pollMs ?? 1000);
      timer.unref();
      void kick();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      if (running) await running.catch(() => undefined);
    },
  };
}

export type InboxWorker = ReturnType<typeof createInboxWorker>;
