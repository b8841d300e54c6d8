import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { messageEvent, signedRequest } from '../support/lark-events.ts';
import { ChildBot } from '../support/child-bot.ts';
import { freePort, tempDir, until } from '../support/wait.ts';
import { childDatabase } from '../support/child-database.ts';
import { testBackend } from '../support/test-database.ts';

/**
 * DESIGN §4.5: `kill -9` at any moment loses no event that got a 200 and sends no reply twice after restart. On both
 * backends: the bot on a SQLite file, or on a PostgreSQL database (DATABASE_URL).
 */

// Fewer on PostgreSQL: each start there also opens its pool and checks the migrations, and the suite's time is shared.
const KILLS = testBackend === 'postgres' ? 14 : 22;
const CHATS = ['oc_crash_group_a', 'oc_crash_group_b', 'oc_crash_group_c', 'oc_crash_group_d'];

/** A small seeded generator, so a failing run can be repeated with CRASH_SEED. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Tracked {
  ev: ReturnType<typeof messageEvent>;
  text: '进度' | '帮助';
  acked: boolean;
  inFlight: boolean;
}

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe('crash safety of the real bot process', () => {
  it(`survives ${KILLS} kill -9 at random points: integrity ok, every acknowledged event handled once, no reply lost or sent twice`, async () => {
    const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 1e9));
    const rand = mulberry32(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const fake = await new FakeLarkApi().start();
    const dir = tempDir('bot-crash-');
    const database = await childDatabase(dir);
    let child: ChildBot | null = null;
    cleanup.push(async () => {
      await child?.kill9();
      await fake.stop();
      await database.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const events: Tracked[] = [];
    let acks = 0;
    // Each start moves the bot's clock 90 s further than real time, so leases held by a killed process
    // (60 s inbox, 30 s outbox) have run out when it comes back, as they would after a real restart delay.
    let skewMs = 0;
    const startBot = async (): Promise<ChildBot> => {
      skewMs += 90_000;
      child = ChildBot.start({ larkDomain: fake.url, dbPath: database.dbPath, env: database.env, port: await freePort(), botNow: new Date(Date.now() + skewMs) });
      return child;
    };

    async function post(bot: ChildBot, t: Tracked): Promise<void> {
      t.inFlight = true;
      try {
        const res = await fetch(`${bot.base}/webhook/event`, { method: 'POST', ...signedRequest(t.ev) });
        if (res.status === 200 && !t.acked) {
          t.acked = true;
          acks++;
        }
      } catch {
        // Connection refused or cut by the kill: Lark would retry this event later.
      } finally {
        t.inFlight = false;
      }
    }

    /** Sends like Lark: new events, retries of unanswered ones, and now and then a repeat of an answered one. */
    async function drive(bot: ChildBot, stop: { now: boolean }): Promise<void> {
      const inFlight = new Set<Promise<void>>();
      while (!stop.now && bot.running) {
        while (inFlight.size < 4) {
          const retry = events.find((e) => !e.acked && !e.inFlight);
          const answered = events.filter((e) => e.acked && !e.inFlight);
          let t: Tracked;
          if (retry) t = retry;
          else if (answered.length > 0 && rand() < 0.1) t = pick(answered);
          else {
            const text = rand() < 0.5 ? '进度' : '帮助';
            t = { ev: messageEvent({ senderOpenId: ADMIN, text, chatId: pick(CHATS), botOpenId: FAKE_BOT_OPEN_ID }), text, acked: false, inFlight: false };
            events.push(t);
          }
          const p = post(bot, t).finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
        await Promise.race(inFlight);
      }
      await Promise.allSettled([...inFlight]);
    }

    const triggers: string[] = [];
    for (let round = 0; round < KILLS; round++) {
      const bot = await startBot();
      const trigger = round > 0 && rand() < 0.15 ? 'during start-up' : pick(['after acks', 'at a delivery', 'on a timer'] as const);
      triggers.push(trigger);
      if (trigger === 'during start-up') {
        await new Promise((r) => setTimeout(r, Math.floor(rand() * 1500)));
        await bot.kill9();
      } else {
        await bot.ready();
        const stop = { now: false };
        const driving = drive(bot, stop);
        const acks0 = acks;
        const deliveries0 = fake.deliveries.length;
        if (trigger === 'after acks') {
          const k = 1 + Math.floor(rand() * 12);
          await until(() => acks >= acks0 + k, `${k} acknowledgements`, 15_000, 1).catch(() => undefined);
        } else if (trigger === 'at a delivery') {
          const k = 1 + Math.floor(rand() * 4);
          await until(() => fake.deliveries.length >= deliveries0 + k, `${k} deliveries`, 15_000, 1).catch(() => undefined);
        } else {
          await new Promise((r) => setTimeout(r, Math.floor(rand() * 400)));
        }
        await bot.kill9();
        stop.now = true;
        await driving;
      }
      expect(await database.integrity(), `integrity after kill ${round + 1} (seed ${seed})`).toBe('ok');
    }

    // The last start: Lark's retries get every event answered; then everything settles.
    const bot = await startBot();
    await bot.ready();
    const stop = { now: false };
    const driving = (async () => {
      while (events.some((e) => !e.acked)) {
        await Promise.all(events.filter((e) => !e.acked && !e.inFlight).map((e) => post(bot, e)));
      }
    })();
    await until(() => events.every((e) => e.acked), 'every event to be acknowledged', 30_000);
    stop.now = true;
    await driving;

    const { db } = database.reader;
    const pendingWork = async () =>
      (await db.selectFrom('inbox_events').select('id').where('status', '<>', 'done').execute()).length +
      (await db.selectFrom('outbox_messages').select('id').where('status', '<>', 'sent').execute()).length;
    await until(async () => (await pendingWork()) === 0, 'the inbox and outbox to drain', 60_000, 50).catch(async (err: Error) => {
      const left = await db.selectFrom('inbox_events').select(['status', 'attempts', 'error']).where('status', '<>', 'done').execute();
      const unsent = await db.selectFrom('outbox_messages').select(['status', 'attempts', 'last_error']).where('status', '<>', 'sent').execute();
      throw new Error(`${err.message} (seed ${seed}): inbox ${JSON.stringify(left)}, outbox ${JSON.stringify(unsent)}\n${bot.output.join('').slice(-3000)}`);
    });
    await bot.stop();
    const context = `${testBackend}, seed ${seed}; kills: ${triggers.join(', ')}\n${bot.output.join('').slice(-2000)}`;

    expect(await database.integrity(), context).toBe('ok');
    expect(triggers).toHaveLength(KILLS);

    // Every event that got a 200 was processed exactly once.
    const inbox = await db.selectFrom('inbox_events').select(['event_id', 'message_id', 'status', 'attempts']).execute();
    expect(inbox.map((r) => r.event_id).sort(), context).toEqual(events.map((e) => e.ev.header.event_id).sort());
    expect(inbox.every((r) => r.status === 'done'), context).toBe(true);

    // Exactly one reply per acknowledged event at the Open API, of the kind its command gives.
    const byTarget = new Map<string, typeof fake.deliveries>();
    for (const d of fake.deliveries) byTarget.set(d.target, [...(byTarget.get(d.target) ?? []), d]);
    expect(fake.deliveries.every((d) => d.kind === 'reply'), context).toBe(true);
    expect([...byTarget.keys()].sort(), context).toEqual(events.map((e) => e.ev.event.message.message_id).sort());
    for (const e of events) {
      const got = byTarget.get(e.ev.event.message.message_id)!;
      expect(got, context).toHaveLength(1);
      expect(got[0]!.msgType).toBe(e.text === '进度' ? 'interactive' : 'text');
    }

    // No uuid reached the API twice with different content, and every outbox row was sent under its uuid.
    const sends = fake.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/reply'));
    const byUuid = new Map<string, Set<string>>();
    for (const c of sends) {
      const uuid = String(c.body?.uuid);
      byUuid.set(uuid, (byUuid.get(uuid) ?? new Set()).add(JSON.stringify([c.body?.msg_type, c.body?.content])));
    }
    for (const [uuid, contents] of byUuid) expect(contents.size, `uuid ${uuid} sent with different content; ${context}`).toBe(1);
    const outbox = await db.selectFrom('outbox_messages').select(['uuid', 'status']).execute();
    expect(outbox).toHaveLength(events.length);
    expect(outbox.every((r) => r.status === 'sent')).toBe(true);
    expect(new Set(fake.deliveries.map((d) => d.uuid))).toEqual(new Set(outbox.map((r) => r.uuid)));

    const resent = sends.length - fake.deliveries.length;
    console.log(`crash test (${testBackend}): seed ${seed}, ${KILLS} kills (${triggers.filter((t) => t === 'during start-up').length} during start-up), ${events.length} events, ${fake.deliveries.length} replies, ${resent} repeated sends absorbed by uuid`);
  }, 420_000);
});
