import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import { type InboxInput, storeEvents } from './store.ts';

/**
 * Stores events arriving in the same tick in one transaction (one commit for many webhook requests), so the
 * durable write before each 200 does not cap throughput at one fsync per request.
 */
export function createBatchedInboxStore(db: Db, clock: Clock, maxBatch = 256) {
  let pending: { input: InboxInput; resolve: (isNew: boolean) => void; reject: (err: unknown) => void }[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    const batch = pending.splice(0, maxBatch);
    if (pending.length) schedule();
    try {
      const results = await storeEvents(db, batch.map((b) => b.input), clock.now());
      batch.forEach((b, i) => b.resolve(results[i] ?? false));
    } catch (err) {
      batch.forEach((b) => b.reject(err));
    }
  }
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  }
  return (input: InboxInput): Promise<boolean> =>
    new Promise((resolve, reject) => {
      pending.push({ input, resolve, reject });
      schedule();
    });
}
