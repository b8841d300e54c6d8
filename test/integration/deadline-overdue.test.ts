import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { type OpenedDatabase } from '../../src/db/connect.ts';
import { openTestDatabase } from '../support/test-database.ts';
import type { Db } from '../../src/db/connect.ts';
import { chatIdOf, openIdOf } from '../support/harness.ts';
import { FakeLarkApi, type Delivery } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { larkSay, larkTickAt } from '../support/lark-chat.ts';

/** Records takeovers directly (the 入驻 conversation is tested elsewhere); `date` is the start date. */
async function takeOver(db: Db, names: string[], date: string): Promise<void> {
  const rows = await db.selectFrom('compounds').select(['id', 'name']).where('name', 'in', names).execute();
  expect(rows).toHaveLength(names.length);
  for (const r of rows) {
    await db.insertInto('takeovers').values({
      compound_id: r.id, company: '鑫安物业', nature: '外聘', start_date: date, services: '["保洁"]', manager: '王强', phone: '13905321234',
      remarks: null, recorded_at: `${date}T02:00:00.000Z`, recorded_by: 'test', source_kind: 'test', source_ref: null, source_chat: null, superseded_at: null,
    }).execute();
  }
}

async function coverageOf(db: Db, community?: string): Promise<string[]> {
  let q = db.selectFrom('compounds').innerJoin('communities', 'communities.id', 'compounds.community_id').select('compounds.name').where('track', '=', 'coverage');
  if (community) q = q.where('communities.name', '=', community);
  return (await q.orderBy('compounds.id').execute()).map((r) => r.name);
}

const GROUPS = { 梅园社区: '梅园群', 紫薇社区: '紫薇群', 丰泽社区: '丰泽群', 专班: '专班群', 领导小组: '领导小组群' } as const;
const groupOf = new Map(Object.values(GROUPS).map((g) => [chatIdOf(g), g]));
const texts = (list: Delivery[]) => list.map((d) => `${groupOf.get(d.target) ?? d.target}: ${String(d.content?.text ?? '')}`);

