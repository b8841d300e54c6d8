import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import type { OpenedDatabase } from '../../src/db/connect.ts';
import { openPostgresDatabase } from '../../src/db/postgres.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { messageEvent, signedRequest } from '../support/lark-events.ts';
import { giveBackTestDatabase, takeTestDatabase, urlOfDatabase } from '../support/pg-databases.ts';

// PostgreSQL project only. DESIGN §4.1 and §4.3 on PostgreSQL, as test/integration/db-faults.test.ts shows them on
// SQLite: while another connection holds a lock that stops inbox writes, each event is answered within 3 s (503 with
// Retry-After when it could not be stored in time), the server stays up, and after the lock ends every event is
// handled and answered once, including those whose late write finished after the 503.

type Bot = Awaited<ReturnType<typeof startLarkBot>>;
let fake: FakeLarkApi | null = null;
let bot: Bot | null = null;
let database: OpenedDatabase | null = null;
let locker: pg.Client | null = null;
let giveBack: (() => Promise<void>) | null = null;

afterEach(async () => {
  await locker?.query('rollback').catch(() => undefined);
  await locker?.end();
  await bot?.stop();
  await database?.close();
  await fake?.stop();
  await giveBack?.();
  fake = bot = database = locker = giveBack = null;
});

const progress = () => messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID });
const replies = (f: FakeLarkApi, messageId: string) => f.deliveries.filter((d) => d.kind === 'reply' && d.target === messageId);

describe('database faults on PostgreSQL: another connection locks the inbox', () => {
  it('answers within 3 s (503 with Retry-After when the event could not be stored in time) and, after the lock, handles and answers each event once', async () => {
    const adminUrl = inject('pgAdminUrl');
    const name = await takeTestDatabase(adminUrl);
    giveBack = () => giveBackTestDatabase(adminUrl, name);
    const url = urlOfDatabase(adminUrl, name);
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    database = openPostgresDatabase(url, { max: 4 });
    bot = await startLarkBot({ fake, clock, database, loops: true });
    await bot.runtime.identity();
    const before = progress();
    expect((await bot.post('/webhook/event', signedRequest(before))).status).toBe(200);
    await fake.waitForDeliveries(1);

    // The lock is real (not on fake time): the assertions are on the answers.
    locker = new pg.Client({ connectionString: url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table inbox_events in exclusive mode');
    const heldUntil = Date.now() + 7000;
    const events: ReturnType<typeof progress>[] = [];
    const answers: { status: number; retryAfter: string | null; ms: number }[] = [];
    const call = async (ev: ReturnType<typeof progress>) => {
      const t0 = Date.now();
      const res = await bot!.post('/webhook/event', signedRequest(ev));
      answers.push({ status: res.status, retryAfter: res.headers.get('retry-after'), ms: Date.now() - t0 });
    };
    while (Date.now() < heldUntil - 2500) {
      const ev = progress();
      events.push(ev);
      // One alone, then three at once and a repeat of an event stored before the lock.
      await call(ev);
      const burst = [progress(), progress(), progress()];
      events.push(...burst);
      await Promise.all([...burst.map(call), call(before)]);
      const t0 = Date.now();
      expect((await fetch(`${bot.base}/healthz`)).status).toBe(200);
      expect(Date.now() - t0).toBeLessThan(3000);
    }
    expect((await locker.query('select count(*)::int as n from inbox_events')).rows[0]).toEqual({ n: 1 });
    await locker.query('commit');

    expect(answers.length).toBeGreaterThanOrEqual(5);
    for (const a of answers) {
      expect(a.status === 200 || (a.status === 503 && a.retryAfter === '2'), JSON.stringify(a)).toBe(true);
      expect(a.ms).toBeLessThan(3000);
    }
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);

    // Lark retries each refused event; every one is then stored, handled and answered once.
    for (const ev of events) expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    expect((await bot.post('/webhook/event', signedRequest(before))).status).toBe(200);
    await bot.runtime.settle();
    // All replies go to one chat: five a second.
    for (let i = 0; i < 30 && fake.deliveries.length < events.length + 1; i++) {
      await bot.runtime.settle();
      clock.advance(1000);
    }
    const stored = await bot.runtime.db.selectFrom('inbox_events').select(['event_id', 'status']).execute();
    expect(stored).toHaveLength(events.length + 1);
    expect(stored.every((r) => r.status === 'done')).toBe(true);
    for (const ev of [before, ...events]) expect(replies(fake, ev.event.message.message_id)).toHaveLength(1);
    expect(fake.deliveries).toHaveLength(events.length + 1);
  });
});
