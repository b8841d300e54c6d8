import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ADMIN, chatIdOf } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { messageEvent, signedRequest } from '../support/lark-events.ts';
import { ChildBot } from '../support/child-bot.ts';
import { freePort, tempDir, until } from '../support/wait.ts';
import { giveBackTestDatabase, takeTestDatabase, urlOfDatabase } from '../support/pg-databases.ts';
import { openPostgresDatabase } from '../../src/db/postgres.ts';
import { enqueueOutgoing } from '../../src/outbox/enqueue.ts';

// PostgreSQL project only. Issue 15, Must show 2: three bot processes on one PostgreSQL database behind one
// address (any replica may get any request), Lark's retries and repeats included.

const GROUPS = [
  { community: '梅园社区', chat: chatIdOf('梅园群') },
  { community: '紫薇社区', chat: chatIdOf('紫薇群') },
  { community: '丰泽社区', chat: chatIdOf('丰泽群') },
  { community: '东、西鲁社区', chat: chatIdOf('东西鲁群') },
];
/** The day before the first report prompt, and that prompt's minute (29 September 09:00, each bound group). */
const BEFORE = '2020-09-28T10:00:00+08:00';
const PROMPT_MINUTE = '2020-09-29T09:00:00+08:00';

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** Deliveries with the same uuid: a message Lark would have shown twice had it not dropped the repeat. */
function repeatedUuids(fake: FakeLarkApi): string[] {
  const seen = new Set<string>();
  const repeats: string[] = [];
  for (const d of fake.deliveries) {
    if (!d.uuid) continue;
    if (seen.has(d.uuid)) repeats.push(d.uuid);
    seen.add(d.uuid);
  }
  return repeats;
}

