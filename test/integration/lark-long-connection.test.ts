import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/clock.ts';
import { defineCardAction, type FeatureModule } from '../../src/bot/command.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/connect.ts';
import { openTestDatabase, testBackend } from '../support/test-database.ts';
import { createLogger } from '../../src/logger.ts';
import { features } from '../../commands/index.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { EXCEED_CONN_LIMIT, FakeLarkGateway, type GatewayAck } from '../support/fake-lark-gateway.ts';
import { LARK_BOT_APP_SECRET, startLarkBot } from '../support/lark-bot.ts';
import { APP_ID, cardEvent, messageEvent, signedRequest } from '../support/lark-events.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';
import { tempDir, until } from '../support/wait.ts';

/**
 * Lark's long-connection mode through the SDK's real WSClient against a fake gateway: the same inbox, the same
 * de-duplication and the same card answers as the webhook, an ack only once the event is stored, and a
 * connection that comes back after drops, silence and the connection-limit refusal.
 */

type Bot = Awaited<ReturnType<typeof startLarkBot>>;
let fake: FakeLarkApi | null = null;
let gateway: FakeLarkGateway | null = null;
let bot: Bot | null = null;
let cleanup: (() => void | Promise<void>)[] = [];

let release: () => void = () => undefined;
const slowCard: FeatureModule = {
  cardActions: [
    defineCardAction({
      kind: 'test.slow',
      value: z.object({ a: z.literal('test.slow') }),
      async handler() {
        await new Promise<void>((resolve) => { release = resolve; });
        return { toast: { type: 'success', content: '完成' }, card: { schema: '2.0', header: { title: { tag: 'plain_text', content: '已完成' } }, body: { elements: [] } } };
      },
    }),
  ],
};

afterEach(async () => {
  release();
  await bot?.stop();
  await gateway?.stop();
  await fake?.stop();
  for (const c of cleanup) await c();
  fake = gateway = bot = null;
  cleanup = [];
});

interface SetupOptions {
  longConnection?: Parameters<typeof startLarkBot>[0]['longConnection'];
  clientConfig?: Partial<FakeLarkGateway['clientConfig']>;
  beforeStart?: (g: FakeLarkGateway) => void;
  log?: Parameters<typeof startLarkBot>[0]['log'];
  database?: OpenedDatabase;
  cardAnswerBudgetMs?: number;
  features?: FeatureModule[];
  waitForConnection?: boolean;
}

async function setup(o: SetupOptions = {}) {
  const clock = new ManualClock('2020-09-28T09:00:00+08:00');
  fake = await new FakeLarkApi(clock).start();
  gateway = await new FakeLarkGateway(fake, { appId: APP_ID, appSecret: LARK_BOT_APP_SECRET }).start();
  Object.assign(gateway.clientConfig, o.clientConfig);
  o.beforeStart?.(gateway);
  bot = await startLarkBot({
    fake, clock, env: { LARK_TRANSPORT: 'ws' }, log: o.log, database: o.database, cardAnswerBudgetMs: o.cardAnswerBudgetMs,
    features: o.features, longConnection: { restartInitialMs: 300, restartMaxMs: 2000, watchEveryMs: 20, ...o.longConnection },
  });
  if (o.waitForConnection ?? true) await gateway.waitForConnections(1);
  return { clock, fake, gateway, bot };
}

/** A log that keeps its lines, at info as in production. */
function capturedLog() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger('info', sink), lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const ev = (text: string, o: Partial<Parameters<typeof messageEvent>[0]> = {}) => messageEvent({ senderOpenId: ADMIN, text, botOpenId: FAKE_BOT_OPEN_ID, ...o });
const inboxRows = (b: Bot) => b.runtime.db.selectFrom('inbox_events').select(['event_id', 'status']).orderBy('id').execute();
const repliesTo = (f: FakeLarkApi, messageId: string) => f.deliveries.filter((d) => d.kind === 'reply' && d.target === messageId);
const health = async (b: Bot) => (await fetch(`${b.base}/healthz`)).json();

