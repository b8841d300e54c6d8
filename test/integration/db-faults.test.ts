import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/connect.ts';
import { createLogger } from '../../src/logger.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { messageEvent, signedRequest } from '../support/lark-events.ts';
import { tempDir, until } from '../support/wait.ts';

type Bot = Awaited<ReturnType<typeof startLarkBot>>;
let fake: FakeLarkApi | null = null;
let bot: Bot | null = null;
let database: OpenedDatabase | null = null;
let locker: SQLite.Database | null = null;
let dir: string | null = null;

afterEach(async () => {
  if (locker?.inTransaction) locker.exec('ROLLBACK');
  locker?.close();
  await bot?.stop();
  await database?.close();
  await fake?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  fake = bot = database = locker = dir = null;
});

/** The bot on a database file, plus a second connection to the same file that can take the write lock. */
async function setup(opts: { log?: Parameters<typeof startLarkBot>[0]['log']; larkTimeoutMs?: number; loops?: boolean } = {}) {
  dir = tempDir('bot-dbfault-');
  const file = path.join(dir, 'bot.db');
  const clock = new ManualClock('2020-09-28T09:00:00+08:00');
  fake = await new FakeLarkApi(clock).start();
  database = openDatabase(file);
  bot = await startLarkBot({ fake, clock, database, log: opts.log, larkTimeoutMs: opts.larkTimeoutMs, loops: opts.loops });
  locker = new SQLite(file);
  return { clock, fake, bot, locker };
}

const progress = () => messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID });
const rows = (b: Bot) => b.runtime.db.selectFrom('inbox_events').select(['event_id', 'status']).execute();
const replies = (f: FakeLarkApi, messageId: string) => f.deliveries.filter((d) => d.kind === 'reply' && d.target === messageId);