/** The most quota-counted calls that arrived at the fake within any one second. */
function busiestSecond(fake: FakeLarkApi): number {
  const at = fake.calls.filter((c) => c.method !== 'GET' && c.outcome === 'ok' && !c.path.includes('/auth/')).map((c) => c.at).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('three replicas on one PostgreSQL database', () => {
  it('one effect and one reply per message sent to random replicas (also to two at once); app-wide 50/s; a kill -9 at the due minute sends each reminder once', async () => {
    const adminUrl = inject('pgAdminUrl');
    const name = await takeTestDatabase(adminUrl);
    const databaseUrl = urlOfDatabase(adminUrl, name);
    const fake = await new FakeLarkApi().start();
    fake.enforceQuotas();
    const dir = tempDir('bot-replicas-');
    const bots: ChildBot[] = [];
    const database = openPostgresDatabase(databaseUrl, { max: 2 });
    cleanup.push(async () => {
      for (const b of bots) await b.kill9();
      await fake.stop();
      await database.close();
      await giveBackTestDatabase(adminUrl, name);
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const start = async (botNow: string, n: number) => {
      const started = await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const bot = ChildBot.start({ larkDomain: fake.url, dbPath: path.join(dir, `unused-${bots.length + i}.db`), port: await freePort(), botNow: new Date(botNow), env: { DATABASE_URL: databaseUrl } });
          bots.push(bot);
          return bot;
        }),
      );
      await Promise.all(started.map((b) => b.ready(60_000)));
      return started;
    };

    // All three start at once on the empty database: one of them imports the campaign.
    const replicas = await start(BEFORE, 3);
    const pick = () => replicas[Math.floor(Math.random() * replicas.length)]!;
    const post = async (bot: ChildBot, ev: ReturnType<typeof messageEvent>) => (await fetch(`${bot.base}/webhook/event`, { method: 'POST', ...signedRequest(ev) })).status;

    // 1. Binding the four groups and asking for help, each event to a random replica; every other one is also
    //    sent to a second replica at the same moment (a retry of Lark's crossing the first delivery).
    const events = [
      ...GROUPS.map((g) => messageEvent({ senderOpenId: ADMIN, text: `绑定群 ${g.community}`, chatId: g.chat, botOpenId: FAKE_BOT_OPEN_ID })),
      ...Array.from({ length: 12 }, (_, i) => messageEvent({ senderOpenId: ADMIN, text: '帮助', chatId: `oc_replica_help_${i % 4}`, botOpenId: FAKE_BOT_OPEN_ID })),
    ];
    const statuses = await Promise.all(
      events.map(async (ev, i) => {
        const first = pick();
        const twice = i % 2 === 0 ? [first, replicas[(replicas.indexOf(first) + 1) % replicas.length]!] : [first];
        return Promise.all(twice.map((b) => post(b, ev)));
      }),
    );
    expect(statuses.flat().every((s) => s === 200)).toBe(true);
    const replies = (ev: (typeof events)[number]) => fake.deliveries.filter((d) => d.kind === 'reply' && d.target === ev.event.message.message_id);
    await until(() => events.every((ev) => replies(ev).length >= 1), 'a reply to every message', 30_000);
    const inbox = await database.db.selectFrom('inbox_events').select(['event_id', 'status']).execute();
    expect(inbox.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.header.event_id).sort());
    expect(inbox.every((r) => r.status === 'done')).toBe(true);
    const bound = await database.db.selectFrom('bound_chats').select('chat_id').where('revoked_at', 'is', null).execute();
    expect(bound.map((b) => b.chat_id).sort()).toEqual(GROUPS.map((g) => g.chat).sort());

    // 2. 150 messages waiting at once: the three senders together stay within Lark's 50 per second per app.
    const burstStart = fake.deliveries.length;
    for (let i = 0; i < 150; i++) {
      await enqueueOutgoing(
        database.db,
        { cause: `test:burst:${i}`, seq: 1, op: 'send', target: `oc_burst_${i}`, targetType: 'chat_id', paceKey: `oc_burst_${i}`, content: { type: 'text', text: `第${i + 1}条` }, purpose: 'burst' },
        new Date('2020-09-28T01:00:00Z'),
      );
    }
    await until(
      () => {
        // A refusal fails at once (the retries after a 429 would take long).
        expect(fake.quotaRefusals).toEqual([]);
        return fake.deliveries.length >= burstStart + 150;
      },
      '150 burst messages delivered',
      30_000,
    );
    expect(busiestSecond(fake)).toBeLessThanOrEqual(50);

    // 3. The prompt minute: the first replica to come up is killed (-9) as soon as it starts sending the prompts;
    //    the other two, started after it, find the slot recorded or not and send what is left, each once.
    for (const b of replicas) await b.stop();
    const promptsBefore = fake.deliveries.length;
    const prompts = () => fake.deliveries.slice(promptsBefore).filter((d) => d.kind === 'send' && d.msgType === 'interactive' && GROUPS.some((g) => g.chat === d.target));
    const [first] = await start(PROMPT_MINUTE, 1);
    await until(() => prompts().length >= 1, 'the first prompt card', 30_000);
    await first!.kill9();
    // 40 s later on the bot's clock: the dead replica's leases (30 s outbox, 60 s inbox) are not waited out in real time.
    await start('2020-09-29T09:00:40+08:00', 2);
    await until(() => new Set(prompts().map((d) => d.target)).size === GROUPS.length, 'a prompt card in every group', 30_000);
    await until(async () => (await database.db.selectFrom('outbox_messages').select('id').where('status', '=', 'pending').execute()).length === 0, 'an empty outbox', 30_000);
    expect(prompts().map((d) => d.target).sort()).toEqual(GROUPS.map((g) => g.chat).sort());
    const ledger = await database.db.selectFrom('reminder_ledger').select(['reminder_key', 'status']).where('reminder_key', 'like', '%report-prompt:%').where('slot_at', '=', new Date(PROMPT_MINUTE).toISOString()).execute();
    expect(ledger.length).toBeGreaterThan(0);
    expect(ledger.every((r) => r.status === 'sent')).toBe(true);

    // Nothing at all reached a chat twice, and no quota was broken at any point.
    expect(repeatedUuids(fake)).toEqual([]);
    for (const ev of events) expect(replies(ev)).toHaveLength(1);
    expect(fake.quotaRefusals).toEqual([]);
  }, 180_000);
});
