import { afterEach, describe, expect, it } from 'vitest';
import { createTestBot, type TestBot } from '../support/harness.ts';
import { type OpenedDatabase } from '../../src/db/connect.ts';
import { openTestDatabase } from '../support/test-database.ts';
import { scheduledSends, setUpReminderUnits, tickAt } from '../support/reminders.ts';

describe('each reminder happens once', () => {
  const bots: TestBot[] = [];
  const databases: OpenedDatabase[] = [];
  afterEach(async () => {
    for (const b of bots.splice(0)) await b.stop();
    for (const d of databases.splice(0)) await d.close();
  });
  async function start(now: string, database?: OpenedDatabase): Promise<TestBot> {
    const db = database ?? openTestDatabase();
    if (!database) databases.push(db);
    const bot = await createTestBot({ now, database: db });
    bots.push(bot);
    return bot;
  }
  /** Set up the day before, then the bot is down until `at`, when a new instance starts on the same database. */
  async function downUntil(at: string): Promise<TestBot> {
    const first = await start('2020-09-28T18:00:00+08:00');
    await setUpReminderUnits(first);
    await first.stop();
    bots.splice(bots.indexOf(first), 1);
    return start(at, first.runtime.database);
  }
  const ledger = (bot: TestBot, prefix: string) =>
    bot.db.selectFrom('reminder_ledger').select(['reminder_key', 'status']).where('reminder_key', 'like', `${prefix}%`).orderBy('reminder_key').execute();

  it('two instances on one database ticking the same minute send each reminder once', async () => {
    const a = await start('2020-09-29T08:00:00+08:00');
    await setUpReminderUnits(a);
    const b = await start('2020-09-29T08:00:00+08:00', a.runtime.database);
    for (const t of ['2020-09-29T09:00:00+08:00', '2020-09-30T09:00:00+08:00', '2020-09-30T15:00:00+08:00', '2020-09-30T17:00:00+08:00']) {
      a.clock.set(t);
      b.clock.set(t);
      await Promise.all([a.runtime.tick(), b.runtime.tick(), a.runtime.tick(), b.runtime.tick()]);
      await Promise.all([a.runtime.settle(), b.runtime.settle()]);
    }
    const sends = [...scheduledSends(a.messenger.sent), ...scheduledSends(b.messenger.sent)].sort();
    expect(sends).toEqual([
      // The 13:00 direct messages were still due at the 15:00 tick (same working day): sent then, once.
      'report-direct → 张三',
      'report-direct → 李四',
      'report-draft → 专班群',
      'report-escalation → 专班群',
      'report-prompt → 梅园社区群',
      'report-prompt → 紫薇社区群',
      'report-reminder → 梅园社区群',
      'report-reminder → 紫薇社区群',
      'report-summary → 专班群',
    ]);
    const uuids = [...a.messenger.sent, ...b.messenger.sent].map((s) => s.uuid);
    expect(new Set(uuids).size).toBe(uuids.length);
  });

  it('started at 10:30 on 29 September after missing 09:00, it sends the prompts at start', async () => {
    const bot = await downUntil('2020-09-29T10:30:00+08:00');
    const sent = await tickAt(bot, '2020-09-29T10:30:00+08:00');
    expect(scheduledSends(sent)).toEqual(['report-prompt → 梅园社区群', 'report-prompt → 紫薇社区群']);
    const rows = await ledger(bot, 'report-prompt:2020-10-01:');
    expect(rows.map((r) => r.status).sort()).toEqual(['sent', 'sent', 'skipped', 'skipped']);
    // Ticking again the same day sends nothing more.
    expect(scheduledSends(await tickAt(bot, '2020-09-29T10:31:00+08:00'))).toEqual([]);
  });

  it('started at 08:00 on 30 September after missing all of 29 September, it logs the prompts as missed and sends none', async () => {
    const bot = await downUntil('2020-09-30T08:00:00+08:00');
    const sent = await tickAt(bot, '2020-09-30T08:00:00+08:00');
    expect(scheduledSends(sent)).toEqual([]);
    const rows = await ledger(bot, 'report-prompt:2020-10-01:');
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.status === 'missed')).toBe(true);
    // The day's own reminders still go out on time.
    expect(scheduledSends(await tickAt(bot, '2020-09-30T09:00:00+08:00'))).toEqual(['report-reminder → 梅园社区群', 'report-reminder → 紫薇社区群']);
  });
});
