import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, OffsetClock } from '../../src/clock.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { messageEvent, signedRequest } from '../support/lark-events.ts';

type Bot = Awaited<ReturnType<typeof startLarkBot>>;
let fake: FakeLarkApi | null = null;
let bot: Bot | null = null;

afterEach(async () => {
  await bot?.stop();
  await fake?.stop();
  bot = null;
  fake = null;
});

const progressFromAdmin = (o: Partial<Parameters<typeof messageEvent>[0]> = {}) =>
  messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID, ...o });
const count = async (b: Bot, table: 'inbox_events' | 'outbox_messages') =>
  Number((await b.runtime.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('Lark delivery through the real SDK client', () => {
  it('replies to an encrypted, signed "@bot 进度" from an admin in a group within a second', async () => {
    const clock = new OffsetClock(new Date('2020-09-28T09:00:00+08:00'));
    fake = await new FakeLarkApi(clock).start();
    bot = await startLarkBot({ fake, clock, loops: true });
    const ev = progressFromAdmin();
    const started = Date.now();
    const res = await bot.post('/webhook/event', signedRequest(ev));
    expect(res.status).toBe(200);
    await fake.waitForDeliveries(1, 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    const d = fake.deliveries[0]!;
    expect(d.kind).toBe('reply');
    expect(d.target).toBe(ev.event.message.message_id);
    expect(d.msgType).toBe('interactive');
    expect(JSON.stringify(d.content)).toContain('0/21');
    expect(fake.calls.some((c) => c.path === '/open-apis/bot/v3/info')).toBe(true);
  });

  it('gives one reply and one inbox row for duplicates: twice in a row, 20 at once, and one message under two event ids', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    bot = await startLarkBot({ fake, clock });
    const ev = progressFromAdmin();
    expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    const burst = progressFromAdmin();
    const statuses = await Promise.all(Array.from({ length: 20 }, () => bot!.post('/webhook/event', signedRequest(burst)).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const once = progressFromAdmin();
    const twin = { ...once, header: { ...once.header, event_id: `${once.header.event_id}-second` } };
    expect((await bot.post('/webhook/event', signedRequest(once))).status).toBe(200);
    expect((await bot.post('/webhook/event', signedRequest(twin))).status).toBe(200);
    await bot.runtime.settle();
    expect(await count(bot, 'inbox_events')).toBe(3);
    expect(fake.deliveries.map((d) => d.target).sort()).toEqual([ev, burst, once].map((e) => e.event.message.message_id).sort());
  });

  it('answers 200 in under 3 s while the Open API hangs, and sends each reply once after it recovers', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    bot = await startLarkBot({ fake, clock, larkTimeoutMs: 300 });
    await bot.runtime.identity();
    fake.hangAll = true;
    const events = [progressFromAdmin(), progressFromAdmin(), progressFromAdmin({ chatId: 'oc_other_group' })];
    for (const ev of events) {
      const t0 = Date.now();
      const res = await bot.post('/webhook/event', signedRequest(ev));
      expect(res.status).toBe(200);
      expect(Date.now() - t0).toBeLessThan(3000);
    }
    await bot.runtime.settle();
    expect(fake.deliveries).toEqual([]);
    expect(fake.calls.filter((c) => c.outcome === 'hang').length).toBeGreaterThan(0);
    fake.release();
    for (let i = 0; i < 12 && fake.deliveries.length < 3; i++) {
      clock.advance(60_000);
      await bot.runtime.settle();
    }
    expect(fake.deliveries.map((d) => d.target).sort()).toEqual(events.map((e) => e.event.message.message_id).sort());
    expect(new Set(fake.deliveries.map((d) => d.uuid)).size).toBe(3);
    const rows = await bot.runtime.db.selectFrom('outbox_messages').select(['status', 'attempts']).execute();
    expect(rows.every((r) => r.status === 'sent' && r.attempts >= 2)).toBe(true);
  });

  it('waits for x-ogw-ratelimit-reset after a 429 and sends once, with the same uuid on both attempts', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    bot = await startLarkBot({ fake, clock });
    fake.failNext({ kind: 'status', status: 429, headers: { 'x-ogw-ratelimit-reset': '2' }, body: { code: 99991400, msg: 'request trigger frequency limit' } });
    const ev = progressFromAdmin();
    await bot.post('/webhook/event', signedRequest(ev));
    await bot.runtime.settle();
    expect(fake.deliveries).toHaveLength(0);
    clock.advance(1500);
    await bot.runtime.settle();
    expect(fake.deliveries).toHaveLength(0);
    clock.advance(600);
    await bot.runtime.settle();
    expect(fake.deliveries).toHaveLength(1);
    const attempts = fake.calls.filter((c) => c.path.endsWith('/reply'));
    expect(attempts.map((c) => c.outcome)).toEqual(['status 429', 'ok']);
    expect(attempts[0]!.body!.uuid).toBe(attempts[1]!.body!.uuid);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(2000);
  });

  it('never sends more than 5 messages to one chat in any second (20 replies queued at once)', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    bot = await startLarkBot({ fake, clock });
    for (let i = 0; i < 20; i++) await bot.post('/webhook/event', signedRequest(progressFromAdmin({ chatId: 'oc_busy_group' })));
    for (let step = 0; step < 100 && fake.deliveries.length < 20; step++) {
      await bot.runtime.settle();
      clock.advance(100);
    }
    expect(fake.deliveries).toHaveLength(20);
    const times = fake.deliveries.map((d) => d.at).sort((a, b) => a - b);
    for (const t of times) expect(times.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(5);
  });

  it('retries after a 500, records a permanent error without retrying, and fetches a new token when one is rejected', async () => {
    const clock = new ManualClock('2020-09-28T09:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    bot = await startLarkBot({ fake, clock });
    await bot.runtime.identity();
    fake.failNext({ kind: 'status', status: 500 });
    const a = progressFromAdmin();
    await bot.post('/webhook/event', signedRequest(a));
    await bot.runtime.settle();
    clock.advance(5000);
    await bot.runtime.settle();
    expect(fake.deliveries.map((d) => d.target)).toEqual([a.event.message.message_id]);

    fake.failNext({ kind: 'code', code: 230002, msg: 'Bot/User can NOT be out of the chat.' });
    await bot.post('/webhook/event', signedRequest(progressFromAdmin({ chatId: 'oc_left_group' })));
    await bot.runtime.settle();
    clock.advance(600_000);
    await bot.runtime.settle();
    const dead = await bot.runtime.db.selectFrom('outbox_messages').select(['status', 'attempts', 'last_error']).where('status', '=', 'dead').execute();
    expect(dead).toHaveLength(1);
    expect(dead[0]!.attempts).toBe(1);
    expect(dead[0]!.last_error).toContain('230002');

    fake.revokeTokens();
    const b = progressFromAdmin();
    await bot.post('/webhook/event', signedRequest(b));
    await bot.runtime.settle();
    expect(fake.deliveries.map((d) => d.target)).toContain(b.event.message.message_id);
    expect(fake.calls.filter((c) => c.path.endsWith('/tenant_access_token/internal')).length).toBe(2);
  });
});