describe('database faults: another connection holds the write lock', () => {
  it('answers 503 with Retry-After within 3 s while another connection holds the write lock for 10 s; after release each event is handled once', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const { clock, fake, bot, locker } = await setup({ log: createLogger('info', sink), loops: true });
    await bot.runtime.identity();
    const before = progress();
    expect((await bot.post('/webhook/event', signedRequest(before))).status).toBe(200);
    await fake.waitForDeliveries(1);

    // SQLite's lock cannot run on fake time: the hold is real, the assertions are on the answers.
    locker.exec('BEGIN IMMEDIATE');
    const heldUntil = Date.now() + 10_000;
    const events: ReturnType<typeof progress>[] = [];
    const answers: { status: number; retryAfter: string | null; ms: number }[] = [];
    const call = async (ev: ReturnType<typeof progress>) => {
      const t0 = Date.now();
      const res = await bot.post('/webhook/event', signedRequest(ev));
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
    while (Date.now() < heldUntil) await new Promise((r) => setTimeout(r, 100));
    expect(locker.prepare('SELECT count(*) AS n FROM inbox_events').get()).toEqual({ n: 1 });
    locker.exec('COMMIT');

    expect(answers.length).toBeGreaterThanOrEqual(10);
    for (const a of answers) {
      expect(a.status === 200 || (a.status === 503 && a.retryAfter === '2'), JSON.stringify(a)).toBe(true);
      expect(a.ms).toBeLessThan(3000);
    }
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);

    // Lark retries each refused event; every one is then stored, handled and answered once.
    for (const ev of events) expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    expect((await bot.post('/webhook/event', signedRequest(before))).status).toBe(200);
    await bot.runtime.settle();
    clock.advance(61_000);
    // All replies go to one chat: five a second.
    for (let i = 0; i < 30 && fake.deliveries.length < events.length + 1; i++) {
      await bot.runtime.settle();
      clock.advance(1000);
    }
    const stored = await rows(bot);
    expect(stored).toHaveLength(events.length + 1);
    expect(stored.every((r) => r.status === 'done')).toBe(true);
    for (const ev of [before, ...events]) expect(replies(fake, ev.event.message.message_id)).toHaveLength(1);
    expect(fake.deliveries).toHaveLength(events.length + 1);

    const parsed = lines.map((l) => JSON.parse(l) as { level: string; msg: string; reason?: string });
    expect(parsed.filter((l) => l.level === 'error')).toEqual([]);
    expect(parsed.some((l) => l.level === 'warn' && l.msg === 'request refused' && l.reason === 'database busy, please retry')).toBe(true);
  }, 60_000);

  it('stores an event once a short lock ends, within the same request (retries on timers, not a blocking wait)', async () => {
    const { fake, bot, locker } = await setup();
    await bot.runtime.identity();
    locker.exec('BEGIN IMMEDIATE');
    // Released by a timer: it can only fire if the bot does not block the event loop while it waits.
    setTimeout(() => locker.exec('COMMIT'), 500);
    const ev = progress();
    const t0 = Date.now();
    const res = await bot.post('/webhook/event', signedRequest(ev));
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(3000);
    await bot.runtime.settle();
    expect(await rows(bot)).toEqual([{ event_id: ev.header.event_id, status: 'done' }]);
    expect(replies(fake, ev.event.message.message_id)).toHaveLength(1);
  });

  it('answers 503 after its budget when the bot’s own connection is held by a long transaction, and keeps the event it stored late', async () => {
    const { fake, bot } = await setup();
    await bot.runtime.identity();
    let release!: () => void;
    const held = bot.runtime.db.transaction().execute(() => new Promise<void>((resolve) => (release = resolve)));
    const ev = progress();
    const t0 = Date.now();
    const res = await bot.post('/webhook/event', signedRequest(ev));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(Date.now() - t0).toBeLessThan(3000);
    release();
    await held;
    // The write that was still queued went through: Lark's retry is then a duplicate, and the event is handled once.
    await until(async () => (await rows(bot)).length === 1, 'the late write');
    expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    await bot.runtime.settle();
    expect(await rows(bot)).toEqual([{ event_id: ev.header.event_id, status: 'done' }]);
    expect(replies(fake, ev.event.message.message_id)).toHaveLength(1);
  });

  it('keeps the inbox worker alive when it cannot claim an event, and processes it once after the lock is released', async () => {
    const { fake, bot, locker } = await setup();
    await bot.runtime.identity();
    await bot.runtime.worker.stop();
    const ev = progress();
    expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    locker.exec('BEGIN IMMEDIATE');
    bot.runtime.worker.start();
    await bot.runtime.worker.kick();
    expect(await rows(bot)).toEqual([{ event_id: ev.header.event_id, status: 'new' }]);
    locker.exec('COMMIT');

    await bot.runtime.settle();
    expect(await rows(bot)).toEqual([{ event_id: ev.header.event_id, status: 'done' }]);
    expect(replies(fake, ev.event.message.message_id)).toHaveLength(1);
  });

  it('keeps the outbox sender alive when it cannot claim a reply, and sends it once after the lock is released', async () => {
    const { fake, bot, locker } = await setup();
    await bot.runtime.identity();
    await bot.runtime.sender.stop();
    const ev = progress();
    expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    await bot.runtime.worker.drain();
    expect(await rows(bot)).toEqual([{ event_id: ev.header.event_id, status: 'done' }]);
    locker.exec('BEGIN IMMEDIATE');
    bot.runtime.sender.start();
    await bot.runtime.sender.kick();
    expect(fake.deliveries).toHaveLength(0);
    locker.exec('COMMIT');

    await bot.runtime.settle();
    expect(replies(fake, ev.event.message.message_id)).toHaveLength(1);
    const out = await bot.runtime.db.selectFrom('outbox_messages').select(['status']).execute();
    expect(out).toEqual([{ status: 'sent' }]);
  });

  it('retries an event whose transaction met the lock, instead of answering it with an error (lock released as the bot gives up waiting)', async () => {
    // The lock is released the moment the bot logs that the event met it: the next write would succeed.
    let release: (() => void) | null = null;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        if (release && /met a locked database/.test(chunk.toString())) {
          release();
          release = null;
        }
        done();
      },
    });
    const { clock, fake, bot, locker } = await setup({ log: createLogger('info', sink), larkTimeoutMs: 10_000 });
    // Hold the bot between claiming the event and running it: its first Open API call (who am I) hangs.
    fake.failNext({ kind: 'hang' }, 1, '/bot/v3/info');
    const ev = progress();
    expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    await until(() => fake.calls.some((c) => c.path === '/open-apis/bot/v3/info' && c.outcome === 'hang'), 'the bot-info call to hang');
    expect(await rows(bot)).toEqual([{ event_id: ev.header.event_id, status: 'processing' }]);

    locker.exec('BEGIN IMMEDIATE');
    release = () => locker.exec('COMMIT');
    fake.release();
    await until(() => release === null, 'the bot to log the failed attempt');
    await bot.runtime.settle();
    // The lease of the attempt that failed runs out; the event is then handled normally.
    clock.advance(61_000);
    await bot.runtime.settle();

    expect(await rows(bot)).toEqual([{ event_id: ev.header.event_id, status: 'done' }]);
    const got = replies(fake, ev.event.message.message_id);
    expect(got).toHaveLength(1);
    expect(got[0]!.msgType).toBe('interactive');
    expect(JSON.stringify(got[0]!.content)).toContain('0/21');
  });
});

describe('Open API faults', () => {
  it('sends a reply once after the connection is reset, under the same uuid', async () => {
    const { clock, fake, bot } = await setup();
    fake.failNext({ kind: 'reset' });
    const ev = progress();
    expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    await bot.runtime.settle();
    expect(fake.deliveries).toHaveLength(0);
    clock.advance(5_000);
    await bot.runtime.settle();
    expect(replies(fake, ev.event.message.message_id)).toHaveLength(1);
    const attempts = fake.calls.filter((c) => c.path.endsWith('/reply'));
    expect(attempts.map((c) => c.outcome)).toEqual(['reset', 'ok']);
    expect(attempts[0]!.body!.uuid).toBe(attempts[1]!.body!.uuid);
  });
});
