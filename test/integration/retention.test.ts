import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../src/db/connect.ts';
import { storeEvents } from '../../src/db/inbox-store.ts';
import { enqueueOutgoing } from '../../src/outbox/enqueue.ts';
import { consumeCardToken, issueCardToken } from '../../src/domain/card-tokens.ts';
import { backupDatabase } from '../../src/db/backup.ts';
import { retentionPolicy } from '../../src/jobs/retention.ts';
import { parseCampaign } from '../../src/campaign/schema.ts';
import { createTestBot, type TestBot } from '../support/harness.ts';
import { ROOT } from '../support/child-bot.ts';
import { tempDir } from '../support/wait.ts';

/** Issue 12 item 17: handled inbox events, finished outbox messages and spent card tokens are pruned on schedule. */

const DAY = 24 * 3600 * 1000;
const SECRET = '帮助 楼道灯坏了三天了王师傅电话13905321234';
let bot: TestBot | null = null;
let dir: string | null = null;
afterEach(async () => {
  await bot?.stop();
  await bot?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  bot = dir = null;
});

async function count(b: TestBot, table: 'inbox_events' | 'outbox_messages' | 'card_actions', where?: [string, string]) {
  let q = b.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = q.where(where[0] as never, '=', where[1] as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Rows of every kind and age, made by the real bot where it can make them. */
async function seed(b: TestBot) {
  await b.say('admin', SECRET);
  await b.say('admin', '帮助');
  await b.say('admin', '进度', { chat: '闲聊群', mention: false });
  const t0 = b.clock.now();
  // An outbox message still waiting, and one given up.
  await enqueueOutgoing(b.db, { cause: 'pending-old', seq: 1, op: 'send', target: 'oc_x', targetType: 'chat_id', paceKey: 'oc_x', content: { type: 'text', text: 'still to send' } }, t0);
  await b.db.updateTable('outbox_messages').set({ next_attempt_at: new Date(t0.getTime() + 400 * DAY).toISOString() }).where('cause', '=', 'pending-old').execute();
  await enqueueOutgoing(b.db, { cause: 'dead-old', seq: 1, op: 'send', target: 'oc_y', targetType: 'chat_id', paceKey: 'oc_y', content: { type: 'text', text: 'given up' } }, t0);
  await b.db.updateTable('outbox_messages').set({ status: 'dead' }).where('cause', '=', 'dead-old').execute();
  // Card tokens: one used, one left to expire, both long ago.
  const used = await issueCardToken(b.db, { kind: 'test', payload: { phone: '13905321234' }, createdFor: null }, t0);
  await consumeCardToken(b.db, used, 'test', 'ou_someone', t0);
  await issueCardToken(b.db, { kind: 'test', payload: {}, createdFor: null }, t0);
  return t0;
}

describe('retention', () => {
  it('prunes what is handled and old by the campaign’s defaults, and nothing pending, unsent or still valid', async () => {
    dir = tempDir('bot-retention-');
    const file = path.join(dir, 'bot.db');
    bot = await createTestBot({ now: '2020-09-28T09:00:00+08:00', database: openDatabase(file) });
    const t0 = await seed(bot);
    expect(await count(bot, 'inbox_events')).toBe(3);
    expect(await count(bot, 'outbox_messages')).toBe(4);
    expect(await count(bot, 'card_actions')).toBe(2);

    // 91 days later, a few hours before the nightly run: recent work that must stay.
    bot.clock.set('2020-12-27T22:30:00+08:00');
    await bot.say('admin', '帮助');
    const validToken = await issueCardToken(bot.db, { kind: 'test', payload: {}, createdFor: null }, bot.clock.now());
    const recentlyExpired = await issueCardToken(bot.db, { kind: 'test', payload: {}, createdFor: null }, new Date(bot.clock.now().getTime() - 20 * DAY));
    // Received in September, never processed (the worker was down all along): kept whatever its age.
    await storeEvents(bot.db, [{ eventId: 'ev_pending_old', messageId: 'om_pending_old', kind: 'message', payload: { text: 'pending' } }], t0);

    bot.clock.set('2020-12-28T03:30:00+08:00');
    const tick = await bot.runtime.scheduler.tick();
    expect(tick.ran.filter((k) => k.startsWith('retention:'))).toEqual(['retention:2020-12-28']);
    // The three handled events of September went; the pending one and the recent one stayed.
    expect((await bot.db.selectFrom('inbox_events').select(['event_id', 'status']).orderBy('id').execute()).map((r) => r.status)).toEqual(['done', 'new']);
    expect(await count(bot, 'inbox_events', ['event_id', 'ev_pending_old'])).toBe(1);
    // Two replies and the dead message went; the pending one and the recent reply stayed.
    expect((await bot.db.selectFrom('outbox_messages').select(['cause', 'status']).orderBy('id').execute()).map((r) => r.status)).toEqual(['pending', 'sent']);
    // Both September tokens went; the valid one and the one that expired 6 days ago stayed.
    expect((await bot.db.selectFrom('card_actions').select('nonce').orderBy('id').execute()).map((r) => r.nonce)).toEqual([validToken, recentlyExpired]);
    const ledger = await bot.db.selectFrom('reminder_ledger').select(['detail']).where('reminder_key', '=', 'retention:2020-12-28').executeTakeFirstOrThrow();
    expect(JSON.parse(ledger.detail!)).toEqual({ inbox: 3, outbox: 3, cardTokens: 2 });
    // Once a day: another tick the same day prunes nothing more.
    expect((await bot.runtime.scheduler.tick()).ran.filter((k) => k.startsWith('retention:'))).toEqual([]);

    // The backup of the pruned database is consistent, and the pruned text is not in it, not even in free pages.
    const copy = path.join(dir, 'copy.db');
    await backupDatabase(file, copy);
    const c = new SQLite(copy, { readonly: true });
    expect(c.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((c.prepare('SELECT count(*) AS n FROM inbox_events').get() as { n: number }).n).toBe(2);
    c.close();
    const raw = fs.readFileSync(copy);
    expect(raw.includes(Buffer.from('楼道灯坏了三天了'))).toBe(false);
    expect(raw.includes(Buffer.from('13905321234'))).toBe(false);
  });

  it('follows the campaign’s settings, keeping what de-duplication needs: a redelivered recent event is still one event', async () => {
    const def = JSON.parse(fs.readFileSync(path.join(ROOT, 'campaigns/shanting-2020.json'), 'utf8'));
    def.retention = { inboxDays: 1, outboxDays: 2, cardTokenDays: 1, time: '02:00' };
    dir = tempDir('bot-retention-');
    const campaignFile = path.join(dir, 'c.json');
    fs.writeFileSync(campaignFile, JSON.stringify(def));
    bot = await createTestBot({ now: '2020-10-01T20:00:00+08:00', env: { CAMPAIGN_FILE: campaignFile } });
    expect(retentionPolicy(bot.runtime.deps.campaign)).toEqual({ inboxDays: 1, outboxDays: 2, cardTokenDays: 1, time: '02:00' });
    const old = await bot.say('admin', '帮助');
    expect(old).toHaveLength(1);
    bot.clock.set('2020-10-02T21:00:00+08:00');
    await bot.say('admin', '帮助', {});
    const recent = await bot.db.selectFrom('inbox_events').select(['event_id', 'message_id', 'payload']).orderBy('id', 'desc').executeTakeFirstOrThrow();

    bot.clock.set('2020-10-03T02:00:00+08:00');
    expect((await bot.runtime.scheduler.tick()).ran.filter((k) => k.startsWith('retention:'))).toEqual(['retention:2020-10-03']);
    // The event handled 30 hours ago went (1 day); the one 5 hours ago stayed; both replies are kept (2 days).
    expect(await count(bot, 'inbox_events')).toBe(1);
    expect(await count(bot, 'outbox_messages')).toBe(2);
    // Lark redelivers the recent event: stored once, answered once.
    const before = bot.messenger.sent.length;
    const [isNew] = await storeEvents(bot.db, [{ eventId: recent.event_id, messageId: recent.message_id, kind: 'message', payload: JSON.parse(recent.payload) }], bot.clock.now());
    expect(isNew).toBe(false);
    await bot.runtime.settle();
    expect(bot.messenger.sent.length).toBe(before);
  });

  it('gives campaign files without a retention section the defaults, and refuses periods too short for de-duplication', () => {
    const def = JSON.parse(fs.readFileSync(path.join(ROOT, 'campaigns/shanting-2020.json'), 'utf8'));
    delete def.retention;
    expect(parseCampaign(def).retention).toEqual({ inboxDays: 90, outboxDays: 90, cardTokenDays: 30, time: '03:30' });
    expect(parseCampaign({ ...def, retention: { inboxDays: 7 } }).retention).toEqual({ inboxDays: 7, outboxDays: 90, cardTokenDays: 30, time: '03:30' });
    expect(() => parseCampaign({ ...def, retention: { inboxDays: 0 } })).toThrow(/retention\.inboxDays/);
    expect(() => parseCampaign({ ...def, retention: { outboxDays: 0.5 } })).toThrow(/retention\.outboxDays/);
    expect(() => parseCampaign({ ...def, retention: { time: '25:00' } })).toThrow(/retention\.time/);
    // A campaign stored before retention settings existed (its definition has none) runs on the defaults.
    const stored = { id: 1, code: 'x', name: 'x', district: 'x', street: 'x', timezone: 'Asia/Shanghai', startsOn: '2020-09-10', endsOn: '2020-12-20', definition: def };
    expect(retentionPolicy(stored)).toEqual({ inboxDays: 90, outboxDays: 90, cardTokenDays: 30, time: '03:30' });
  });
});
