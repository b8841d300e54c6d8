import { afterEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../src/db/connect.ts';
import { dialectOf } from '../../src/db/dialect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { claimEventBatch, findInboxEvent, storeEvents } from '../../src/db/inbox-store.ts';
import { createInboxWorker } from '../../src/inbox/worker.ts';
import type { InboxEventRow } from '../../src/db/schema.ts';
import { ManualClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/logger.ts';
import { migrationsFor } from '../../migrations/index.ts';
import { openTestDatabase } from '../support/test-database.ts';

// DESIGN §4.5 with the inbox's attempt count: an event is set aside only after its own processing failed or
// crashed five times, never because a worker that had claimed it in a batch died before reaching it.

const LEASE_MS = 60_000;
let database: OpenedDatabase | null = null;
afterEach(async () => {
  await database?.close();
  database = null;
});

async function openInbox(): Promise<OpenedDatabase> {
  database = openTestDatabase();
  await migrateToLatest(database.db, migrationsFor(dialectOf(database.db)));
  return database;
}

const event = (n: number) => ({ eventId: `ev_attempts_${n}`, messageId: `om_attempts_${n}`, kind: 'message' as const, payload: { n } });

describe('inbox attempts', () => {
  it('does not charge events for the death of a worker that claimed them but never started them', async () => {
    const { db } = await openInbox();
    const clock = new ManualClock('2020-10-10T02:00:00.000Z');
    await storeEvents(db, [1, 2, 3, 4, 5].map(event), clock.now());
    // Ten workers in a row claim the whole batch and die at once, before processing anything.
    for (let crash = 0; crash < 10; crash++) {
      const claimed = await claimEventBatch(db, clock.now(), LEASE_MS);
      expect(claimed.length).toBeGreaterThan(0);
      clock.advance(LEASE_MS + 1000);
    }
    const handled: number[] = [];
    const worker = createInboxWorker({
      db, clock, log: silentLogger, leaseMs: LEASE_MS,
      processor: {
        async process(row: InboxEventRow) {
          handled.push((JSON.parse(row.payload) as { n: number }).n);
          await db.updateTable('inbox_events').set({ status: 'done', lease_until: null }).where('id', '=', row.id).execute();
          return { response: null, queued: false };
        },
      },
    });
    for (let pass = 0; pass < 10 && handled.length < 5; pass++) await worker.drain();
    expect(handled.sort()).toEqual([1, 2, 3, 4, 5]);
    for (const n of [1, 2, 3, 4, 5]) expect((await findInboxEvent(db, `ev_attempts_${n}`))?.attempts).toBe(1);
  });

  it('sets an event aside after its own processing failed ten times, and goes on with the others', async () => {
    const { db } = await openInbox();
    const clock = new ManualClock('2020-10-10T02:00:00.000Z');
    await storeEvents(db, [1, 2].map(event), clock.now());
    let tries = 0;
    const worker = createInboxWorker({
      db, clock, log: silentLogger, leaseMs: LEASE_MS,
      processor: {
        async process(row: InboxEventRow) {
          if ((JSON.parse(row.payload) as { n: number }).n === 1) {
            tries++;
            throw new Error('this event breaks its handler');
          }
          await db.updateTable('inbox_events').set({ status: 'done', lease_until: null }).where('id', '=', row.id).execute();
          return { response: null, queued: false };
        },
      },
    });
    for (let pass = 0; pass < 14; pass++) {
      await worker.drain();
      clock.advance(LEASE_MS + 1000);
    }
    expect(tries).toBe(10);
    const poisoned = await findInboxEvent(db, 'ev_attempts_1');
    expect(poisoned).toMatchObject({ status: 'failed', error: 'too many attempts', attempts: 11 });
    expect((await findInboxEvent(db, 'ev_attempts_2'))?.status).toBe('done');
  });
});
