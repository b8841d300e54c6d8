import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import { isBusyError } from '../db/errors.ts';
import { type InboxInput, storeEvents } from '../db/inbox-store.ts';

/** The inbox could not be written in time (another connection holds the database's write lock). */
export class InboxBusy extends Error {
  constructor() {
    super('the database is busy; the event was not stored');
    this.name = 'InboxBusy';
  }
}

export interface BatchedStoreOptions {
  maxBatch?: number;
  /** How long one event may wait for a busy database, over all its tries, before it is refused. */
  busyBudgetMs?: number;
  /** The pause between tries while the database is busy (a timer: the event loop keeps serving meanwhile). */
  retryMs?: number;
}

interface Waiting {
  input: InboxInput;
  giveUpAt: number;
  resolve: (isNew: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Stores events arriving in the same tick in one transaction (one commit for many webhook requests), so the
 * durable write before each 200 does not cap throughput at one fsync per request. When another connection holds
 * the write lock, the batch is tried again on a timer (each try blocks only for the connection's short busy
 * timeout) until each event's budget runs out; then that event is refused with InboxBusy and Lark retries it.
 */
export function createBatchedInboxStore(db: Db, clock: Clock, opts: BatchedStoreOptions | number = {}) {
  const o = typeof opts === 'number' ? { maxBatch: opts } : opts;
  const maxBatch = o.maxBatch ?? 256;
  const busyBudgetMs = o.busyBudgetMs ?? 1000;
  const retryMs = o.retryMs ?? 100;
  let pending: Waiting[] = [];
  let scheduled = false;
  let retryTimer: NodeJS.Timeout | null = null;

  async function flush(): Promise<void> {
    scheduled = false;
    const batch = pending.splice(0, maxBatch);
    if (pending.length) schedule();
    if (batch.length === 0) return;
    try {
      const results = await storeEvents(db, batch.map((b) => b.input), clock.now());
      batch.forEach((b, i) => b.resolve(results[i] ?? false));
    } catch (err) {
      if (!isBusyError(err)) {
        batch.forEach((b) => b.reject(err));
        return;
      }
      // Real time, not the bot's clock: the budget bounds how long a request waits.
      const now = Date.now();
      const retry = batch.filter((b) => b.giveUpAt > now);
      for (const b of batch) if (b.giveUpAt <= now) b.reject(new InboxBusy());
      if (retry.length) {
        pending = [...retry, ...pending];
        retryLater();
      }
    }
  }
  function schedule(): void {
    if (scheduled || retryTimer) return;
    scheduled = true;
    setImmediate(() => void flush());
  }
  function retryLater(): void {
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      schedule();
    }, retryMs);
  }
  return (input: InboxInput): Promise<boolean> =>
    new Promise((resolve, reject) => {
      pending.push({ input, giveUpAt: Date.now() + busyBudgetMs, resolve, reject });
      schedule();
    });
}
