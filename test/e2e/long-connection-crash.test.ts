import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { FakeLarkGateway } from '../support/fake-lark-gateway.ts';
import { APP_ID, messageEvent } from '../support/lark-events.ts';
import { CHILD_APP_SECRET, ChildBot } from '../support/child-bot.ts';
import { freePort, tempDir, until } from '../support/wait.ts';

/** DESIGN §4.5 over the long connection: an event the bot acknowledged survives `kill -9` and is handled once. */

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe('crash safety over the long connection', () => {
  it('processes an event acknowledged just before kill -9 after the restart, once, even when Lark delivers it again', async () => {
    const fake = await new FakeLarkApi().start();
    const gateway = await new FakeLarkGateway(fake, { appId: APP_ID, appSecret: CHILD_APP_SECRET }).start();
    const dir = tempDir('bot-ws-crash-');
    const dbPath = path.join(dir, 'bot.db');
    const children: ChildBot[] = [];
    cleanup.push(async () => {
      for (const c of children) await c.kill9();
      await gateway.stop();
      await fake.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    // Each start runs the bot's clock further ahead, so the killed process's inbox lease (60 s) has run out.
    const start = async (skewMs: number) => {
      const child = ChildBot.start({ larkDomain: fake.url, dbPath, port: await freePort(), botNow: new Date(Date.now() + skewMs), env: { LARK_TRANSPORT: 'ws' } });
      children.push(child);
      await child.ready();
      return child;
    };

    // The Open API hangs, so the first process cannot finish the event before it is killed.
    fake.hangAll = true;
    const first = await start(90_000);
    await gateway.waitForConnections(1, 30_000);
    const e = messageEvent({ senderOpenId: ADMIN, text: '进度', botOpenId: FAKE_BOT_OPEN_ID, chatId: 'oc_ws_crash_group' });
    expect((await gateway.deliver(e)).code).toBe(200);
    await first.kill9();

    const reader = new SQLite(dbPath, { readonly: true });
    const stored = reader.prepare('SELECT event_id, status FROM inbox_events').all() as { event_id: string; status: string }[];
    reader.close();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.event_id).toBe(e.header.event_id);
    expect(stored[0]!.status).not.toBe('done');
    expect(fake.deliveries).toEqual([]);

    fake.release();
    const second = await start(180_000);
    await gateway.waitForConnections(2, 30_000);
    await fake.waitForDeliveries(1, 30_000);
    // Lark may push the event again (its ack raced the crash): acknowledged, and nothing more happens.
    expect((await gateway.deliver(e)).code).toBe(200);

    const db = new SQLite(dbPath, { readonly: true });
    cleanup.push(() => {
      db.close();
    });
    const rows = () => db.prepare('SELECT event_id, status FROM inbox_events').all();
    await until(() => JSON.stringify(rows()) === JSON.stringify([{ event_id: e.header.event_id, status: 'done' }]), 'the event to be done', 30_000, 50);
    await second.stop();
    expect(fake.deliveries).toEqual([expect.objectContaining({ kind: 'reply', target: e.event.message.message_id, msgType: 'interactive' })]);
    expect(db.prepare("SELECT count(*) AS n FROM outbox_messages WHERE status = 'sent'").get()).toEqual({ n: 1 });
  }, 120_000);
});