describe('a deadline that passes with work outstanding stays visible (Must show 1)', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });

  it('alerts the 专班, 领导小组 and the communities on 11月16日 once, lists it in 节点 and 进度, repeats weekly, and sends the good news once', async () => {
    const clock = new ManualClock('2020-11-10T10:00:00+08:00');
    const fake = await new FakeLarkApi(clock).start();
    stops.push(() => fake.stop());
    const database: OpenedDatabase = openTestDatabase();
    stops.push(() => database.close());
    let bot = await startLarkBot({ fake, clock, database });
    let running = true;
    stops.push(async () => { if (running) await bot.stop(); });
    for (const [unit, group] of Object.entries(GROUPS)) await larkSay(bot, 'admin', `绑定群 ${unit}`, { chat: group });
    await larkSay(bot, 'admin', '绑定 @张三 社区 梅园社区', { others: ['张三'] });
    await larkSay(bot, 'admin', '绑定 @王五 社区 丰泽社区', { others: ['王五'] });
    await larkSay(bot, 'admin', '绑定 @郭振华 街道', { others: ['郭振华'] });
    await larkSay(bot, 'admin', '绑定 @刘领导 领导', { others: ['刘领导'] });
    const db = bot.runtime.db;
    // 紫薇's four coverage compounds are taken over; 梅园's ten and 丰泽's seven are not: 17 of 21 outstanding.
    await takeOver(db, await coverageOf(db, '紫薇社区'), '2020-11-02');

    // 16 November (Monday) 09:00, the morning after the Sunday deadline; the bot restarts at that minute.
    clock.set('2020-11-16T09:00:00+08:00');
    await bot.runtime.scheduler.tick();
    await bot.stop();
    running = false;
    bot = await startLarkBot({ fake, clock, database });
    running = true;
    const before = fake.deliveries.length;
    await larkTickAt(bot, clock, '2020-11-16T09:00:00+08:00');
    await larkTickAt(bot, clock, '2020-11-16T09:01:00+08:00');
    await larkTickAt(bot, clock, '2020-11-16T14:00:00+08:00');
    const alerts = fake.deliveries.slice(before).filter((d) => String(d.content?.text ?? '').includes('【节点逾期】'));
    expect(alerts.map((d) => groupOf.get(d.target)).sort()).toEqual(['专班群', '丰泽群', '梅园群', '领导小组群'].sort());
    const [zhuanban] = alerts.filter((d) => d.target === chatIdOf('专班群'));
    const text = String(zhuanban!.content!.text);
    expect(text).toContain('【节点逾期】11月15日节点已过，仍有 17 个小区未完成：');
    expect(text).toContain('- 梅园社区（10）：四十中宿舍、建行宿舍、');
    expect(text).toContain('- 丰泽社区（7）：欧情东苑、');
    expect(text).not.toContain('紫薇社区（');
    expect(text).toContain('节点任务：21个未实施物业管理的小区全部实现物业管理。');
    expect(text).toContain(`请 <at user_id="${openIdOf('郭振华')}">郭振华</at> 督促以上社区抓紧落实`);
    const leaders = String(alerts.find((d) => d.target === chatIdOf('领导小组群'))!.content!.text);
    expect(leaders).toContain('仍有 17 个小区未完成：');
    expect(leaders).not.toContain('<at ');
    const meiyuan = String(alerts.find((d) => d.target === chatIdOf('梅园群'))!.content!.text);
    expect(meiyuan).toContain(`<at user_id="${openIdOf('张三')}">张三</at> 【节点逾期】11月15日节点已过（21个未实施物业管理的小区全部实现物业管理），本社区仍有 10 个小区未完成：`);
    expect(meiyuan).not.toContain('欧情东苑');

    // 20 November: 节点 lists 11月15日 as 已逾期 with its list; 进度 shows it too; community staff see their own.
    clock.set('2020-11-20T10:00:00+08:00');
    let mark = fake.deliveries.length;
    await larkSay(bot, '郭振华', '节点', { chat: '专班群' });
    const deadlines = String(fake.deliveries.slice(mark)[0]!.content!.text);
    expect(deadlines).toContain('【已逾期的节点】\n1. 11月15日（已逾期5天）21个未实施物业管理的小区全部实现物业管理\n   仍有 17 个小区：');
    expect(deadlines).toContain('   - 梅园社区（10）：四十中宿舍');
    expect(deadlines.indexOf('【已逾期的节点】')).toBeLessThan(deadlines.indexOf('【即将到来的节点】'));
    mark = fake.deliveries.length;
    await larkSay(bot, '王五', '节点', { chat: '丰泽群' });
    const own = String(fake.deliveries.slice(mark)[0]!.content!.text);
    expect(own).toContain('仍有 7 个小区：');
    expect(own).not.toContain('梅园社区');
    mark = fake.deliveries.length;
    await larkSay(bot, '刘领导', '进度');
    const progress = JSON.stringify(fake.deliveries.slice(mark)[0]!.content);
    expect(progress).toContain('已逾期');
    expect(progress).toContain('11月15日（逾期5天）21个未实施物业管理的小区全部实现物业管理：仍有 **17** 个小区未完成');

    // The weekly repeat on Monday 23 November, while 12 are still outstanding.
    await takeOver(db, (await coverageOf(db, '丰泽社区')).slice(0, 5), '2020-11-21');
    mark = fake.deliveries.length;
    await larkTickAt(bot, clock, '2020-11-23T09:00:00+08:00');
    const repeat = texts(fake.deliveries.slice(mark).filter((d) => String(d.content?.text ?? '').includes('【节点逾期】')));
    expect(repeat.map((t) => t.split(':')[0]).sort()).toEqual(['专班群', '丰泽群', '梅园群', '领导小组群'].sort());
    expect(repeat.find((t) => t.startsWith('专班群'))).toContain('11月15日节点已过8天，仍有 12 个小区未完成：');

    // The last ones: 梅园's staff record the very last compound in chat, and the good news goes with that reply.
    await takeOver(db, [...(await coverageOf(db, '丰泽社区')).slice(5), ...(await coverageOf(db, '梅园社区')).slice(1)], '2020-11-24');
    clock.set('2020-11-25T16:00:00+08:00');
    mark = fake.deliveries.length;
    await larkSay(bot, '张三', '四十中宿舍已入驻，鑫安物业，外聘，11月25日进驻，负责人王强 13905321234', { chat: '梅园群' });
    const news = fake.deliveries.slice(mark).filter((d) => String(d.content?.text ?? '').includes('【节点完成】'));
    expect(news.map((d) => groupOf.get(d.target)).sort()).toEqual(['专班群', '领导小组群']);
    expect(String(news[0]!.content!.text)).toBe('【节点完成】11月15日节点“21个未实施物业管理的小区全部实现物业管理”的任务已全部完成（比节点晚10天），感谢各社区的辛勤工作！');

    // Once: a correction, the next Monday's slot and 节点 bring neither nagging nor the news again.
    mark = fake.deliveries.length;
    await larkSay(bot, '张三', '四十中宿舍 负责人改为李四 13800000001', { chat: '梅园群' });
    await larkTickAt(bot, clock, '2020-11-30T09:00:00+08:00');
    const after = fake.deliveries.slice(mark).map((d) => String(d.content?.text ?? ''));
    expect(after.filter((t) => t.includes('【节点完成】') || t.includes('【节点逾期】11月15日'))).toEqual([]);
    await larkSay(bot, '郭振华', '节点', { chat: '专班群' });
    expect(String(fake.deliveries[fake.deliveries.length - 1]!.content!.text)).not.toContain('11月15日（已逾期');
    const ledger = await db.selectFrom('reminder_ledger').select(['reminder_key', 'status']).where('reminder_key', 'like', 'deadline-overdue:coverage-done:2020-11-30:%').execute();
    expect(ledger.length).toBeGreaterThan(0);
    expect(ledger.every((r) => r.status === 'skipped')).toBe(true);
  }, 60_000);
});