describe('long connection (LARK_TRANSPORT=ws) through the SDK WSClient', () => {
  it('dials out with the app credentials, shows the connection in /healthz, and leaves the webhook routes unserved', async () => {
    const { gateway, bot } = await setup();
    expect(gateway.endpointRequests).toEqual([expect.objectContaining({ appId: APP_ID, secretOk: true, answer: 0 })]);
    expect(gateway.connections[0]!.deviceId).toBe('dev_1');
    await until(async () => (await health(bot)).connected === true, 'healthz to show the connection');
    expect(await health(bot)).toEqual({ ok: true, transport: 'ws', connected: true });

    const res = await bot.post('/webhook/event', signedRequest(ev('进度')));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: expect.stringContaining('LARK_TRANSPORT=ws') });
    expect(await inboxRows(bot)).toEqual([]);
    // The JSON API is still served.
    expect((await fetch(`${bot.base}/api/v1/progress`, { headers: { authorization: 'Bearer api-token' } })).status).toBe(200);
  });

  it('acknowledges a message once it is in the inbox, and replies once at the Open API', async () => {
    const { fake, gateway, bot } = await setup();
    const e = ev('进度');
    const storedAtAck: unknown[] = [];
    const ack = gateway.deliver(e).then(async (a) => {
      // SQLite: read in the same tick as the ack. PostgreSQL has no synchronous read: the query starts at once.
      if (testBackend === 'sqlite') storedAtAck.push(bot.database.sqlite.prepare('SELECT count(*) AS n FROM inbox_events WHERE event_id = ?').get(e.header.event_id));
      else storedAtAck.push(await bot.database.db.selectFrom('inbox_events').select((eb) => eb.fn.countAll<number>().as('n')).where('event_id', '=', e.header.event_id).executeTakeFirst());
      return a;
    });
    expect(await ack).toMatchObject({ code: 200, data: null });
    expect(storedAtAck).toEqual([{ n: 1 }]);
    await fake.waitForDeliveries(1);
    await bot.runtime.settle();
    expect(repliesTo(fake, e.event.message.message_id)).toEqual([expect.objectContaining({ msgType: 'interactive' })]);
    expect(fake.deliveries).toHaveLength(1);
    expect(await inboxRows(bot)).toEqual([{ event_id: e.header.event_id, status: 'done' }]);
  });

  it('gives one effect and one reply to the same event twice, ten at once, and one message under two event ids, acking each', async () => {
    const { fake, gateway, bot } = await setup();
    const e = ev('帮助');
    const acks: GatewayAck[] = [await gateway.deliver(e), await gateway.deliver(e)];
    acks.push(...(await Promise.all(Array.from({ length: 10 }, () => gateway.deliver(e)))));
    const other = ev('帮助', { messageId: e.event.message.message_id });
    acks.push(await gateway.deliver(other));
    expect(acks.map((a) => a.code)).toEqual(Array(13).fill(200));
    await bot.runtime.settle();
    expect(await inboxRows(bot)).toEqual([{ event_id: e.header.event_id, status: 'done' }]);
    expect(repliesTo(fake, e.event.message.message_id)).toHaveLength(1);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('answers a card button press in the ack within 3 s, in Lark’s format, from a payload sent in parts; a repeat changes nothing', async () => {
    const { fake, gateway, bot } = await setup();
    const report = ev('福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234', { chatType: 'p2p', chatId: 'oc_p2p_admin', mentionBot: false });
    await gateway.deliver(report);
    await fake.waitForDeliveries(1);
    const recorded = fake.deliveries[0]!;
    expect(cardText(recorded.content)).toContain('已记录');
    const undo = cardButtons(recorded.content).find((b) => b.label === '撤销')!;
    expect(undo).toBeDefined();
    const takeovers = () => bot.database.db.selectFrom('takeovers').select((eb) => eb.fn.countAll<number>().as('n')).where('superseded_at', 'is', null).executeTakeFirst();
    expect(await takeovers()).toEqual({ n: 1 });

    const press = cardEvent({ operatorOpenId: ADMIN, value: undo.value, messageId: recorded.messageId, chatId: 'oc_p2p_admin' });
    const t0 = Date.now();
    const ack = await gateway.deliver(press, { parts: 3 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(ack.code).toBe(200);
    expect(ack.data).toEqual({
      toast: { type: 'success', content: '已撤销' },
      card: { type: 'raw', data: expect.objectContaining({ schema: '2.0' }) },
    });
    expect(cardText((ack.data as { card: { data: Record<string, unknown> } }).card.data)).toContain('撤销');
    expect(await takeovers()).toEqual({ n: 0 });

    // Lark delivers the callback again: the stored answer, and nothing undone twice.
    const again = await gateway.deliver(press);
    expect(again.data).toEqual(ack.data);
    await bot.runtime.settle();
    expect(await takeovers()).toEqual({ n: 0 });
    expect(fake.deliveries.filter((d) => d.kind !== 'patch')).toHaveLength(1);
  });

  it('answers a slow card action within the budget with a toast, then patches the card when the work is done', async () => {
    const { fake, gateway, bot } = await setup({ features: [...features, slowCard], cardAnswerBudgetMs: 200 });
    const t0 = Date.now();
    const ack = await gateway.deliver(cardEvent({ operatorOpenId: ADMIN, value: { a: 'test.slow' }, messageId: 'om_card_slow' }));
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(ack.data).toEqual({ toast: { type: 'info', content: '已收到，正在处理。' } });
    release();
    await until(async () => {
      await bot.runtime.settle();
      return fake.deliveries.some((d) => d.kind === 'patch');
    }, 'the late card patch');
    const patch = fake.deliveries.find((d) => d.kind === 'patch')!;
    expect(patch.target).toBe('om_card_slow');
    expect(JSON.stringify(patch.content)).toContain('已完成');
  });

  it('reconnects after the gateway drops the connection; nothing acknowledged is lost, and an event whose ack was lost comes again once', async () => {
    const { log, lines, entries } = capturedLog();
    const { fake, gateway, bot } = await setup({ log });
    const before = ev('进度', { chatId: 'oc_drop_a' });
    expect((await gateway.deliver(before)).code).toBe(200);

    gateway.drop();
    await gateway.waitForConnections(2);
    await until(async () => (await health(bot)).connected === true, 'healthz to show the new connection');
    const after = ev('帮助', { chatId: 'oc_drop_b' });
    expect((await gateway.deliver(after)).code).toBe(200);

    // The connection breaks as the bot's ack travels: Lark never got it, so it delivers the event again.
    const lost = ev('我是谁', { chatId: 'oc_drop_c' });
    await expect(gateway.deliver(lost, { loseAck: true })).rejects.toThrow(/closed before the ack/);
    expect(await inboxRows(bot)).toContainEqual(expect.objectContaining({ event_id: lost.header.event_id }));
    await gateway.waitForConnections(3);
    expect((await gateway.deliver(lost)).code).toBe(200);

    await bot.runtime.settle();
    await fake.waitForDeliveries(3);
    for (const e of [before, after, lost]) expect(repliesTo(fake, e.event.message.message_id)).toHaveLength(1);
    expect(fake.deliveries).toHaveLength(3);
    expect((await inboxRows(bot)).map((r) => r.status)).toEqual(['done', 'done', 'done']);
    // State changes at info, and never the text of a message.
    for (const text of ['进度', '帮助', '我是谁']) expect(lines.join('\n')).not.toContain(text);
    const states = entries().filter((l) => l.msg === 'long connection state').map((l) => l.state);
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected', 'reconnecting', 'connected']);
  });

  it('notices a connection that has gone silent (no pong within pingTimeout) and connects again', async () => {
    const { gateway } = await setup({ clientConfig: { PingInterval: 0.4 }, longConnection: { pingTimeoutSec: 0.2 } });
    gateway.answerPings = false;
    await gateway.waitFor(() => gateway.connections[0]!.closed, 'the silent connection to be closed by the bot');
    gateway.answerPings = true;
    await gateway.waitFor(() => gateway.readyConnections().some((c) => c.id > 1 && c.pings >= 2), 'a new connection that answers pings');
    expect((await gateway.deliver(ev('帮助'))).code).toBe(200);
  });

  it('restarts the client after backoff when the gateway refuses with the connection-limit code, at start and on reconnect', async () => {
    const { log, lines, entries } = capturedLog();
    const { fake, gateway, bot } = await setup({ log, beforeStart: (g) => g.refuseNext(1), waitForConnection: false });
    await gateway.waitForConnections(1);
    expect(gateway.endpointRequests.map((r) => r.answer)).toEqual([EXCEED_CONN_LIMIT, 0]);
    // restartInitialMs 300 with equal jitter: the first pause lasts 150–300 ms.
    const gap1 = gateway.endpointRequests[1]!.at - gateway.endpointRequests[0]!.at;
    expect(gap1).toBeGreaterThanOrEqual(140);

    // On a reconnect the SDK gives up after the refusal too; the pause doubles with each failure in a row.
    gateway.refuseNext(2);
    gateway.drop();
    await until(async () => (await health(bot)).connected === false, 'healthz to show the lost connection');
    await gateway.waitForConnections(2);
    const answers = gateway.endpointRequests.map((r) => r.answer);
    expect(answers).toEqual([EXCEED_CONN_LIMIT, 0, EXCEED_CONN_LIMIT, EXCEED_CONN_LIMIT, 0]);
    const at = gateway.endpointRequests.map((r) => r.at);
    expect(at[3]! - at[2]!).toBeGreaterThanOrEqual(140);
    expect(at[4]! - at[3]!).toBeGreaterThanOrEqual(290);
    await until(async () => (await health(bot)).connected === true, 'healthz to show the connection again');
    expect(bot.runtime.longConnection!.status().restarts).toBe(3);

    const e = ev('进度');
    expect((await gateway.deliver(e)).code).toBe(200);
    await fake.waitForDeliveries(1);

    const failures = entries().filter((l) => l.msg === 'long connection failed; restarting after a pause');
    expect(failures).toHaveLength(3);
    expect(failures.map((f) => f.reason)).toEqual(Array(3).fill(expect.stringContaining(String(EXCEED_CONN_LIMIT))));
    const delays = failures.map((f) => Number(f.delayMs));
    expect(delays[0]).toBeGreaterThanOrEqual(150);
    expect(delays[0]).toBeLessThanOrEqual(300);
    expect(delays[2]).toBeGreaterThanOrEqual(300);
    expect(delays[2]).toBeLessThanOrEqual(600);
    expect(lines.join('\n')).not.toContain(LARK_BOT_APP_SECRET);
    expect(lines.join('\n')).not.toContain('ticket=');
  });

  it('replaces a client that stays disconnected (here behind a hanging endpoint request) instead of waiting for the SDK', async () => {
    const { log, entries } = capturedLog();
    // The endpoint request hangs: the SDK would wait for its 15 s timeout, then pause again before its next try.
    const { fake, gateway, bot } = await setup({ log, beforeStart: (g) => g.hangNext(1), waitForConnection: false, longConnection: { stuckAfterMs: 400 } });
    await gateway.waitForConnections(1, 5000);
    expect(fake.calls.filter((c) => c.path === '/callback/ws/endpoint')).toHaveLength(2);
    expect(gateway.endpointRequests.map((r) => r.answer)).toEqual([0]);
    expect(bot.runtime.longConnection!.status()).toMatchObject({ restarts: 1 });
    expect(entries().find((l) => l.msg === 'long connection failed; restarting after a pause')?.reason).toMatch(/^not connected for/);
    expect((await gateway.deliver(ev('帮助'))).code).toBe(200);
  });

  it('lets two bots on one database each hold a connection; an event that reaches both has one effect', async () => {
    const database = openTestDatabase();
    cleanup.push(() => database.close());
    const { clock, fake, gateway } = await setup({ database });
    const second = await startLarkBot({ fake, clock, database, env: { LARK_TRANSPORT: 'ws' }, longConnection: { restartInitialMs: 300 } });
    cleanup.unshift(() => second.stop());
    await gateway.waitForConnections(2);
    const [a, b] = gateway.readyConnections();
    const e = ev('进度');
    const acks = await Promise.all([gateway.deliver(e, { connection: a }), gateway.deliver(e, { connection: b })]);
    expect(acks.map((x) => [x.connection, x.code])).toEqual([[a!.id, 200], [b!.id, 200]]);
    const other = ev('帮助');
    expect((await gateway.deliver(other, { connection: b })).code).toBe(200);
    await fake.waitForDeliveries(2);
    await bot!.runtime.settle();
    await second.runtime.settle();
    expect(repliesTo(fake, e.event.message.message_id)).toHaveLength(1);
    expect(repliesTo(fake, other.event.message.message_id)).toHaveLength(1);
    expect(fake.deliveries).toHaveLength(2);
  });

  it('acks with code 500 and stores nothing while the database is locked; Lark’s re-delivery then gets 200 and one reply', async () => {
    const dir = tempDir('bot-ws-lock-');
    const file = path.join(dir, 'bot.db');
    const database = openDatabase(file);
    database.sqlite.pragma('busy_timeout = 300');
    const locker = new SQLite(file);
    cleanup.push(() => {
      if (locker.inTransaction) locker.exec('ROLLBACK');
      locker.close();
    }, () => database.close(), () => fs.rmSync(dir, { recursive: true, force: true }));
    const { fake, gateway, bot } = await setup({ database });
    await bot.runtime.identity();
    const e = ev('进度');
    locker.exec('BEGIN IMMEDIATE');
    expect((await gateway.deliver(e)).code).toBe(500);
    expect(locker.prepare('SELECT count(*) AS n FROM inbox_events').get()).toEqual({ n: 0 });
    locker.exec('COMMIT');

    expect((await gateway.deliver(e)).code).toBe(200);
    await bot.runtime.settle();
    await fake.waitForDeliveries(1);
    expect(await inboxRows(bot)).toEqual([{ event_id: e.header.event_id, status: 'done' }]);
    expect(fake.deliveries).toHaveLength(1);
  });
});
